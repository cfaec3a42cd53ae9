package dev.pipewright.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipewright.CheckResult;
import dev.pipewright.Gate;
import dev.pipewright.Pipeline;
import dev.pipewright.Ref;
import dev.pipewright.aws.AwsSandbox.Service;
import dev.pipewright.aws.FakeCloudWatch.AlarmState;
import dev.pipewright.aws.FakeSns.Message;
import dev.pipewright.aws.SnsNotifications.Event;
import dev.pipewright.run.Approvers;
import dev.pipewright.spi.Facts;
import dev.pipewright.spi.RunResult;
import dev.pipewright.spi.RunStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.services.sns.SnsClient;

/** Notifications published by a real SNS client to the sandbox, from real runs. */
class SnsNotificationsTest {
    private static final String COMMIT = "4f1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c";

    @TempDir
    Path dir;

    private DeployFixture f;
    private SnsClient sns;
    private String topic;

    @BeforeEach
    void setUp() {
        f = new DeployFixture();
        sns = f.sandbox.snsClientBuilder().overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
        topic = f.sandbox.sns().givenTopic("housing-api-deploys");
    }

    @AfterEach
    void tearDown() {
        sns.close();
        f.close();
    }

    private dev.pipewright.run.LocalRunner.Builder runner(SnsNotifications notifications) {
        return f.runner(dir).facts(Facts.builder().ref(Ref.branch("master")).commit(COMMIT).build())
                .addListener(notifications);
    }

    private List<Message> published() {
        return f.sandbox.sns().published();
    }

    @Test
    void rollback_andTheRunsFailure_areEachNotified_withAttributesForFilters() throws Exception {
        FakeFunction api = f.sandbox.lambda().givenFunction("housing-api-production");
        api.alias("live", api.publish());
        DeployFixture.writeZip(dir.resolve("fn.zip"), "v2");
        f.sandbox.cloudWatch().alarm("api-5xx", AlarmState.OK);
        Pipeline p = Pipeline.named("housing-api").role(DeployFixture.DEPLOYER)
                .stage("deploy-production", s -> s.as(DeployFixture.DEPLOYER).step(Lambda
                        .deploy("housing-api-production").zip("fn.zip").canary(10, Duration.ofMinutes(5))
                        .alarms("api-5xx")))
                .build();

        RunResult result = f.runner(dir, line -> {
            if (line.startsWith("Alias 'live' sends 10%")) {
                f.sandbox.cloudWatch().alarm("api-5xx", AlarmState.ALARM, "5xx above 1%");
            }
        }).facts(Facts.builder().ref(Ref.branch("master")).commit(COMMIT).build())
                .addListener(SnsNotifications.to(topic, sns)).build().run(p);

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(published()).hasSize(2);
        Message rollback = published().get(0);
        assertThat(rollback.topicArn()).isEqualTo(topic);
        assertThat(rollback.subject()).contains("[housing-api] deploy-production rolled back");
        assertThat(rollback.attributes()).isEqualTo(Map.of("event", "rollback", "pipeline", "housing-api"));
        assertThat(rollback.message()).isEqualTo("Stage deploy-production of pipeline housing-api failed and rolled"
                + " back:\nstep 1 'deploy housing-api-production (alias live)' failed: alarm 'api-5xx' is ALARM"
                + " (5xx above 1%) with version 2 at 10% of the traffic. Alias 'live' of function"
                + " 'housing-api-production' is back on version 1.\nRun " + result.runId() + ", for branch main at"
                + " 4f1c2d3e4f5a.");
        Message failure = published().get(1);
        assertThat(failure.subject()).contains("[housing-api] run failed: deploy-production rolled back");
        assertThat(failure.attributes()).containsEntry("event", "failure");
        assertThat(failure.message()).startsWith("Run " + result.runId() + " of pipeline housing-api failed: stage"
                + " 'deploy-production' rolled back: step 1").contains("\nStages:\n  deploy-production: ROLLED_BACK - ");
    }

