package dev.pipewright.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipewright.Environment;
import dev.pipewright.Gate;
import dev.pipewright.JavaStep;
import dev.pipewright.Pipeline;
import dev.pipewright.PipewrightException;
import dev.pipewright.Ref;
import dev.pipewright.Role;
import dev.pipewright.ShellStep;
import dev.pipewright.Step;
import dev.pipewright.CheckResult;
import dev.pipewright.spi.Approval;
import dev.pipewright.spi.ApprovalRequest;
import dev.pipewright.spi.Facts;
import dev.pipewright.spi.RunListener;
import dev.pipewright.spi.RunResult;
import dev.pipewright.spi.RunStatus;
import dev.pipewright.spi.StageOutcome;
import dev.pipewright.spi.StageResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs real pipelines: real threads, real shell processes, real journal files. */
class LocalRunnerTest {
    private static final String SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzz9secretKey";

    @TempDir
    Path dir;

    private final Recorder events = new Recorder();

    /** The runner's own environment: PATH and HOME, plus credentials no role-less stage may see. */
    private Map<String, String> hostEnvironment() {
        return Map.of("PATH", System.getenv("PATH"), "HOME", dir.toString(),
                "AWS_SECRET_ACCESS_KEY", SECRET_KEY, "AWS_ACCESS_KEY_ID", "AKIAHOSTHOSTHOSTHOST",
                "GITHUB_TOKEN", "ghp_hosttokenhosttokenhosttoken123456", "LANG", "C.UTF-8");
    }

    private LocalRunner.Builder runner() {
        return LocalRunner.builder()
                .workspace(dir)
                .locks(dir.resolve("locks"))
                .environment(hostEnvironment())
                .ref(Ref.branch("main"))
                .gracePeriod(Duration.ofMillis(500))
                .discover(false)
                .addListener(events);
    }

    private static StageOutcome outcome(RunResult result, String stage) {
        return result.stage(stage).orElseThrow().outcome();
    }

    @Test
    void run_startsStagesOnlyAfterWhatTheyNeed() {
        List<String> order = new CopyOnWriteArrayList<>();
        Pipeline p = Pipeline.named("p")
                .stage("a", s -> s.java("a", c -> order.add("a")))
                .stage("b", s -> s.needs("a").java("b", c -> order.add("b")))
                .stage("c", s -> s.needs("a").java("c", c -> order.add("c")))
                .stage("d", s -> s.needs("b", "c").java("d", c -> order.add("d")))
                .build();

        RunResult result = runner().build().run(p);

        assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(result.exitCode()).isZero();
        assertThat(order.get(0)).isEqualTo("a");
        assertThat(order.get(3)).isEqualTo("d");
        assertThat(order).containsExactlyInAnyOrder("a", "b", "c", "d");
        assertThat(result.stages()).extracting(StageResult::outcome).containsOnly(StageOutcome.SUCCEEDED);
    }

    @Test
    void run_withStageNamesSharingAHashCode_startsStagesOnlyAfterWhatTheyNeed() {
        assertThat("Aa".hashCode()).isEqualTo("BB".hashCode()); // needs are then resolved by name, not hash code
        List<String> order = new CopyOnWriteArrayList<>();
        Pipeline p = Pipeline.named("p")
                .stage("Aa", s -> s.java("Aa", c -> order.add("Aa")))
                .stage("BB", s -> s.needs("Aa").java("BB", c -> order.add("BB")))
                .stage("C", s -> s.needs(new String("BB")).java("C", c -> order.add("C")))
                .build();

        RunResult result = runner().build().run(p);

        assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(order).containsExactly("Aa", "BB", "C");
    }

    @Test
    void run_neverExceedsConcurrency() {
        AtomicInteger now = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        JavaStep.Action busy = c -> {
            most.accumulateAndGet(now.incrementAndGet(), Math::max);
            Thread.sleep(30);
            now.decrementAndGet();
        };
        Pipeline.Builder b = Pipeline.named("p").stage("s0", s -> s.java("work", busy));
        for (int i = 1; i < 8; i++) {
            b.stage("s" + i, s -> s.java("work", busy));
        }

        RunResult result = runner().concurrency(2).build().run(b.build());

        assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(most.get()).isBetween(1, 2);
    }

