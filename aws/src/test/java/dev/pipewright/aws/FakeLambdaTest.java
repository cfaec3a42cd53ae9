package dev.pipewright.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipewright.aws.AwsSandbox.Service;
import dev.pipewright.aws.FakeLambda.Routing;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.waiters.WaiterOverrideConfiguration;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.GetFunctionConfigurationResponse;
import software.amazon.awssdk.services.lambda.model.GetFunctionResponse;
import software.amazon.awssdk.services.lambda.model.InvalidParameterValueException;
import software.amazon.awssdk.services.lambda.model.LambdaException;
import software.amazon.awssdk.services.lambda.model.PreconditionFailedException;
import software.amazon.awssdk.services.lambda.model.PublishVersionResponse;
import software.amazon.awssdk.services.lambda.model.ResourceConflictException;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import software.amazon.awssdk.services.lambda.model.TooManyRequestsException;
import software.amazon.awssdk.services.lambda.model.UpdateFunctionCodeResponse;
import software.amazon.awssdk.services.lambda.waiters.LambdaWaiter;

class FakeLambdaTest {
    private final AwsSandbox sandbox = AwsSandbox.start();
    private final LambdaClient lambda = sandbox.lambdaClientBuilder()
            .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build();
    private final LambdaWaiter waiter = LambdaWaiter.builder().client(lambda)
            .overrideConfiguration(WaiterOverrideConfiguration.builder().maxAttempts(10)
                    .backoffStrategyV2(BackoffStrategy.fixedDelayWithoutJitter(Duration.ofMillis(5))).build())
            .build();
    private final FakeFunction api = sandbox.lambda().givenFunction("housing-api-staging");

    @AfterEach
    void close() {
        waiter.close();
        lambda.close();
        sandbox.close();
    }

    private static SdkBytes zip(String content) {
        return SdkBytes.fromByteArray(FakeFunction.defaultZip(content));
    }

    private UpdateFunctionCodeResponse update(String content) {
        return lambda.updateFunctionCode(r -> r.functionName("housing-api-staging").zipFile(zip(content)));
    }

    @Test
    void updateFunctionCode_isInProgress_untilTheWaiterSeesItSuccessful() {
        api.updatesTake(2);

        UpdateFunctionCodeResponse updated = update("v2");
        GetFunctionResponse done = waiter.waitUntilFunctionUpdatedV2(r -> r.functionName("housing-api-staging"))
                .matched().response().orElseThrow();

        assertThat(updated.lastUpdateStatusAsString()).isEqualTo("InProgress");
        assertThat(updated.codeSha256()).isEqualTo(FakeFunction.sha256(FakeFunction.defaultZip("v2")));
        assertThat(done.configuration().lastUpdateStatusAsString()).isEqualTo("Successful");
        assertThat(done.configuration().revisionId()).isNotEqualTo(updated.revisionId());
        assertThat(sandbox.requests(Service.LAMBDA, "GetFunction")).isEqualTo(3);
        assertThat(api.codeSha256()).isEqualTo(updated.codeSha256());
    }

