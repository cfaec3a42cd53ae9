package dev.pipewright.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipewright.Pipeline;
import dev.pipewright.aws.AwsSandbox.Service;
import dev.pipewright.aws.FakeCloudWatch.AlarmState;
import dev.pipewright.aws.FakeLambda.Routing;
import dev.pipewright.run.LocalRunner;
import dev.pipewright.spi.RunResult;
import dev.pipewright.spi.RunStatus;
import dev.pipewright.spi.StageOutcome;
import dev.pipewright.spi.StageResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.AliasRoutingConfiguration;

/** Deploys through the local runner, with real SDK clients, to the sandbox's Lambda and CloudWatch. */
class LambdaDeployHandlerTest {
    private static final String FUNCTION = "housing-api-staging";
    private static final String ZIP = "build/housing-api.zip";

    @TempDir
    Path dir;

    private DeployFixture f;
    private FakeFunction api;

    @BeforeEach
    void setUp() throws Exception {
        f = new DeployFixture();
        api = f.sandbox.lambda().givenFunction(FUNCTION).updatesTake(2);
        api.alias("live", api.publish());
        DeployFixture.writeZip(dir.resolve(ZIP), "exports.handler = async () => ({statusCode: 200});");
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    private static Pipeline pipeline(LambdaDeploy step) {
        return Pipeline.named("housing-api").role(DeployFixture.DEPLOYER)
                .stage("deploy", s -> s.as(DeployFixture.DEPLOYER).step(step))
                .build();
    }

    private static LambdaDeploy deploy() {
        return Lambda.deploy(FUNCTION).zip(ZIP);
    }

    private static StageResult stage(RunResult result) {
        return result.stage("deploy").orElseThrow();
    }

    private static Routing routing(String version, Map<String, Double> weights) {
        return new Routing(version, weights);
    }

    @Test
    void allAtOnce_updatesWaitsPublishesAndMovesTheAlias() {
        RunResult result = f.runner(dir).build().run(pipeline(deploy()));

        assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(api.versions()).containsExactly("1", "2");
        assertThat(api.codeSha256("2")).contains(LambdaDeployHandler.sha256(DeployFixture.zip(
                "exports.handler = async () => ({statusCode: 200});")));
        assertThat(api.aliasHistory("live")).containsExactly(routing("1", Map.of()), routing("2", Map.of()));
        // one read before the update, two while it is in progress, one when it is done
        assertThat(f.sandbox.requests(Service.LAMBDA, "GetFunction")).isEqualTo(4);
        assertThat(f.output).contains("Alias 'live' of function 'housing-api-staging' is on version 2 (it was on 1).");
    }

    @Test
    void rerun_withTheSameCode_publishesNothingAndMovesNothing() {
        LocalRunner runner = f.runner(dir).build();
        runner.run(pipeline(deploy()));
        int updates = f.sandbox.requests(Service.LAMBDA, "UpdateFunctionCode");

        RunResult again = runner.run(pipeline(deploy()));

        assertThat(again.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(api.versions()).containsExactly("1", "2");
        assertThat(api.aliasHistory("live")).hasSize(2);
        assertThat(f.sandbox.requests(Service.LAMBDA, "UpdateFunctionCode")).isEqualTo(updates);
        assertThat(f.output).contains("Alias 'live' of function 'housing-api-staging' is already on version 2,"
                + " which has this code: nothing to shift.");
    }

    @Test
    void canary_bakesAtItsWeight_thenMovesAllTheTraffic() {
        RunResult result = f.runner(dir).build().run(pipeline(deploy().canary(10, Duration.ofMillis(50))));

        assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(api.aliasHistory("live")).containsExactly(routing("1", Map.of()), routing("1", Map.of("2", 0.1)),
                routing("2", Map.of()));
    }

    @Test
    void linear_movesTheTrafficInEqualSteps() {
        RunResult result = f.runner(dir).build().run(pipeline(deploy().linear(25, Duration.ofMillis(10))));

        assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(api.aliasHistory("live")).containsExactly(routing("1", Map.of()),
                routing("1", Map.of("2", 0.25)), routing("1", Map.of("2", 0.5)), routing("1", Map.of("2", 0.75)),
                routing("2", Map.of()));
    }

    @Test
    void alarmFiringMidCanary_rollsBack_andTheStageEndsRolledBack() {
        f.sandbox.cloudWatch().alarm("housing-api-staging-5xx", AlarmState.OK);
        RunResult result = f.runner(dir, line -> {
            if (line.startsWith("Alias 'live' sends 10%")) {
                f.sandbox.cloudWatch().alarm("housing-api-staging-5xx", AlarmState.ALARM, "5xx rate 12% > 1%");
            }
        }).build().run(pipeline(deploy().canary(10, Duration.ofMinutes(10)).alarms("housing-api-staging-5xx")));

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(stage(result).outcome()).isEqualTo(StageOutcome.ROLLED_BACK);
        assertThat(stage(result).message()).hasValue("step 1 'deploy housing-api-staging (alias live)' failed:"
                + " alarm 'housing-api-staging-5xx' is ALARM (5xx rate 12% > 1%) with version 2 at 10% of the"
                + " traffic. Alias 'live' of function 'housing-api-staging' is back on version 1.");
        assertThat(api.aliasHistory("live")).containsExactly(routing("1", Map.of()), routing("1", Map.of("2", 0.1)),
                routing("1", Map.of()));
        assertThat(f.output).contains("Rolled back: alias 'live' sends all its traffic to version 1 again.");
    }

    @Test
    void alarmThatDoesNotExist_duringTheBake_rollsBack() {
        f.sandbox.cloudWatch().alarm("housing-api-staging-5xx", AlarmState.OK);
        RunResult result = f.runner(dir, line -> {
            if (line.startsWith("Alias 'live' sends 50%")) {
                f.sandbox.cloudWatch().removeAlarm("housing-api-staging-5xx");
            }
        }).build().run(pipeline(deploy().linear(50, Duration.ofMinutes(1)).alarmPrefix("housing-api-staging-")));

        assertThat(stage(result).outcome()).isEqualTo(StageOutcome.ROLLED_BACK);
        assertThat(stage(result).message()).hasValueSatisfying(m -> assertThat(m)
                .contains("no alarm's name starts with 'housing-api-staging-' with version 2 at 50% of the traffic"));
        assertThat(api.aliasVersion("live")).contains("1");
        assertThat(api.aliasWeights("live")).isEmpty();
    }

    @Test
    void insufficientData_duringTheBake_isFine() {
        f.sandbox.cloudWatch().alarm("housing-api-staging-5xx", AlarmState.INSUFFICIENT_DATA);

        RunResult result = f.runner(dir).build().run(pipeline(deploy().canary(5, Duration.ofMillis(60))
                .alarms("housing-api-staging-5xx")));

        assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(api.aliasVersion("live")).contains("2");
    }

    @Test
    void alarmAlreadyFiring_failsBeforeAnyTrafficMoves() {
        f.sandbox.cloudWatch().alarm("housing-api-staging-5xx", AlarmState.ALARM, "5xx rate 3% > 1%");

        RunResult result = f.runner(dir).build().run(pipeline(deploy().canary(10, Duration.ofMinutes(5))
                .alarms("housing-api-staging-5xx", "housing-api-staging-latency")));

        assertThat(stage(result).outcome()).isEqualTo(StageOutcome.FAILED);
        assertThat(stage(result).message()).hasValue("step 1 'deploy housing-api-staging (alias live)' failed:"
                + " Before any traffic moved to version 2: alarm 'housing-api-staging-latency' does not exist;"
                + " alarm 'housing-api-staging-5xx' is ALARM (5xx rate 3% > 1%). Alias 'live' stays on version 1;"
                + " fix the alarms, or wait for them to clear, and run again.");
        assertThat(api.aliasHistory("live")).containsExactly(routing("1", Map.of()));
    }

    @Test
    void allAtOnce_withAnAlarmFiringAfterTheSwitch_rollsBack() {
        f.sandbox.cloudWatch().alarm("housing-api-staging-5xx", AlarmState.OK);
        RunResult result = f.runner(dir, line -> {
            if (line.startsWith("Alias 'live' of function 'housing-api-staging' is on version 2")) {
                f.sandbox.cloudWatch().alarm("housing-api-staging-5xx", AlarmState.ALARM, "errors");
            }
        }).build().run(pipeline(deploy().alarms("housing-api-staging-5xx")));

        assertThat(stage(result).outcome()).isEqualTo(StageOutcome.ROLLED_BACK);
        assertThat(api.aliasHistory("live")).containsExactly(routing("1", Map.of()), routing("2", Map.of()),
                routing("1", Map.of()));
    }

    @Test
    void aliasLeftMidShift_byAnInterruptedDeploy_isRestoredThenDeployedAfresh() {
        // what an interrupted canary leaves: version 2 published and taking 10% of the alias
        api.code(DeployFixture.zip("old canary")).publish();
        f.lambda.updateAlias(r -> r.functionName(FUNCTION).name("live").functionVersion("1")
                .routingConfig(AliasRoutingConfiguration.builder().additionalVersionWeights(Map.of("2", 0.1)).build())
                .overrideConfiguration(o -> o.credentialsProvider(f.sandbox.credentials())));

        RunResult result = f.runner(dir).build().run(pipeline(deploy().canary(10, Duration.ofMillis(20))));

        assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
        List<Routing> history = api.aliasHistory("live");
        assertThat(history.subList(2, history.size())).containsExactly(routing("1", Map.of()),
                routing("1", Map.of("3", 0.1)), routing("3", Map.of()));
        assertThat(f.output.get(0)).isEqualTo("Alias 'live' still sends 10.0% of its traffic to version 2 (an"
                + " interrupted deploy); putting all its traffic back on version 1 first.");
    }

    @Test
    void accessDenied_failsTheStageNamingOperationResourceAndCode_withoutTouchingTheAlias() {
        f.sandbox.failNext(Service.LAMBDA, "UpdateFunctionCode", 403, "AccessDeniedException", 1);

        RunResult result = f.runner(dir).build().run(pipeline(deploy()));

        assertThat(stage(result).outcome()).isEqualTo(StageOutcome.FAILED);
        assertThat(stage(result).message()).hasValueSatisfying(m -> assertThat(m).startsWith(
                "step 1 'deploy housing-api-staging (alias live)' failed: Lambda UpdateFunctionCode on function"
                + " 'housing-api-staging' failed: AccessDeniedException (HTTP 403) after 1 attempt:"
                + " AccessDeniedException: injected by the AWS sandbox (failNext)"));
        assertThat(api.aliasHistory("live")).hasSize(1);
    }

    @Test
    void throttling_isRetriedByTheStandardStrategy_thenAClearFailureOnceItGivesUp() throws Exception {
        LambdaClient retrying = f.sandbox.lambdaClientBuilder()
                .overrideConfiguration(o -> o.retryStrategy(DeployFixture.quickStandardRetries())).build();
        LambdaDeployHandler handler = new LambdaDeployHandler(retrying, f.cloudWatch, DeployFixture.POLL,
                DeployFixture.POLL);
        f.sandbox.failNext(Service.LAMBDA, "PublishVersion", 429, "TooManyRequestsException", 2);
        f.sandbox.failNext(Service.LAMBDA, "UpdateAlias", 503, "ServiceException", 2);

        RunResult result = f.runner(dir).addStepHandler(handler).build().run(pipeline(deploy()));

        assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(f.sandbox.requests(Service.LAMBDA, "PublishVersion")).isEqualTo(3);
        assertThat(f.sandbox.requests(Service.LAMBDA, "UpdateAlias")).isEqualTo(3);
        assertThat(api.aliasVersion("live")).contains("2");

        DeployFixture.writeZip(dir.resolve(ZIP), "exports.handler = async () => ({statusCode: 500});");
        f.sandbox.failNext(Service.LAMBDA, "UpdateFunctionCode", 429, "TooManyRequestsException", 5);
        RunResult throttled = f.runner(dir).addStepHandler(handler).build().run(pipeline(deploy()));

        assertThat(stage(throttled).message()).hasValueSatisfying(m -> assertThat(m).contains(
                "Lambda UpdateFunctionCode on function 'housing-api-staging' failed: TooManyRequestsException"
                + " (HTTP 429) after 3 attempts"));
        retrying.close();
    }

    @Test
    void failureWhileMovingTraffic_rollsBack_andAFailedRollbackSaysWhereTheAliasWasLeft() throws Exception {
        RunResult rolledBack = f.runner(dir, line -> {
            if (line.startsWith("Alias 'live' sends 10%")) {
                f.sandbox.failNext(Service.LAMBDA, "UpdateAlias", 500, "ServiceException", 1);
            }
        }).build().run(pipeline(deploy().canary(10, Duration.ofMillis(10))));

        assertThat(stage(rolledBack).outcome()).isEqualTo(StageOutcome.ROLLED_BACK);
        assertThat(stage(rolledBack).message()).hasValueSatisfying(m -> assertThat(m).contains(
                "Lambda UpdateAlias on alias 'live' of function 'housing-api-staging' failed: ServiceException"
                + " (HTTP 500)").endsWith("Alias 'live' of function 'housing-api-staging' is back on version 1."));
        assertThat(api.aliasHistory("live").get(api.aliasHistory("live").size() - 1))
                .isEqualTo(routing("1", Map.of()));

        DeployFixture.writeZip(dir.resolve(ZIP), "exports.handler = async () => ({statusCode: 201});");
        RunResult stuck = f.runner(dir, line -> {
            if (line.startsWith("Alias 'live' sends 10%")) {
                f.sandbox.failNext(Service.LAMBDA, "UpdateAlias", 500, "ServiceException", 2);
            }
        }).build().run(pipeline(deploy().canary(10, Duration.ofMillis(10))));

        assertThat(stage(stuck).outcome()).isEqualTo(StageOutcome.FAILED);
        assertThat(stage(stuck).message()).hasValueSatisfying(m -> assertThat(m).contains(". Rolling back failed too:")
                .contains("Alias 'live' may still send traffic to the new version: point it at version 1"));
        assertThat(api.aliasWeights("live")).isNotEmpty();

        RunResult rerun = f.runner(dir).build().run(pipeline(deploy().canary(10, Duration.ofMillis(10))));
        assertThat(rerun.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(api.aliasWeights("live")).isEmpty();
        assertThat(api.codeSha256(api.aliasVersion("live").orElseThrow())).contains(LambdaDeployHandler.sha256(
                DeployFixture.zip("exports.handler = async () => ({statusCode: 201});")));
    }

    @Test
    void cancellingTheRunMidCanary_putsTheTrafficBack() {
        AtomicReference<LocalRunner> runner = new AtomicReference<>();
        runner.set(f.runner(dir, line -> {
            if (line.startsWith("Alias 'live' sends 10%")) {
                runner.get().cancel();
            }
        }).build());

        RunResult result = runner.get().run(pipeline(deploy().canary(10, Duration.ofMinutes(10))));

        assertThat(result.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(stage(result).outcome()).isEqualTo(StageOutcome.CANCELLED);
        assertThat(api.aliasHistory("live")).containsExactly(routing("1", Map.of()), routing("1", Map.of("2", 0.1)),
                routing("1", Map.of()));
    }

    @Test
    void failedCodeUpdate_failsWithLambdasReason() {
        api.failNextUpdate("The runtime could not load the handler.");

        RunResult result = f.runner(dir).build().run(pipeline(deploy()));

        assertThat(stage(result).message()).hasValueSatisfying(m -> assertThat(m).contains(
                "The last update of function 'housing-api-staging' failed: ")
                .contains("The runtime could not load the handler."));
        assertThat(api.versions()).containsExactly("1");
    }

    @Test
    void missingZip_missingAlias_andMissingCredentials_areClearFailures() {
        RunResult noZip = f.runner(dir).build().run(pipeline(Lambda.deploy(FUNCTION).zip("build/nope.zip")));
        assertThat(stage(noZip).message()).hasValueSatisfying(m -> assertThat(m).contains(
                "The zip file build/nope.zip does not exist in the workspace"));

        RunResult noAlias = f.runner(dir).build().run(pipeline(deploy().alias("prod")));
        assertThat(stage(noAlias).message()).hasValueSatisfying(m -> assertThat(m).contains(
                "Lambda GetAlias on alias 'prod' of function 'housing-api-staging' failed: ResourceNotFoundException"
                + " (HTTP 404)").contains("aws lambda create-alias --function-name housing-api-staging --name prod"));

        Pipeline roleless = Pipeline.named("housing-api").stage("deploy", s -> s.step(deploy())).build();
        RunResult noCredentials = f.runner(dir).build().run(roleless);
        assertThat(stage(noCredentials).message()).hasValueSatisfying(m -> assertThat(m).contains(
                "step 'deploy housing-api-staging (alias live)' needs AWS credentials, and stage 'deploy' has none"));
        assertThat(f.sandbox.requests(Service.LAMBDA, "UpdateFunctionCode")).isZero();
    }

    @Test
    void bakeLongerThanTheStageMayRun_failsBeforeMovingTraffic() {
        Pipeline p = Pipeline.named("housing-api").role(DeployFixture.DEPLOYER)
                .stage("deploy", s -> s.as(DeployFixture.DEPLOYER).timeout(Duration.ofMinutes(2))
                        .step(deploy().linear(20, Duration.ofMinutes(1))))
                .build();

        RunResult result = f.runner(dir).build().run(p);

        assertThat(stage(result).message()).hasValueSatisfying(m -> assertThat(m).contains(
                "Traffic shifting (linear 20% every PT1M) bakes for PT4M, but the stage must end by"));
        assertThat(api.aliasHistory("live")).hasSize(1);
    }
}