    @Test
    void failure_cancelsRunningSiblingProcessTree_andSkipsDownstream() throws Exception {
        Path pidFile = dir.resolve("sleeper.pid");
        Pipeline p = Pipeline.named("p")
                .stage("sleeper", s -> s.run("sleep 60 & echo $! > sleep.pid; echo $$ > sleeper.pid; wait"))
                .stage("fails", s -> s.run("while [ ! -s sleeper.pid ]; do sleep 0.05; done; exit 3"))
                .stage("after", s -> s.needs("fails").run("echo never"))
                .build();
        Map<String, Long> finished = new java.util.concurrent.ConcurrentHashMap<>();
        RunListener clock = new RunListener() {
            @Override
            public void stageFinished(StageResult r) {
                finished.put(r.stage(), System.nanoTime());
            }
        };

        long start = System.nanoTime();
        RunResult result = runner().gracePeriod(Duration.ofSeconds(5)).addListener(clock).build().run(p);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(outcome(result, "fails")).isEqualTo(StageOutcome.FAILED);
        assertThat(result.stage("fails").orElseThrow().exitCode()).hasValue(3);
        assertThat(outcome(result, "sleeper")).isEqualTo(StageOutcome.CANCELLED);
        assertThat(outcome(result, "after")).isEqualTo(StageOutcome.CANCELLED);
        assertThat(result.message()).hasValueSatisfying(m -> assertThat(m).contains("stage 'fails' failed"));
        for (Path pids : List.of(pidFile, dir.resolve("sleep.pid"))) { // the shell and its sleep
            assertThat(ShellCommandTest.gone(Long.parseLong(Files.readString(pids).strip()))).as(pids.toString())
                    .isTrue();
        }
        // Gone within a second of the failure (about 0.1 s): TERM ends both at once, long before the 5 s grace.
        assertThat(Duration.ofNanos(finished.get("sleeper") - finished.get("fails"))).isLessThan(Duration.ofSeconds(1));
        assertThat(took).isLessThan(Duration.ofSeconds(20)); // the sleeper alone would take 60 s
    }