    @Test
    void pendingApproval_isNotified_withWhoMayApprove() {
        Pipeline p = Pipeline.named("housing-api")
                .stage("deploy-production", s -> s.gate(Gate.manualApproval(a -> a.name("approve-production")
                        .message("Deploy housing-api to production?").approvers("housing-leads")))
                        .run("echo deploying"))
                .build();

        runner(SnsNotifications.to(topic, sns).on(Event.APPROVAL)).approver(Approvers.none()).build().run(p);

        assertThat(published()).singleElement().satisfies(m -> {
            assertThat(m.subject()).contains("[housing-api] deploy-production waits for approval"
                    + " 'approve-production'");
            assertThat(m.attributes()).containsEntry("event", "approval");
            assertThat(m.message()).startsWith("Stage deploy-production of pipeline housing-api waits for manual"
                    + " approval 'approve-production': Deploy housing-api to production?.\nWho may approve:"
                    + " housing-leads.\nRun ");
        });
    }

    @Test
    void secretScanFindings_areNotified_asFoundByTheGate() {
        Pipeline p = Pipeline.named("housing-api")
                .stage("deploy", s -> s.gate(Gate.check(SnsNotifications.SECRET_SCAN_GATE, ctx -> CheckResult.fail(
                        "1 secret in the run's commits: src/config.py:3:12 aws-access-key AKIA****...MPLE")))
                        .run("echo deploying"))
                .build();

        runner(SnsNotifications.to(topic, sns).on(Event.SECRETS)).build().run(p);

        assertThat(published()).singleElement().satisfies(m -> {
            assertThat(m.subject()).contains("[housing-api] secrets found; deploy blocked");
            assertThat(m.message()).startsWith("Secret scanning (gate 'no-new-secrets') blocked stage deploy of"
                    + " pipeline housing-api:\n1 secret in the run's commits: src/config.py:3:12 aws-access-key"
                    + " AKIA****...MPLE\nRemove the secrets");
        });
    }

    @Test
    void messages_areMasked_likeEveryOtherOutput() {
        String token = "s3cr3t-t0ken-value-9f8e7d6c5b4a";
        Pipeline p = Pipeline.named("housing-api")
                .stage("smoke", s -> s.secrets("API_TOKEN").java("call", ctx -> {
                    throw new IllegalStateException("401 for token " + ctx.environment().get("API_TOKEN"));
                }))
                .build();

        runner(SnsNotifications.to(topic, sns)).secrets(Map.of("API_TOKEN", token)).build().run(p);

        assertThat(published()).singleElement().satisfies(m -> assertThat(m.message()).contains("401 for token")
                .doesNotContain(token));
    }

    @Test
    void failingToNotify_isLogged_andNeverFailsTheRun() {
        f.sandbox.failNext(Service.SNS, "Publish", 500, "InternalError", 1);
        String unknown = "arn:aws:sns:eu-west-2:123456789012:nobody-listens";
        Pipeline p = Pipeline.named("housing-api").stage("a", s -> s.run("exit 3")).build();

        RunResult first = runner(SnsNotifications.to(topic, sns)).build().run(p);
        RunResult second = runner(SnsNotifications.to(unknown, sns)).build().run(p);

        assertThat(first.status()).isEqualTo(RunStatus.FAILED);
        assertThat(second.status()).isEqualTo(RunStatus.FAILED);
        assertThat(first.message()).hasValue("stage 'a' failed: step 1 'exit 3' failed: exit code 3");
        assertThat(published()).isEmpty();
    }

    @Test
    void succeededRuns_andUnselectedEvents_sendNothing() {
        Pipeline ok = Pipeline.named("housing-api").stage("a", s -> s.run("true")).build();
        Pipeline failing = Pipeline.named("housing-api").stage("a", s -> s.run("false")).build();

        runner(SnsNotifications.to(topic, sns)).build().run(ok);
        runner(SnsNotifications.to(topic, sns).on(Event.ROLLBACK, Event.APPROVAL)).build().run(failing);

        assertThat(published()).isEmpty();
    }

    @Test
    void subjects_arePrintableAsciiOfAtMost100Characters_andTopicsAreChecked() {
        assertThat(SnsNotifications.subject("[api] déploiement\nfailed")).isEqualTo("[api] d?ploiement failed");
        assertThat(SnsNotifications.subject("x".repeat(150))).hasSize(100).endsWith("xx...");
        assertThatThrownBy(() -> SnsNotifications.to("housing-api-deploys", sns))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'housing-api-deploys' is not an SNS topic ARN");
        assertThatThrownBy(() -> SnsNotifications.to(topic, sns).on()).isInstanceOf(IllegalArgumentException.class);
    }
}
