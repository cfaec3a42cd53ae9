package dev.pipewright.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipewright.PipewrightException;
import dev.pipewright.Role;
import dev.pipewright.aws.AwsSandbox.Service;
import dev.pipewright.aws.FakeSts.AssumedRole;
import dev.pipewright.spi.Credentials;
import dev.pipewright.spi.CredentialsRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.LambdaException;
import software.amazon.awssdk.services.sts.StsClient;

class StsCredentialsTest {
    private static final String ARN = "arn:aws:iam::123456789012:role/housing-api-deploy";
    private static final Role DEPLOYER = Role.named("deployer").assumes(ARN)
            .grant("lambda:UpdateFunctionCode", "arn:aws:lambda:eu-west-2:123456789012:function:housing-api")
            .grant("lambda:PublishVersion", "arn:aws:lambda:eu-west-2:123456789012:function:housing-api")
            .build();

    private final TestClock clock = new TestClock(Instant.parse("2026-11-26T10:00:00Z"));
    private final AwsSandbox sandbox = AwsSandbox.builder().clock(clock).start();

    @AfterEach
    void close() {
        sandbox.close();
    }

    private StsClient noRetries() {
        StsClient sts = sandbox.stsClientBuilder()
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build();
        return sts;
    }

    private static CredentialsRequest request(String stage, Duration duration) {
        return new CredentialsRequest("housing-api", stage, "20261126T100000Z-1a2b3c", duration);
    }

    private AssumedRole lastAssumed() {
        List<AssumedRole> all = sandbox.sts().assumedRoles();
        return all.get(all.size() - 1);
    }

    @Test
    void assumeRole_sendsTheGrantsAsSessionPolicy_andNamesTheSession() {
        StsCredentials provider = StsCredentials.builder().sts(sandbox.stsClient()).clock(clock).build();

        Credentials c = provider.credentials(DEPLOYER, request("deploy-staging", Duration.ofMinutes(20)));

        AssumedRole assumed = lastAssumed();
        assertThat(assumed.operation()).isEqualTo("AssumeRole");
        assertThat(assumed.roleArn()).isEqualTo(ARN);
        assertThat(assumed.sessionName()).isEqualTo("housing-api.deploy-staging.20261126T100000Z-1a2b3c");
        assertThat(assumed.policy()).contains("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Action\":[\"lambda:UpdateFunctionCode\",\"lambda:PublishVersion\"],"
                + "\"Resource\":\"arn:aws:lambda:eu-west-2:123456789012:function:housing-api\"}]}");
        assertThat(assumed.duration()).isEqualTo(Duration.ofSeconds(1200));
        assertThat(c.environment()).containsOnlyKeys("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")
                .containsEntry("AWS_ACCESS_KEY_ID", assumed.accessKeyId());
        assertThat(c.expiresAt()).contains(assumed.expiration());
        assertThat(c.toString()).doesNotContain(assumed.accessKeyId());
    }

    @Test
    void assumeRole_withAwsOptions_sendsExternalIdAndTags() {
        sandbox.sts().requireExternalId(ARN, "housing-api").maxSessionDuration(ARN, Duration.ofHours(2));
        StsCredentials provider = StsCredentials.builder().sts(sandbox.stsClient()).clock(clock)
                .role(AwsRole.builder(DEPLOYER).externalId("housing-api").putSessionTag("team", "housing")
                        .maxSessionDuration(Duration.ofHours(2)).build())
                .build();

        provider.credentials(DEPLOYER, request("deploy", Duration.ofHours(3)));

        AssumedRole assumed = lastAssumed();
        assertThat(assumed.externalId()).contains("housing-api");
        assertThat(assumed.tags()).containsExactly(Map.entry("team", "housing"));
        assertThat(assumed.duration()).isEqualTo(Duration.ofHours(2));
    }

    @Test
    void duration_belowStsMinimum_is900Seconds_andAboveTheMaximum_isTheMaximum() {
        StsCredentials provider = StsCredentials.builder().sts(sandbox.stsClient()).clock(clock).build();

        provider.credentials(DEPLOYER, request("quick", Duration.ofMinutes(3)));
        assertThat(lastAssumed().duration()).isEqualTo(Duration.ofSeconds(900));

        provider.credentials(DEPLOYER, request("slow", Duration.ofHours(5)));
        assertThat(lastAssumed().duration()).isEqualTo(Duration.ofHours(1)); // the role's default maximum
    }

