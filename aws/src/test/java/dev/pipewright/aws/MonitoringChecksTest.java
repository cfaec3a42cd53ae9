package dev.pipewright.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipewright.Check;
import dev.pipewright.CheckResult;
import dev.pipewright.Gate;
import dev.pipewright.InvalidPipelineException;
import dev.pipewright.Permission;
import dev.pipewright.Pipeline;
import dev.pipewright.aws.AwsSandbox.Service;
import dev.pipewright.aws.FakeCloudWatch.AlarmState;
import dev.pipewright.aws.FakeSynthetics.RunState;
import dev.pipewright.spi.RunResult;
import dev.pipewright.spi.StageOutcome;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.services.synthetics.SyntheticsClient;

/** The CloudWatch alarms and Synthetics canary checks, against the sandbox with real clients. */
class MonitoringChecksTest {
    private static DeployFixture f;
    private static SyntheticsClient synthetics;
    private static StageContextStub stage;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        f = new DeployFixture();
        synthetics = f.sandbox.syntheticsClientBuilder()
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build();
        stage = StageContextStub.withCredentialsOf(f.sandbox);
        f.sandbox.cloudWatch().alarm("api-prod-5xx", AlarmState.OK).alarm("api-prod-latency", AlarmState.OK)
                .alarm("api-prod-quiet", AlarmState.INSUFFICIENT_DATA).alarm("api-dev-5xx", AlarmState.ALARM);
        f.sandbox.synthetics().canary("api-smoke", RunState.RUNNING, RunState.PASSED, RunState.PASSED,
                RunState.FAILED);
    }

    @AfterAll
    static void stop() {
        synthetics.close();
        f.close();
    }

    private static CheckResult evaluate(Check check) throws Exception {
        return check.evaluate(stage);
    }

    @Test
    void alarmsOk_byName_passesWhenAllAreOk_namingThem() throws Exception {
        CheckResult r = evaluate(CloudWatchAlarms.named("api-prod-5xx", "api-prod-latency").ok(f.cloudWatch));

        assertThat(r).isEqualTo(CheckResult.pass("2 alarms are fine: api-prod-5xx OK, api-prod-latency OK"));
    }

    @Test
    void alarmsOk_failsClosed_onAlarmInsufficientDataOrMissing_namingEachAndItsState() throws Exception {
        CheckResult r = evaluate(CloudWatchAlarms.named("api-dev-5xx", "api-prod-quiet", "api-prod-gone")
                .ok(f.cloudWatch));

        assertThat(r.passed()).isFalse();
        assertThat(r.reason()).isEqualTo("alarm 'api-prod-gone' does not exist; alarm 'api-dev-5xx' is ALARM"
                + " (Threshold Crossed: 1 datapoint [3.0] was greater than or equal to the threshold (1.0).);"
                + " alarm 'api-prod-quiet' is INSUFFICIENT_DATA (Unchecked: Initial alarm creation)");
    }

    @Test
    void alarmsOk_byPrefix_withInsufficientDataAllowed_passes_andAPrefixNoAlarmHasFails() throws Exception {
        assertThat(evaluate(CloudWatchAlarms.prefixed("api-prod-").ok(f.cloudWatch)).passed()).isFalse();
        assertThat(evaluate(CloudWatchAlarms.prefixed("api-prod-").allowInsufficientData().ok(f.cloudWatch)))
                .isEqualTo(CheckResult.pass("3 alarms are fine: api-prod-5xx OK, api-prod-latency OK,"
                        + " api-prod-quiet INSUFFICIENT_DATA"));
        assertThat(evaluate(CloudWatchAlarms.prefixed("api-staging-").ok(f.cloudWatch)))
                .isEqualTo(CheckResult.fail("no alarm's name starts with 'api-staging-'"));
        assertThat(evaluate(CloudWatchAlarms.prefixed("api-staging-").allowMissing().ok(f.cloudWatch)))
                .isEqualTo(CheckResult.pass("no alarms prefixed 'api-staging-' exists, which is allowed"));
    }

    @Test
    void alarmsOk_anAwsError_failsClosed_namingOperationAndCode() throws Exception {
        f.sandbox.failNext(Service.CLOUDWATCH, "DescribeAlarms", 403, "AccessDenied", 1);

        CheckResult r = evaluate(CloudWatchAlarms.named("api-prod-5xx").ok(f.cloudWatch));

        assertThat(r.passed()).isFalse();
        assertThat(r.reason()).startsWith("CloudWatch DescribeAlarms on alarms [api-prod-5xx] failed: AccessDenied"
                + " (HTTP 403) after 1 attempt");
    }

    @Test
    void alarmsOk_withoutStageCredentials_failsClosed() throws Exception {
        CheckResult r = CloudWatchAlarms.named("api-prod-5xx").ok(f.cloudWatch).evaluate(new StageContextStub(
                Map.of()));

        assertThat(r.passed()).isFalse();
        assertThat(r.reason()).startsWith("the check of alarms [api-prod-5xx] needs AWS credentials, and stage"
                + " 'deploy-production' has none");
    }

    @Test
    void alarmsOk_asAGate_keepsTheStageFromStarting() {
        Pipeline p = Pipeline.named("housing-api").role(DeployFixture.DEPLOYER)
                .stage("deploy", s -> s.as(DeployFixture.DEPLOYER)
                        .gate(Gate.check("alarms-ok", CloudWatchAlarms.prefixed("api-dev-").ok(f.cloudWatch)))
                        .run("echo deployed"))
                .build();

        RunResult result = f.runner(dir).build().run(p);

        assertThat(result.stage("deploy").orElseThrow().outcome()).isEqualTo(StageOutcome.FAILED);
        assertThat(result.stage("deploy").orElseThrow().message()).hasValueSatisfying(m -> assertThat(m)
                .startsWith("gate 'alarms-ok' failed: alarm 'api-dev-5xx' is ALARM"));
        assertThat(f.output).doesNotContain("deployed");
    }

    @Test
    void alarms_areValuesWithPermissions_andRejectBadInput() {
        assertThat(CloudWatchAlarms.named("a").ok(f.cloudWatch)).isEqualTo(CloudWatchAlarms.named("a")
                .ok(f.cloudWatch));
        assertThat(CloudWatchAlarms.named("a", "b").andPrefixed("p-").permissions()).containsExactly(
                Permission.of("cloudwatch:DescribeAlarms", "arn:aws:cloudwatch:*:*:alarm:a"),
                Permission.of("cloudwatch:DescribeAlarms", "arn:aws:cloudwatch:*:*:alarm:b"),
                Permission.of("cloudwatch:DescribeAlarms", "arn:aws:cloudwatch:*:*:alarm:p-*"));
        assertThatThrownBy(CloudWatchAlarms::named).isInstanceOf(InvalidPipelineException.class)
                .hasMessageContaining("names: no alarm name was given. Name at least one alarm.");
        assertThatThrownBy(() -> CloudWatchAlarms.prefixed(" ")).isInstanceOf(InvalidPipelineException.class);
    }

    @Test
    void canaryPassed_whenItsLastCompletedRunsPassed_skippingTheRunningOne() throws Exception {
        CheckResult r = evaluate(SyntheticsCanary.named("api-smoke").lastRuns(2).passed(synthetics));

        assertThat(r.passed()).isTrue();
        assertThat(r.reason()).startsWith("canary 'api-smoke': the last 2 runs passed, the newest started at ");
    }

    @Test
    void canaryPassed_failsClosed_onAFailedRun_tooFewRuns_orAnUnknownCanary() throws Exception {
        CheckResult failed = evaluate(SyntheticsCanary.named("api-smoke").lastRuns(3).passed(synthetics));
        assertThat(failed.passed()).isFalse();
        assertThat(failed.reason()).startsWith("canary 'api-smoke': the run started at ")
                .endsWith(" is FAILED (Failed: the page did not load within 30 seconds)");

        CheckResult few = evaluate(SyntheticsCanary.named("api-smoke").lastRuns(4).passed(synthetics));
        assertThat(few).isEqualTo(CheckResult.fail("canary 'api-smoke': the run started at "
                + failed.reason().substring("canary 'api-smoke': the run started at ".length())));

        CheckResult unknown = evaluate(SyntheticsCanary.named("api-gone").passed(synthetics));
        assertThat(unknown.passed()).isFalse();
        assertThat(unknown.reason()).startsWith("Synthetics GetCanaryRuns on canary 'api-gone' failed:"
                + " ResourceNotFoundException (HTTP 404)").endsWith("The canary does not exist in the client's"
                + " region: check its name.");
    }

    @Test
    void canaryPassed_withFewerCompletedRunsThanAskedFor_fails() throws Exception {
        f.sandbox.synthetics().canary("api-new", RunState.RUNNING, RunState.PASSED);

        assertThat(evaluate(SyntheticsCanary.named("api-new").lastRuns(2).passed(synthetics)))
                .isEqualTo(CheckResult.fail("canary 'api-new' has only 1 completed run; 2 must have passed"));
    }

    @Test
    void canary_rejectsBadInput_andDeclaresItsPermission() {
        assertThatThrownBy(() -> SyntheticsCanary.named("Api Smoke")).isInstanceOf(InvalidPipelineException.class)
                .hasMessageContaining("'Api Smoke' is not a canary name.");
        assertThatThrownBy(() -> SyntheticsCanary.named("smoke").lastRuns(0))
                .hasMessageContaining("lastRuns: 0 runs were asked for. Ask for 1 to 100 runs.");
        assertThat(SyntheticsCanary.named("smoke").permissions()).containsExactly(
                Permission.of("synthetics:GetCanaryRuns", "arn:aws:synthetics:*:*:canary:smoke"));
    }
}