    @Test
    void stageTimeout_stopsTheStage_andFailsTheRun() {
        Pipeline p = Pipeline.named("p")
                .stage("slow", s -> s.timeout(Duration.ofMillis(300)).run("sleep 60"))
                .build();

        RunResult result = runner().build().run(p);

        assertThat(outcome(result, "slow")).isEqualTo(StageOutcome.TIMED_OUT);
        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.stage("slow").orElseThrow().message()).hasValueSatisfying(m -> assertThat(m)
                .contains("deadline"));
    }

    @Test
    void runTimeout_stopsRunningStagesAsTimedOut() {
        Pipeline p = Pipeline.named("p").stage("slow", s -> s.run("sleep 60")).build();

        RunResult result = runner().timeout(Duration.ofMillis(300)).build().run(p);

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(outcome(result, "slow")).isEqualTo(StageOutcome.TIMED_OUT);
        assertThat(result.message()).hasValueSatisfying(m -> assertThat(m).contains("timeout"));
    }

    @Test
    void retry_runsAgainWithBackoff_untilItSucceeds() {
        AtomicInteger tries = new AtomicInteger();
        Pipeline p = Pipeline.named("p")
                .stage("flaky", s -> s.retry(3, Duration.ofMillis(10)).java("flaky", c -> {
                    if (tries.incrementAndGet() < 3) {
                        throw new IllegalStateException("not yet");
                    }
                }))
                .build();

        RunResult result = runner().build().run(p);

        assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(result.stage("flaky").orElseThrow().attempts()).isEqualTo(3);
        assertThat(events.lines).contains("retrying flaky 2 PT0.01S", "retrying flaky 3 PT0.02S");
    }

    @Test
    void retry_neverStartsPastTheRunDeadline() {
        Pipeline p = Pipeline.named("p")
                .stage("flaky", s -> s.retry(3, Duration.ofHours(1)).run("exit 1"))
                .build();

        RunResult result = runner().timeout(Duration.ofMinutes(5)).build().run(p);

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.stage("flaky").orElseThrow().attempts()).isEqualTo(1);
        assertThat(result.stage("flaky").orElseThrow().message()).hasValueSatisfying(m -> assertThat(m)
                .contains("not retried"));
    }

    @Test
    void failure_runsOnFailureHooksAfterCancelling_thenAlways() {
        List<String> order = new CopyOnWriteArrayList<>();
        Pipeline p = Pipeline.named("p")
                .stage("deploy", s -> s.java("deploy", c -> {
                    order.add("deploy");
                    throw new IllegalStateException("health check failed");
                }).onFailure(JavaStep.of("rollback", c -> order.add("rollback"))))
                .stage("ok", s -> s.java("ok", c -> order.add("ok")).onFailure(JavaStep.of("not-me",
                        c -> order.add("wrong rollback"))))
                .onFailure(JavaStep.of("notify", c -> order.add("notify")))
                .always(JavaStep.of("clean", c -> order.add("clean")))
                .build();

        RunResult result = runner().concurrency(1).build().run(p);

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(order).containsSubsequence("deploy", "rollback", "notify", "clean");
        assertThat(order).doesNotContain("wrong rollback");
        assertThat(result.hooks()).extracting(StageResult::stage)
                .containsExactly("deploy:onFailure", "pipeline:onFailure", "pipeline:always");
        assertThat(result.hooks()).extracting(StageResult::outcome).containsOnly(StageOutcome.SUCCEEDED);
    }

    @Test
    void success_runsOnlyAlwaysHooks() {
        List<String> order = new CopyOnWriteArrayList<>();
        Pipeline p = Pipeline.named("p")
                .stage("a", s -> s.java("a", c -> order.add("a")))
                .onFailure(JavaStep.of("notify", c -> order.add("notify")))
                .always(ShellStep.of("echo status=$PIPEWRIGHT_RUN_STATUS"))
                .build();

        RunResult result = runner().build().run(p);

        assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(order).containsExactly("a");
        assertThat(events.lines).contains("out pipeline:always status=SUCCEEDED");
    }

    @Test
    void failingAlwaysHook_failsTheRun() {
        Pipeline p = Pipeline.named("p")
                .stage("a", s -> s.run("true"))
                .always(ShellStep.of("exit 4"))
                .build();

        RunResult result = runner().build().run(p);

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.message()).hasValueSatisfying(m -> assertThat(m).contains("pipeline:always"));
    }

    private static Pipeline approvals() {
        Environment staging = Environment.named("staging").approval().build();
        return Pipeline.named("p")
                .environment(staging)
                .stage("build", s -> s.run("true"))
                .deploy(staging, s -> s.needs("build").run("echo deployed"))
                .stage("smoke", s -> s.needs("deploy-staging").run("true"))
                .build();
    }

    @Test
    void refusedApproval_stopsBeforeTheStage_andCancelsTheRun() {
        RunResult result = runner().approver(Approvers.none()).journal(dir.resolve("runs")).build().run(approvals());

        assertThat(outcome(result, "build")).isEqualTo(StageOutcome.SUCCEEDED);
        assertThat(outcome(result, "deploy-staging")).isEqualTo(StageOutcome.REFUSED);
        assertThat(outcome(result, "smoke")).isEqualTo(StageOutcome.SKIPPED);
        assertThat(result.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(events.lines).doesNotContain("out deploy-staging deployed");
    }

    @Test
    void grantedApproval_isJournaledWithWhoAndWhy() throws IOException {
        Path runs = dir.resolve("runs");
        RunResult result = runner().approver(Approvers.parse("approve-staging")).journal(runs).build()
                .run(approvals());

        assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
        String journal = Files.readString(runs.resolve(result.runId()).resolve(Journal.FILE_NAME));
        assertThat(journal).contains("\"type\":\"ApprovalDecided\"", "\"gate\":\"approve-staging\"",
                "\"approved\":true", "--approve approve-staging");
        assertThat(events.lines).contains("approval deploy-staging approve-staging true");
    }

    @Test
    void approvalTimeout_refuses() {
        Pipeline p = Pipeline.named("p")
                .stage("deploy", s -> s.gate(Gate.manualApproval(g -> g.timeout(Duration.ofMillis(100))))
                        .run("true"))
                .build();
        CountDownLatch never = new CountDownLatch(1);

        RunResult result = runner().approver(r -> {
            never.await();
            return Approval.approve("late", "too late");
        }).build().run(p);

        assertThat(outcome(result, "deploy")).isEqualTo(StageOutcome.REFUSED);
        assertThat(result.stage("deploy").orElseThrow().message()).hasValueSatisfying(m -> assertThat(m)
                .contains("no decision within PT0.1S"));
    }

    @Test
    void failingCheckGate_failsTheStageBeforeItsSteps() {
        AtomicInteger ran = new AtomicInteger();
        Pipeline p = Pipeline.named("p")
                .stage("deploy", s -> s.gate(Gate.check("alarms-ok", c -> CheckResult.fail("alarm 'errors' is in"
                        + " ALARM"))).java("deploy", c -> ran.incrementAndGet()))
                .build();

        RunResult result = runner().build().run(p);

        assertThat(outcome(result, "deploy")).isEqualTo(StageOutcome.FAILED);
        assertThat(result.stage("deploy").orElseThrow().message()).hasValue("gate 'alarms-ok' failed: alarm"
                + " 'errors' is in ALARM");
        assertThat(ran).hasValue(0);
    }

    @Test
    void throwingCheckGate_failsClosed() {
        Pipeline p = Pipeline.named("p")
                .stage("deploy", s -> s.gate(Gate.check("scan", c -> {
                    throw new IOException("disk on fire");
                })).run("true"))
                .build();

        RunResult result = runner().build().run(p);

        assertThat(outcome(result, "deploy")).isEqualTo(StageOutcome.FAILED);
        assertThat(result.stage("deploy").orElseThrow().message()).hasValueSatisfying(m -> assertThat(m)
                .contains("disk on fire"));
    }

    @Test
    void roleLessStage_seesNoCredentials_evenTheRunnersOwn() {
        Pipeline p = Pipeline.named("p").stage("env", s -> s.run("env")).build();

        RunResult result = runner().build().run(p);

        assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
        List<String> env = events.output("env");
        assertThat(env).noneMatch(l -> l.startsWith("AWS_SECRET_ACCESS_KEY=") || l.startsWith("AWS_ACCESS_KEY_ID=")
                || l.startsWith("GITHUB_TOKEN="));
        assertThat(env).contains("AWS_SHARED_CREDENTIALS_FILE=/dev/null", "AWS_CONFIG_FILE=/dev/null",
                "AWS_EC2_METADATA_DISABLED=true", "PIPEWRIGHT_BRANCH=main", "PIPEWRIGHT_STAGE=env");
        assertThat(env).anyMatch(l -> l.startsWith("PATH="));
    }

    @Test
    void pipelineMayLetStagesInheritANamedCredentialLikeVariable() {
        Pipeline p = Pipeline.named("p").inherit("GITHUB_TOKEN").stage("env", s -> s.run("env")).build();

        runner().build().run(p);

        assertThat(events.output("env")).contains("GITHUB_TOKEN=***");
    }

    @Test
    void stageWithRole_getsOnlyItsRolesCredentials_masked() throws IOException {
        Path file = dir.resolve("credentials");
        Files.writeString(file, """
                # test credentials
                [deployer]
                AWS_ACCESS_KEY_ID=AKIAROLEROLEROLEROLE
                AWS_SECRET_ACCESS_KEY=roleSecretRoleSecretRoleSecret1234
                """);
        Role deployer = Role.named("deployer").build();
        Pipeline p = Pipeline.named("p").role(deployer)
                .stage("deploy", s -> s.as(deployer).run("echo key=$AWS_SECRET_ACCESS_KEY; env | grep ^AWS_ | sort"))
                .stage("other", s -> s.run("echo key=${AWS_SECRET_ACCESS_KEY:-none}"))
                .build();

        RunResult result = runner().addCredentialsProvider(LocalCredentials.fromFile(file)).build().run(p);

        assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(events.output("deploy")).contains("key=***", "AWS_ACCESS_KEY_ID=***",
                "AWS_SECRET_ACCESS_KEY=***");
        assertThat(events.output("deploy")).noneMatch(l -> l.contains("/dev/null"));
        assertThat(events.output("other")).containsExactly("key=none");
    }

    @Test
    void secrets_areMaskedInEveryForm_inOutputJournalAndMessages() throws IOException {
        String secret = "s3cr3t/value+with=symbols";
        String base64 = Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8));
        Pipeline p = Pipeline.named("p")
                .stage("leaky", s -> s.secrets("DB_PASSWORD")
                        .run("echo plain=$DB_PASSWORD; printf '%s' \"$DB_PASSWORD\" | base64; printf 'part=%s' "
                                + "\"${DB_PASSWORD:0:6}\"; printf '%s\\n' \"${DB_PASSWORD:6}\"; exit 2",
                                r -> r.name("leak")))
                .build();
        Path runs = dir.resolve("runs");

        RunResult result = runner().secrets(Map.of("DB_PASSWORD", secret)).journal(runs).build().run(p);

        assertThat(events.output("leaky")).contains("plain=***", "***", "part=***");
        String everything = String.join("\n", events.lines) + Files.readString(runs.resolve(result.runId())
                .resolve(Journal.FILE_NAME));
        assertThat(everything).doesNotContain(secret, base64);
    }

    @Test
    void preflight_listsEveryProblem_beforeAnythingRuns() {
        Role deployer = Role.named("deployer").build();
        Step unknown = new Step() {
            @Override
            public String type() {
                return "acme.migrate";
            }

            @Override
            public String name() {
                return "migrate";
            }

            @Override
            public Map<String, String> parameters() {
                return Map.of();
            }
        };
        AtomicInteger ran = new AtomicInteger();
        Pipeline p = Pipeline.named("p").role(deployer)
                .stage("first", s -> s.java("count", c -> ran.incrementAndGet()))
                .stage("migrate", s -> s.as(deployer).secrets("DB_URL").step(unknown))
                .build();

        assertThatThrownBy(() -> runner().build().run(p))
                .isInstanceOf(PipewrightException.class)
                .hasMessageContaining("cannot run for branch main (3 problems)")
                .hasMessageContaining("stage 'migrate' > step 1 (migrate): no handler runs steps of type"
                        + " 'acme.migrate'")
                .hasMessageContaining("secret 'DB_URL' has no value")
                .hasMessageContaining("role 'deployer': no credentials provider supports it");
        assertThat(ran).hasValue(0);
    }

    @Test
    void unknownRef_isAClearError() {
        Pipeline p = Pipeline.named("p").stage("a", s -> s.run("true")).build();

        assertThatThrownBy(() -> LocalRunner.builder().workspace(dir).discover(false).build().run(p))
                .isInstanceOf(PipewrightException.class)
                .hasMessageContaining("Pass --branch NAME or --tag NAME");
    }

    @Test
    void filters_skipStagesForOtherBranches() {
        Pipeline p = Pipeline.named("p")
                .stage("test", s -> s.run("true"))
                .stage("release", s -> s.needs("test").branches("master").run("true"))
                .build();

        RunResult result = runner().build().run(p);

        assertThat(outcome(result, "release")).isEqualTo(StageOutcome.SKIPPED);
        assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
    }

    @Test
    void resume_skipsWhatSucceeded_andRerunsWhatFailed() throws IOException {
        Path runs = dir.resolve("runs");
        Path flag = dir.resolve("fixed");
        AtomicInteger builds = new AtomicInteger();
        Pipeline p = Pipeline.named("p")
                .stage("build", s -> s.java("build", c -> builds.incrementAndGet()))
                .stage("test", s -> s.needs("build").run("test -e fixed"))
                .build();

        RunResult first = runner().journal(runs).build().run(p);
        Files.createFile(flag);
        RunResult second = runner().journal(runs).build().resume(p, first.runId());

        assertThat(first.status()).isEqualTo(RunStatus.FAILED);
        assertThat(second.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(second.runId()).isEqualTo(first.runId());
        assertThat(builds).hasValue(1);
        assertThat(second.stage("test").orElseThrow().attempts()).isEqualTo(2); // one before the resume, one after
        assertThat(Files.readString(runs.resolve(first.runId()).resolve(Journal.FILE_NAME)))
                .contains("\"stage\":\"test\",\"attempt\":2");
    }

    @Test
    void rolledBackStep_endsTheStageRolledBack_notRetried_journaled_andRerunOnResume() throws IOException {
        Path runs = dir.resolve("runs");
        AtomicInteger deploys = new AtomicInteger();
        dev.pipewright.spi.StepHandler deployer = new dev.pipewright.spi.StepHandler() {
            @Override
            public String type() {
                return "acme.deploy";
            }

            @Override
            public void run(Step step, dev.pipewright.spi.StepContext context) {
                if (deploys.incrementAndGet() == 1) {
                    throw dev.pipewright.spi.StepFailedException.rolledBack("alarm 'api-5xx' fired; alias 'live'"
                            + " is back on version 41");
                }
            }
        };
        Pipeline p = Pipeline.named("p")
                .stage("deploy", s -> s.retry(3, Duration.ofMillis(1)).step(new Named("acme.deploy", "deploy"))
                        .onFailure(ShellStep.of("echo cleaning up")))
                .stage("smoke", s -> s.needs("deploy").run("true"))
                .build();

        RunResult first = runner().journal(runs).addStepHandler(deployer).build().run(p);
        RunResult second = runner().journal(runs).addStepHandler(deployer).build().resume(p, first.runId());

        assertThat(first.status()).isEqualTo(RunStatus.FAILED);
        StageResult deploy = first.stage("deploy").orElseThrow();
        assertThat(deploy.outcome()).isEqualTo(StageOutcome.ROLLED_BACK);
        assertThat(deploy.attempts()).isEqualTo(1);
        assertThat(deploy.message()).hasValue("step 1 'deploy' failed: alarm 'api-5xx' fired; alias 'live' is back"
                + " on version 41");
        assertThat(first.message()).hasValueSatisfying(m -> assertThat(m).startsWith("stage 'deploy' rolled back:"));
        assertThat(first.stage("smoke").orElseThrow().message()).hasValue("it needs 'deploy', which rolled back");
        assertThat(first.hooks()).extracting(StageResult::stage).containsExactly("deploy:onFailure");
        assertThat(Files.readString(runs.resolve(first.runId()).resolve(Journal.FILE_NAME)))
                .contains("\"outcome\":\"ROLLED_BACK\"");
        assertThat(second.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(deploys).hasValue(2);
    }

    @Test
    void resume_refusesWhenThePipelineChanged() {
        Path runs = dir.resolve("runs");
        Pipeline p = Pipeline.named("p").stage("a", s -> s.run("exit 1")).build();
        RunResult first = runner().journal(runs).build().run(p);
        Pipeline changed = Pipeline.named("p").stage("a", s -> s.run("exit 0")).build();

        assertThatThrownBy(() -> runner().journal(runs).build().resume(changed, first.runId()))
                .isInstanceOf(PipewrightException.class)
                .hasMessageContaining("has changed since the run started");
    }

    @Test
    void resume_forAnotherBranch_isRefused_andWithoutOne_keepsTheJournaledBranch() throws IOException {
        Path runs = dir.resolve("runs");
        Pipeline p = Pipeline.named("p")
                .stage("build", s -> s.run("test -e fixed"))
                .stage("release", s -> s.needs("build").branches("master").run("true"))
                .build();
        RunResult first = runner().journal(runs).ref(Ref.branch("master")).build().run(p);

        assertThatThrownBy(() -> runner().journal(runs).ref(Ref.branch("development")).build()
                .resume(p, first.runId()))
                .isInstanceOf(PipewrightException.class)
                .hasMessage("Cannot resume run " + first.runId() + " of pipeline 'p': it started for branch master,"
                        + " not branch development. Resume it for branch master (give that, or no branch or tag),"
                        + " or start a new run for branch development without --resume.");
        Supplier<LocalRunner.Builder> noRef = () -> LocalRunner.builder().workspace(dir).locks(dir.resolve("locks"))
                .environment(hostEnvironment()).discover(false).journal(runs);
        assertThatThrownBy(() -> noRef.get().facts(Facts.builder().ref(Ref.tag("v1")).build()).build()
                .resume(p, first.runId()))
                .hasMessageContaining("it started for branch master, not tag v1.");

        Files.createFile(dir.resolve("fixed"));
        RunResult second = noRef.get().build().resume(p, first.runId());

        assertThat(first.status()).isEqualTo(RunStatus.FAILED);
        assertThat(second.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(outcome(second, "release")).isEqualTo(StageOutcome.SUCCEEDED); // planned for master, as it began
    }

    @Test
    void run_withoutARefOutsideARepository_saysSoBeforeAnythingRuns() {
        dev.pipewright.spi.Plugin reader = new dev.pipewright.spi.Plugin() {
            @Override
            public String name() {
                return "reader";
            }

            @Override
            public Optional<dev.pipewright.spi.RepositoryFacts> repositoryFacts() {
                return Optional.of(folder -> Optional.empty());
            }
        };
        Pipeline p = Pipeline.named("p").stage("a", s -> s.run("touch ran")).build();

        assertThatThrownBy(() -> LocalRunner.builder().workspace(dir).locks(dir.resolve("locks"))
                .environment(hostEnvironment()).discover(false).addPlugin(reader).build().run(p))
                .isInstanceOf(PipewrightException.class)
                .hasMessage("Pipeline 'p' cannot run: the branch or tag it runs for is unknown (" + dir + " is not in"
                        + " a repository). Pass --branch NAME or --tag NAME (LocalRunner.builder().ref(...)).");
        assertThat(dir.resolve("ran")).doesNotExist();
    }

    @Test
    void resume_withoutJournal_isAClearError() {
        Pipeline p = Pipeline.named("p").stage("a", s -> s.run("true")).build();

        assertThatThrownBy(() -> runner().build().resume(p, "20261126T101500Z-1a2b3c"))
                .hasMessageContaining("keeps no journal");
    }

    @Test
    void environmentLock_heldByALivingProcess_failsTheDeploy() throws Exception {
        Environment dev = Environment.named("development").build();
        Pipeline p = Pipeline.named("p").environment(dev).deploy(dev, s -> s.run("echo deployed")
                .onFailure(ShellStep.of("echo rolling back"))).build();
        Process other = new ProcessBuilder("sleep", "30").start();
        try {
            Path lock = dir.resolve("locks/p/development.lock");
            Files.createDirectories(lock.getParent());
            Files.writeString(lock, other.pid() + " " + other.info().startInstant().orElseThrow() + " 20261126T000000Z-abcdef\n");

            RunResult result = runner().build().run(p);

            assertThat(outcome(result, "deploy-development")).isEqualTo(StageOutcome.FAILED);
            assertThat(result.hooks()).as("no rollback of a deploy that never began").isEmpty();
            assertThat(result.stage("deploy-development").orElseThrow().message()).hasValueSatisfying(m ->
                    assertThat(m).contains("being deployed by run 20261126T000000Z-abcdef (process " + other.pid()));
            assertThat(lock).exists();
        } finally {
            other.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void environmentLock_ofADeadProcess_isBroken_andReleasedAfterTheRun() throws Exception {
        Environment dev = Environment.named("development").build();
        Pipeline p = Pipeline.named("p").environment(dev).deploy(dev, s -> s.run("echo deployed")).build();
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path lock = dir.resolve("locks/p/development.lock");
        Files.createDirectories(lock.getParent());
        Files.writeString(lock, gone.pid() + " - 20261126T000000Z-abcdef\n");

        RunResult result = runner().build().run(p);

        assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(lock).doesNotExist();
    }

    @Test
    void cancel_stopsRunningStages_andRunsHooks() throws Exception {
        List<String> hooks = new CopyOnWriteArrayList<>();
        Pipeline p = Pipeline.named("p")
                .stage("long", s -> s.run("echo started; sleep 60"))
                .onFailure(JavaStep.of("notify", c -> hooks.add("notify")))
                .build();
        LocalRunner runner = runner().build();
        Thread canceller = new Thread(() -> {
            while (!events.lines.contains("out long started")) {
                Thread.onSpinWait();
            }
            runner.cancel();
        });
        canceller.start();

        RunResult result = runner.run(p);
        canceller.join();

        assertThat(result.status()).isEqualTo(RunStatus.CANCELLED);
        assertThat(outcome(result, "long")).isEqualTo(StageOutcome.CANCELLED);
        assertThat(hooks).containsExactly("notify");
    }

    @Test
    void javaStepIgnoringCancellation_isAbandoned_soTheRunStillEnds() {
        CountDownLatch forever = new CountDownLatch(1);
        Pipeline p = Pipeline.named("p")
                .stage("stubborn", s -> s.java("stubborn", c -> {
                    while (true) {
                        try {
                            forever.await();
                        } catch (InterruptedException ignored) {
                            // deliberately deaf
                        }
                    }
                }))
                .stage("fails", s -> s.run("sleep 0.2; exit 1"))
                .build();

        RunResult result = runner().gracePeriod(Duration.ZERO).build().run(p);

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(outcome(result, "stubborn")).isEqualTo(StageOutcome.CANCELLED);
        assertThat(result.stage("stubborn").orElseThrow().message()).hasValueSatisfying(m -> assertThat(m)
                .contains("abandoned"));
    }

    @Test
    void runFacts_reachSteps() {
        List<String> seen = new CopyOnWriteArrayList<>();
        Pipeline p = Pipeline.named("p").stage("a", s -> s.java("a", c -> seen.add(c.ref() + " " + c.commit()
                .orElse("?")))).build();

        runner().facts(Facts.builder().ref(Ref.branch("feature")).commit("abc123").build()).build().run(p);

        assertThat(seen).containsExactly("branch main abc123"); // ref() overrides the facts' branch
    }

    @Test
    void plugins_twoHandlersForOneType_isAnErrorNamingBoth_explicitHandlerWins() {
        dev.pipewright.spi.StepHandler a = handler("acme.migrate");
        dev.pipewright.spi.Plugin first = plugin("first", a);
        dev.pipewright.spi.Plugin second = plugin("second", handler("acme.migrate"));

        assertThatThrownBy(() -> LocalRunner.builder().addPlugin(first).addPlugin(second).build())
                .isInstanceOf(PluginException.class)
                .hasMessageContaining("Plugins 'first' and 'second' both handle steps of type 'acme.migrate'");
        Pipeline p = Pipeline.named("p").stage("migrate", s -> s.step(new Named("acme.migrate", "migrate"))).build();
        RunResult result = runner().addPlugin(first).addPlugin(second).addStepHandler(a).build().run(p);
        assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(events.output("migrate")).containsExactly("ran migrate");
    }

    @Test
    void plugins_twoCredentialsProvidersForOneRole_isAProblemNamingBoth_unlessOneIsExplicit() {
        Role deployer = Role.named("deployer").build();
        Pipeline p = Pipeline.named("p").role(deployer).stage("deploy", s -> s.as(deployer).run("true")).build();
        LocalCredentials a = LocalCredentials.fromEnvironment(Map.of("AWS_ACCESS_KEY_ID", "AKIAAAAA",
                "AWS_SECRET_ACCESS_KEY", "secret-a-secret-a"));
        LocalCredentials b = LocalCredentials.fromEnvironment(Map.of("AWS_ACCESS_KEY_ID", "AKIABBBB",
                "AWS_SECRET_ACCESS_KEY", "secret-b-secret-b"));

        assertThatThrownBy(() -> runner().addPlugin(credentialsPlugin("sts", a))
                .addPlugin(credentialsPlugin("sandbox", b)).build().run(p))
                .hasMessageContaining("role 'deployer': plugins 'sts' and 'sandbox' both give its credentials");
        assertThat(runner().addPlugin(credentialsPlugin("sts", a)).addPlugin(credentialsPlugin("sandbox", b))
                .addCredentialsProvider(LocalCredentials.fromEnvironment(Map.of("AWS_ACCESS_KEY_ID", "AKIACCCC",
                        "AWS_SECRET_ACCESS_KEY", "secret-c-secret-c"))).build().run(p).status())
                .isEqualTo(RunStatus.SUCCEEDED);
    }

    private static dev.pipewright.spi.Plugin credentialsPlugin(String name,
            dev.pipewright.spi.CredentialsProvider provider) {
        return new dev.pipewright.spi.Plugin() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public List<dev.pipewright.spi.CredentialsProvider> credentialsProviders() {
                return List.of(provider);
            }
        };
    }

    private record Named(String type, String name) implements Step {
        @Override
        public Map<String, String> parameters() {
            return Map.of();
        }
    }

    private static dev.pipewright.spi.StepHandler handler(String type) {
        return new dev.pipewright.spi.StepHandler() {
            @Override
            public String type() {
                return type;
            }

            @Override
            public void run(Step step, dev.pipewright.spi.StepContext context) {
                context.log("ran " + step.name());
            }
        };
    }

    private static dev.pipewright.spi.Plugin plugin(String name, dev.pipewright.spi.StepHandler handler) {
        return new dev.pipewright.spi.Plugin() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public List<dev.pipewright.spi.StepHandler> stepHandlers() {
                return List.of(handler);
            }
        };
    }

    @Test
    void pathFilters_skipStagesWhoseFilesDidNotChange_andTheResumeKeepsThatDecision() {
        Path runs = dir.resolve("runs");
        List<String> ran = new CopyOnWriteArrayList<>();
        Pipeline p = Pipeline.named("p")
                .stage("payments", s -> s.whenChanged("services/payments/**").java("payments", c -> ran.add("payments")))
                .stage("payments-deploy", s -> s.needs("payments").java("deploy", c -> ran.add("payments-deploy")))
                .stage("orders", s -> s.whenChanged("services/orders/**").java("orders", c -> ran.add("orders")))
                .stage("fails", s -> s.needs("orders").run("test -e fixed"))
                .build();
        Facts facts = Facts.builder().ref(Ref.branch("main")).changedPaths(List.of("services/orders/api.yaml"))
                .build();

        RunResult first = runner().facts(facts).journal(runs).build().run(p);

        assertThat(outcome(first, "payments")).isEqualTo(StageOutcome.SKIPPED);
        assertThat(first.stage("payments").orElseThrow().message()).hasValueSatisfying(m -> assertThat(m)
                .contains("none of the 1 changed paths matches its whenChanged [services/orders/**]".replace(
                        "orders", "payments")));
        assertThat(outcome(first, "payments-deploy")).isEqualTo(StageOutcome.SKIPPED);
        assertThat(ran).containsExactly("orders");

        ran.clear();
        RunResult resumed = LocalRunner.builder().workspace(dir).locks(dir.resolve("locks"))
                .environment(hostEnvironment()).discover(false).journal(runs).build().resume(p, first.runId());

        assertThat(outcome(resumed, "payments")).isEqualTo(StageOutcome.SKIPPED);
        assertThat(ran).isEmpty(); // orders succeeded before; only 'fails' ran again
    }

    /** Records listener events as short lines. */
    static final class Recorder implements RunListener {
        final List<String> lines = new CopyOnWriteArrayList<>();

        List<String> output(String stage) {
            return lines.stream().filter(l -> l.startsWith("out " + stage + " "))
                    .map(l -> l.substring(("out " + stage + " ").length())).toList();
        }

        @Override
        public void stageOutput(String stage, String line) {
            lines.add("out " + stage + " " + line);
        }

        @Override
        public void stageRetrying(String stage, int nextAttempt, Duration wait, String reason) {
            lines.add("retrying " + stage + " " + nextAttempt + " " + wait);
        }

        @Override
        public void approvalDecided(ApprovalRequest request, Approval approval) {
            lines.add("approval " + request.stage() + " " + request.gate().name() + " " + approval.approved());
        }

        @Override
        public void stageFinished(StageResult result) {
            lines.add("finished " + result.stage() + " " + result.outcome() + " " + result.message().orElse(""));
        }
    }
}