    @Test
    void duration_fromARoleSession_isChained_soAtMostOneHour() {
        sandbox.sts().maxSessionDuration(ARN, Duration.ofHours(4));
        var first = sandbox.stsClient().assumeRole(r -> r.roleArn("arn:aws:iam::123456789012:role/base")
                .roleSessionName("me")).credentials();
        StsClient fromSession = sandbox.stsClientBuilder().credentialsProvider(StaticCredentialsProvider.create(
                AwsSessionCredentials.create(first.accessKeyId(), first.secretAccessKey(), first.sessionToken())))
                .build();
        StsCredentials provider = StsCredentials.builder().sts(fromSession).clock(clock)
                .role(AwsRole.builder(DEPLOYER).maxSessionDuration(Duration.ofHours(4)).build()).build();

        provider.credentials(DEPLOYER, request("deploy", Duration.ofHours(3)));

        assertThat(lastAssumed().duration()).isEqualTo(Duration.ofHours(1));
        assertThat(lastAssumed().chained()).isTrue();
        fromSession.close();
    }

    @Test
    void credentials_areCachedPerStage_andRefreshedBeforeTheyExpire() {
        StsCredentials provider = StsCredentials.builder().sts(sandbox.stsClient()).clock(clock).build();
        Credentials first = provider.credentials(DEPLOYER, request("deploy", Duration.ofMinutes(20)));

        clock.advance(Duration.ofMinutes(10)); // a retry of the stage, 10 minutes left
        assertThat(provider.credentials(DEPLOYER, request("deploy", Duration.ofMinutes(10)))).isSameAs(first);
        assertThat(provider.credentials(DEPLOYER, request("other-stage", Duration.ofMinutes(10)))).isNotEqualTo(first);

        clock.advance(Duration.ofMinutes(9).plusSeconds(20)); // 40 s left: inside the refresh margin
        Credentials second = provider.credentials(DEPLOYER, request("deploy", Duration.ofSeconds(30)));
        assertThat(second.environment().get("AWS_ACCESS_KEY_ID"))
                .isNotEqualTo(first.environment().get("AWS_ACCESS_KEY_ID"));
        assertThat(sandbox.sts().assumedRoles()).hasSize(3);

        clock.advance(Duration.ofMinutes(1)); // the first session has now expired
        try (LambdaClient old = lambdaWith(first); LambdaClient fresh = lambdaWith(second)) {
            sandbox.lambda().givenFunction("housing-api");
            assertThatThrownBy(() -> old.getFunction(r -> r.functionName("housing-api")))
                    .isInstanceOfSatisfying(LambdaException.class, e ->
                            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ExpiredTokenException"));
            assertThat(fresh.getFunction(r -> r.functionName("housing-api")).configuration().functionName())
                    .isEqualTo("housing-api");
        }
    }

    private LambdaClient lambdaWith(Credentials c) {
        Map<String, String> env = c.environment();
        return sandbox.lambdaClientBuilder()
                .credentialsProvider(StaticCredentialsProvider.create(AwsSessionCredentials.create(
                        env.get("AWS_ACCESS_KEY_ID"), env.get("AWS_SECRET_ACCESS_KEY"), env.get("AWS_SESSION_TOKEN"))))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    @Test
    void accessDenied_namesOperationRoleAndCode() {
        sandbox.sts().denyAssume(ARN);
        StsCredentials provider = StsCredentials.builder().sts(noRetries()).clock(clock).build();

        assertThatThrownBy(() -> provider.credentials(DEPLOYER, request("deploy", Duration.ofMinutes(20))))
                .isInstanceOf(PipewrightException.class)
                .hasMessageStartingWith("AssumeRole of " + ARN + " failed: AccessDenied (403): User:"
                        + " arn:aws:iam::123456789012:user/sandbox is not authorized to perform: sts:AssumeRole on"
                        + " resource: " + ARN + ".")
                .hasMessageContaining("trust policy");
    }

    @Test
    void throttlingAndServerErrors_areRetried_thenSucceed() {
        sandbox.failNext(Service.STS, "AssumeRole", 400, "Throttling", 1);
        sandbox.failNext(Service.STS, "AssumeRole", 503, "ServiceUnavailable", 1);
        StsCredentials provider = StsCredentials.builder().sts(sandbox.stsClient()).clock(clock).build();

        provider.credentials(DEPLOYER, request("deploy", Duration.ofMinutes(20)));

        assertThat(sandbox.requests(Service.STS, "AssumeRole")).isEqualTo(3);
        assertThat(sandbox.sts().assumedRoles()).hasSize(1);
    }

    @Test
    void throttling_pastTheRetries_failsClearly() {
        sandbox.failNext(Service.STS, "AssumeRole", 400, "Throttling", 5);
        StsClient sts = sandbox.stsClientBuilder().overrideConfiguration(o -> o.retryStrategy(
                AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(2).build())).build();
        StsCredentials provider = StsCredentials.builder().sts(sts).clock(clock).build();

        assertThatThrownBy(() -> provider.credentials(DEPLOYER, request("deploy", Duration.ofMinutes(20))))
                .hasMessageStartingWith("AssumeRole of " + ARN + " failed: Throttling (400):")
                .hasMessageEndingWith("STS kept throttling after the retries; try again later.");
        assertThat(sandbox.requests(Service.STS, "AssumeRole")).isEqualTo(2);
        sts.close();
    }

    @Test
    void serverErrors_pastTheRetries_failWithTheirCode() {
        sandbox.failNext(Service.STS, "AssumeRole", 500, "InternalFailure", 5);
        StsClient sts = sandbox.stsClientBuilder().overrideConfiguration(o -> o.retryStrategy(
                AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(3).build())).build();
        StsCredentials provider = StsCredentials.builder().sts(sts).clock(clock).build();

        assertThatThrownBy(() -> provider.credentials(DEPLOYER, request("deploy", Duration.ofMinutes(20))))
                .hasMessageStartingWith("AssumeRole of " + ARN + " failed: InternalFailure (500):");
        assertThat(sandbox.requests(Service.STS, "AssumeRole")).isEqualTo(3);
        sts.close();
    }

    @Test
    void expiredBaseCredentials_sayToRefreshThem() {
        var session = sandbox.stsClient().assumeRole(r -> r.roleArn("arn:aws:iam::123456789012:role/base")
                .roleSessionName("me")).credentials();
        sandbox.sts().expireSessions();
        StsClient expired = sandbox.stsClientBuilder().credentialsProvider(StaticCredentialsProvider.create(
                AwsSessionCredentials.create(session.accessKeyId(), session.secretAccessKey(), session.sessionToken())))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build();
        StsCredentials provider = StsCredentials.builder().sts(expired).clock(clock).role(AwsRole.builder(DEPLOYER)
                .chained().build()).build();

        assertThatThrownBy(() -> provider.credentials(DEPLOYER, request("deploy", Duration.ofMinutes(20))))
                .hasMessageStartingWith("AssumeRole of " + ARN + " failed: ExpiredToken (400)")
                .hasMessageContaining("refresh them");
        expired.close();
    }

    private static String jwt(String subject) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(("{\"sub\":\"" + subject + "\",\"aud\":\"org-1\",\"iss\":"
                        + "\"https://oidc.circleci.com/org/1\"}").getBytes(StandardCharsets.UTF_8)) + ".c2lnbmF0dXJl";
    }

    @Test
    void webIdentity_fromCircleCiToken_assumesWithoutBaseCredentials() {
        StsClient anonymous = sandbox.stsClientBuilder().credentialsProvider(AnonymousCredentialsProvider.create())
                .build();
        StsCredentials provider = StsCredentials.builder().sts(anonymous).clock(clock)
                .circleCiOidc(Map.of("CIRCLE_OIDC_TOKEN", jwt("v1"), "CIRCLE_OIDC_TOKEN_V2", jwt("org/1/project/2")))
                .build();

        Credentials c = provider.credentials(DEPLOYER, request("deploy", Duration.ofMinutes(20)));

        AssumedRole assumed = lastAssumed();
        assertThat(assumed.operation()).isEqualTo("AssumeRoleWithWebIdentity");
        assertThat(assumed.policy()).isPresent();
        assertThat(c.environment()).containsEntry("AWS_ACCESS_KEY_ID", assumed.accessKeyId());
        assertThat(provider.toString()).isEqualTo("STS AssumeRoleWithWebIdentity ($CIRCLE_OIDC_TOKEN_V2)");
        anonymous.close();
    }

    @Test
    void webIdentity_fromATokenFile_readsItForEverySession(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("token");
        Files.writeString(file, "not-a-jwt\n");
        StsCredentials provider = StsCredentials.builder().sts(noRetries()).clock(clock).webIdentityTokenFile(file)
                .build();

        assertThatThrownBy(() -> provider.credentials(DEPLOYER, request("deploy", Duration.ofMinutes(20))))
                .hasMessageStartingWith("AssumeRoleWithWebIdentity of " + ARN + " failed: InvalidIdentityToken (400)");

        Files.writeString(file, jwt("org/1") + "\n");
        provider.credentials(DEPLOYER, request("deploy", Duration.ofMinutes(20)));
        assertThat(lastAssumed().operation()).isEqualTo("AssumeRoleWithWebIdentity");
    }

    @Test
    void circleCiOidc_withoutToken_saysToUseAContext() {
        assertThatThrownBy(() -> StsCredentials.builder().circleCiOidc(Map.of("CIRCLE_OIDC_TOKEN_V2", " ")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("context");
    }

    @Test
    void supports_onlyRolesAssumingAnIamRoleArn() {
        StsCredentials provider = StsCredentials.builder().sts(sandbox.stsClient()).build();

        assertThat(provider.supports(DEPLOYER)).isTrue();
        assertThat(provider.supports(Role.named("local").build())).isFalse();
        assertThat(provider.supports(Role.named("gcp").assumes("deployer@project.iam.gserviceaccount.com").build()))
                .isFalse();
    }
}