    @Test
    void publishVersion_whileAnUpdateIsInProgress_isAConflict() {
        update("v2");

        assertThatThrownBy(() -> lambda.publishVersion(r -> r.functionName("housing-api-staging")))
                .isInstanceOfSatisfying(ResourceConflictException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(409);
                    assertThat(e.getMessage()).contains("An update is in progress for resource: " + api.arn());
                });
        assertThatThrownBy(() -> update("v3")).isInstanceOf(ResourceConflictException.class);
    }

    @Test
    void publishVersion_guardedByCodeShaAndRevision_isIdempotent() {
        api.updatesTake(0);
        UpdateFunctionCodeResponse updated = update("v2");
        String revision = lambda.getFunction(r -> r.functionName("housing-api-staging")).configuration().revisionId();

        assertThatThrownBy(() -> lambda.publishVersion(r -> r.functionName("housing-api-staging").codeSha256("stale")))
                .isInstanceOfSatisfying(InvalidParameterValueException.class, e -> assertThat(e.getMessage())
                        .contains("CodeSHA256 (stale) is different from current CodeSHA256 in $LATEST"));
        assertThatThrownBy(() -> lambda.publishVersion(r -> r.functionName("housing-api-staging").revisionId("old")))
                .isInstanceOfSatisfying(PreconditionFailedException.class,
                        e -> assertThat(e.statusCode()).isEqualTo(412));

        PublishVersionResponse v1 = lambda.publishVersion(r -> r.functionName("housing-api-staging")
                .codeSha256(updated.codeSha256()).revisionId(revision));
        PublishVersionResponse again = lambda.publishVersion(r -> r.functionName("housing-api-staging")
                .codeSha256(updated.codeSha256()));

        assertThat(v1.version()).isEqualTo("1");
        assertThat(v1.functionArn()).isEqualTo(api.arn() + ":1");
        assertThat(again.version()).isEqualTo("1");
        assertThat(api.versions()).containsExactly("1");
    }

    @Test
    void updateFunctionCode_withPublish_endsAtOnceAndPublishes() {
        UpdateFunctionCodeResponse v = lambda.updateFunctionCode(r -> r.functionName(api.arn()).zipFile(zip("v2"))
                .publish(true));

        assertThat(v.version()).isEqualTo("1");
        assertThat(v.lastUpdateStatusAsString()).isEqualTo("Successful");
        assertThat(api.lastUpdateStatus()).isEqualTo("Successful");
    }

    @Test
    void updateFunctionCode_notAZip_isRefusedAsLambdaDoes() {
        assertThatThrownBy(() -> lambda.updateFunctionCode(r -> r.functionName("housing-api-staging")
                .zipFile(SdkBytes.fromUtf8String("not a zip"))))
                .isInstanceOfSatisfying(InvalidParameterValueException.class,
                        e -> assertThat(e.getMessage()).contains("Could not unzip uploaded file"));
        assertThatThrownBy(() -> lambda.updateFunctionCode(r -> r.functionName("housing-api-staging")))
                .isInstanceOf(InvalidParameterValueException.class);
    }

    @Test
    void failedUpdate_endsFailed_andTheWaiterReportsIt() {
        api.failNextUpdate("The runtime could not start");
        String before = api.codeSha256();
        update("v2");

        assertThatThrownBy(() -> waiter.waitUntilFunctionUpdatedV2(r -> r.functionName("housing-api-staging")))
                .isInstanceOf(SdkClientException.class);
        GetFunctionResponse after = lambda.getFunction(r -> r.functionName("housing-api-staging"));
        assertThat(after.configuration().lastUpdateStatusAsString()).isEqualTo("Failed");
        assertThat(after.configuration().lastUpdateStatusReason()).isEqualTo("The runtime could not start");
        assertThat(api.codeSha256()).isEqualTo(before);
    }

    @Test
    void aliases_shiftWeights_andKeepTheirHistory() {
        String v1 = api.publish();
        api.code(FakeFunction.defaultZip("v2"));
        String v2 = api.publish();
        lambda.createAlias(r -> r.functionName("housing-api-staging").name("live").functionVersion(v1));
        String revision = lambda.getAlias(r -> r.functionName("housing-api-staging").name("live")).revisionId();

        lambda.updateAlias(r -> r.functionName("housing-api-staging").name("live").revisionId(revision)
                .routingConfig(c -> c.additionalVersionWeights(Map.of(v2, 0.1))));
        assertThat(api.aliasWeights("live")).containsExactly(Map.entry(v2, 0.1));
        lambda.updateAlias(r -> r.functionName("housing-api-staging").name("live").functionVersion(v2)
                .routingConfig(c -> c.additionalVersionWeights(Map.of())));

        assertThat(api.aliasVersion("live")).contains(v2);
        assertThat(api.aliasWeights("live")).isEmpty();
        assertThat(api.aliasHistory("live")).containsExactly(new Routing(v1, Map.of()),
                new Routing(v1, Map.of(v2, 0.1)), new Routing(v2, Map.of()));
        assertThatThrownBy(() -> lambda.updateAlias(r -> r.functionName("housing-api-staging").name("live")
                .revisionId(revision).functionVersion(v1)))
                .isInstanceOfSatisfying(PreconditionFailedException.class, e -> assertThat(e.getMessage())
                        .contains("The Revision Id provided does not match the latest Revision Id"));
    }

    @Test
    void aliases_refuseInvalidRoutings_withLambdasErrors() {
        String v1 = api.publish();
        api.code(FakeFunction.defaultZip("v2"));
        String v2 = api.publish();
        api.code(FakeFunction.defaultZip("v3"));
        String v3 = api.publish();
        api.alias("live", v1);

        assertThatThrownBy(() -> lambda.updateAlias(r -> r.functionName("housing-api-staging").name("live")
                .routingConfig(c -> c.additionalVersionWeights(Map.of(v2, 1.5)))))
                .isInstanceOfSatisfying(LambdaException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
                    assertThat(e.getMessage()).contains("Member must have value less than or equal to 1.0");
                });
        assertThatThrownBy(() -> lambda.updateAlias(r -> r.functionName("housing-api-staging").name("live")
                .routingConfig(c -> c.additionalVersionWeights(Map.of(v2, 0.1, v3, 0.1)))))
                .isInstanceOf(InvalidParameterValueException.class).hasMessageContaining("cannot be greater than 1");
        assertThatThrownBy(() -> lambda.updateAlias(r -> r.functionName("housing-api-staging").name("live")
                .routingConfig(c -> c.additionalVersionWeights(Map.of(v1, 0.5)))))
                .isInstanceOf(InvalidParameterValueException.class);
        assertThatThrownBy(() -> lambda.updateAlias(r -> r.functionName("housing-api-staging").name("live")
                .functionVersion("$LATEST").routingConfig(c -> c.additionalVersionWeights(Map.of(v1, 0.5)))))
                .isInstanceOf(InvalidParameterValueException.class).hasMessageContaining("$LATEST");
        assertThatThrownBy(() -> lambda.updateAlias(r -> r.functionName("housing-api-staging").name("live")
                .functionVersion("9")))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> lambda.createAlias(r -> r.functionName("housing-api-staging").name("live")
                .functionVersion(v1)))
                .isInstanceOf(ResourceConflictException.class).hasMessageContaining("Alias already exists");
        assertThatThrownBy(() -> lambda.getAlias(r -> r.functionName("housing-api-staging").name("missing")))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThat(api.aliasHistory("live")).hasSize(1);
    }

    @Test
    void getFunction_byAliasOrVersion_describesThatVersion() {
        String v1 = api.publish();
        api.alias("live", v1);
        api.code(FakeFunction.defaultZip("v2"));

        GetFunctionConfigurationResponse live = lambda.getFunctionConfiguration(r -> r.functionName("housing-api-staging")
                .qualifier("live"));
        GetFunctionConfigurationResponse byArn = lambda.getFunctionConfiguration(r -> r.functionName(api.arn() + ":1"));

        assertThat(live.version()).isEqualTo(v1);
        assertThat(live.codeSha256()).isEqualTo(api.codeSha256(v1).orElseThrow()).isNotEqualTo(api.codeSha256());
        assertThat(byArn.version()).isEqualTo(v1);
        assertThatThrownBy(() -> lambda.getFunction(r -> r.functionName("housing-api-staging").qualifier("7")))
                .isInstanceOf(ResourceNotFoundException.class).hasMessageContaining(api.arn() + ":7");
    }

    @Test
    void throttling_isLambdas429() {
        sandbox.failNext(Service.LAMBDA, "UpdateAlias", 429, "TooManyRequestsException", 1);
        api.alias("live", api.publish());

        assertThatThrownBy(() -> lambda.updateAlias(r -> r.functionName("housing-api-staging").name("live")))
                .isInstanceOfSatisfying(TooManyRequestsException.class, e -> assertThat(e.statusCode()).isEqualTo(429));
        lambda.updateAlias(r -> r.functionName("housing-api-staging").name("live"));
        assertThat(sandbox.requests(Service.LAMBDA, "UpdateAlias")).isEqualTo(2);
    }

    @Test
    void givenFunction_checksItsName() {
        assertThatThrownBy(() -> sandbox.lambda().givenFunction("housing-api-staging"))
                .hasMessageContaining("already declared");
        assertThatThrownBy(() -> sandbox.lambda().givenFunction("no spaces")).hasMessageContaining("function name");
        assertThat(sandbox.lambda().function("housing-api-staging")).containsSame(api);
        assertThatThrownBy(() -> api.alias("live", "3")).hasMessageContaining("no version 3");
    }
}
