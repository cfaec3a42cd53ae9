package dev.pipewright.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipewright.aws.AwsSandbox.Service;
import dev.pipewright.aws.FakeCloudWatch.AlarmState;
import dev.pipewright.aws.FakeSynthetics.RunState;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.DescribeAlarmsResponse;
import software.amazon.awssdk.services.cloudwatch.model.InvalidNextTokenException;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;
import software.amazon.awssdk.services.sts.model.Tag;
import software.amazon.awssdk.services.synthetics.SyntheticsClient;

/**
 * Every canned response of the sandbox, written from an SDK model object, comes back from the
 * real client as an equal object: no member is misspelled, misplaced or mis-encoded.
 */
class AwsSandboxRoundTripTest {
    private static AwsSandbox sandbox;
    private static StsClient sts;
    private static LambdaClient lambda;
    private static CloudWatchClient cloudWatch;
    private static SyntheticsClient synthetics;
    private static SnsClient sns;

    @BeforeAll
    static void start() {
        sandbox = AwsSandbox.start();
        sts = sandbox.stsClient();
        lambda = sandbox.lambdaClient();
        cloudWatch = sandbox.cloudWatchClient();
        synthetics = sandbox.syntheticsClient();
        sns = sandbox.snsClient();
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    private static void assertRoundTrip(Service service, String operation, SdkPojo parsed) {
        SdkPojo sent = sandbox.lastResponse(service, operation).orElseThrow();
        // A response's equals() also compares its HTTP metadata; every modelled member is compared here.
        assertThat(parsed.equalsBySdkFields(sent)).as("%s parsed as%n%s%nbut was sent as%n%s", operation, parsed, sent)
                .isTrue();
        assertThat(parsed).hasToString(sent.toString());
    }

    @Test
    void sts_everyOperation_parsesToTheObjectSent() {
        AssumeRoleResponse assumed = sts.assumeRole(r -> r.roleArn("arn:aws:iam::123456789012:role/deployer")
                .roleSessionName("round-trip").policy("{\"Version\":\"2012-10-17\",\"Statement\":[]}")
                .tags(Tag.builder().key("team").value("housing").build()).sourceIdentity("me"));
        assertRoundTrip(Service.STS, "AssumeRole", assumed);
        assertThat(assumed.credentials().accessKeyId()).startsWith("ASIA");

        String jwt = "eyJhbGciOiJSUzI1NiJ9." + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"sub\":\"org/1/project/2\",\"aud\":\"org-1\",\"iss\":\"https://oidc.circleci.com/org/1\"}"
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8)) + ".c2ln";
        var web = sts.assumeRoleWithWebIdentity(r -> r.roleArn("arn:aws:iam::123456789012:role/deployer")
                .roleSessionName("web").webIdentityToken(jwt));
        assertRoundTrip(Service.STS, "AssumeRoleWithWebIdentity", web);
        assertThat(web.subjectFromWebIdentityToken()).isEqualTo("org/1/project/2");

        assertRoundTrip(Service.STS, "GetCallerIdentity", sts.getCallerIdentity());
    }

    @Test
    void lambda_everyOperation_parsesToTheObjectSent() throws Exception {
        FakeFunction f = sandbox.lambda().givenFunction("round-trip").updatesTake(0);
        f.alias("live", f.publish());
        assertRoundTrip(Service.LAMBDA, "GetFunction", lambda.getFunction(r -> r.functionName("round-trip")));
        assertRoundTrip(Service.LAMBDA, "GetFunctionConfiguration",
                lambda.getFunctionConfiguration(r -> r.functionName("round-trip").qualifier("live")));
        assertRoundTrip(Service.LAMBDA, "UpdateFunctionCode", lambda.updateFunctionCode(r -> r
                .functionName("round-trip").zipFile(SdkBytes.fromByteArray(FakeFunction.defaultZip("v2")))));
        assertRoundTrip(Service.LAMBDA, "PublishVersion", lambda.publishVersion(r -> r.functionName("round-trip")
                .description("second")));
        assertRoundTrip(Service.LAMBDA, "ListVersionsByFunction",
                lambda.listVersionsByFunction(r -> r.functionName("round-trip").maxItems(2)));
        assertRoundTrip(Service.LAMBDA, "CreateAlias", lambda.createAlias(r -> r.functionName("round-trip")
                .name("canary").functionVersion("1")));
        assertRoundTrip(Service.LAMBDA, "UpdateAlias", lambda.updateAlias(r -> r.functionName("round-trip").name("live")
                .routingConfig(c -> c.additionalVersionWeights(Map.of("2", 0.1)))));
        assertRoundTrip(Service.LAMBDA, "GetAlias", lambda.getAlias(r -> r.functionName("round-trip").name("live")));
        assertRoundTrip(Service.LAMBDA, "ListAliases", lambda.listAliases(r -> r.functionName("round-trip")));
    }

    @Test
    void cloudWatch_describeAlarms_parsesToTheObjectSent() {
        sandbox.cloudWatch().alarm("rt-errors", AlarmState.ALARM).alarm("rt-latency", AlarmState.OK);
        DescribeAlarmsResponse page = cloudWatch.describeAlarms(r -> r.alarmNamePrefix("rt-").maxRecords(1));
        assertRoundTrip(Service.CLOUDWATCH, "DescribeAlarms", page);
        assertThat(page.metricAlarms()).singleElement().satisfies(a -> {
            assertThat(a.alarmName()).isEqualTo("rt-errors");
            assertThat(a.stateValueAsString()).isEqualTo("ALARM");
        });
        assertThat(page.nextToken()).isNotNull();
    }

    @Test
    void synthetics_everyOperation_parsesToTheObjectSent() {
        sandbox.synthetics().canary("rt-smoke", RunState.PASSED, RunState.FAILED, RunState.RUNNING);
        assertRoundTrip(Service.SYNTHETICS, "GetCanary", synthetics.getCanary(r -> r.name("rt-smoke")));
        assertRoundTrip(Service.SYNTHETICS, "GetCanaryRuns", synthetics.getCanaryRuns(r -> r.name("rt-smoke")));
    }

    @Test
    void sns_publish_parsesToTheObjectSent() {
        String topic = sandbox.sns().givenTopic("rt-alerts");
        assertRoundTrip(Service.SNS, "Publish", sns.publish(r -> r.topicArn(topic).subject("hi").message("body")));
    }

    @Test
    void errors_parseToTheirCodesAndMessages() {
        assertThatThrownBy(() -> lambda.getFunction(r -> r.functionName("missing")))
                .isInstanceOfSatisfying(ResourceNotFoundException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(404);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ResourceNotFoundException");
                    assertThat(e.awsErrorDetails().errorMessage())
                            .isEqualTo("Function not found: arn:aws:lambda:eu-west-2:123456789012:function:missing");
                });
        assertThatThrownBy(() -> cloudWatch.describeAlarms(r -> r.nextToken("forged")))
                .isInstanceOfSatisfying(InvalidNextTokenException.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidNextToken"));
        assertThatThrownBy(() -> sts.assumeRole(r -> r.roleArn("arn:aws:iam::123456789012:role/deployer")
                .roleSessionName("bad name")))
                .isInstanceOfSatisfying(AwsServiceException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
                    assertThat(e.awsErrorDetails().errorMessage()).contains("'roleSessionName'")
                            .contains("[\\w+=,.@-]*");
                });
    }
}
