package dev.pipewright.circleci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipewright.PipewrightException;
import dev.pipewright.Ref;
import dev.pipewright.run.Approvers;
import dev.pipewright.run.LocalRunner;
import dev.pipewright.spi.Attachment;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CircleCI workflows run by the real local runner: real shells, real files, a real journal. */
class LocalWorkflowRunTest {
    @TempDir
    Path dir;

    private Path workspace;
    private Path journal;
    private final List<String> events = new CopyOnWriteArrayList<>();

    /** Records what the runner reports, one line an event. */
    private final RunListener recorder = new RunListener() {
        @Override
        public void stageStarted(String stage, int attempt) {
            events.add("started " + stage);
        }

        @Override
        public void stageOutput(String stage, String line) {
            events.add(stage + ": " + line);
        }

        @Override
        public void attached(String stage, Attachment attachment) {
            events.add(stage + " attached " + attachment.kind() + " " + attachment.path());
        }

        @Override
        public void stageFinished(StageResult result) {
            events.add("finished " + result.stage() + " " + result.outcome());
        }
    };

    @BeforeEach
    void folders() throws IOException {
        workspace = Files.createDirectories(dir.resolve("repo"));
        journal = dir.resolve("runs");
    }

    private LocalWorkflow translate(String yaml, String branch, Consumer<LocalWorkflow.Builder> adjust) {
        LocalWorkflow.Builder b = LocalWorkflow.builder(CircleCiConfig.parse(yaml, "config.yml"))
                .facts(Facts.builder().ref(Ref.branch(branch)).commit("4f1c2d3e4f1c2d3e4f1c2d3e4f1c2d3e4f1c2d3e").build())
                .caches(dir.resolve("caches"));
        adjust.accept(b);
        LocalWorkflow local = b.build();
        assertThat(local.problems()).as("problems").isEmpty();
        return local;
    }

    private LocalRunner runner(LocalWorkflow local, String branch, Consumer<LocalRunner.Builder> adjust) {
        LocalRunner.Builder b = LocalRunner.builder()
                .workspace(workspace)
                .journal(journal)
                .locks(dir.resolve("locks"))
                .environment(Map.of("PATH", System.getenv("PATH"), "HOME", dir.toString(), "LANG", "C.UTF-8"))
                .facts(Facts.builder().ref(Ref.branch(branch)).commit("4f1c2d3e4f1c2d3e4f1c2d3e4f1c2d3e4f1c2d3e").build())
                .secrets(local.secrets())
                .gracePeriod(Duration.ofMillis(500))
                .discover(false)
                .addPlugin(local.plugin())
                .addListener(recorder);
        adjust.accept(b);
        return b.build();
    }

    private RunResult run(String yaml) {
        return run(yaml, "main", b -> { }, b -> { });
    }

    private RunResult run(String yaml, String branch, Consumer<LocalWorkflow.Builder> workflow,
            Consumer<LocalRunner.Builder> runner) {
        LocalWorkflow local = translate(yaml, branch, workflow);
        return runner(local, branch, runner).run(local.pipelineOrThrow());
    }

    private static StageOutcome outcome(RunResult result, String stage) {
        return result.stage(stage).orElseThrow().outcome();
    }

    private String read(String file) throws IOException {
        return Files.readString(workspace.resolve(file), StandardCharsets.UTF_8);
    }

    @Test
    void run_twoJobsWithRequires_runInOrderWithTheirOutput() throws IOException {
        RunResult result = run("""
                version: 2.1
                jobs:
                  build:
                    docker: [{image: cimg/base:current}]
                    steps:
                      - run: {name: Build, command: 'echo "building on $CIRCLE_BRANCH at ${CIRCLE_SHA1:0:7}" && echo built > order.txt'}
                  test:
                    docker: [{image: cimg/base:current}]
                    environment: {GREETING: hello}
                    steps:
                      - run: |
                          echo "$GREETING from $CIRCLE_JOB"
                          echo tested >> order.txt
                workflows:
                  main:
                    jobs: [build, {test: {requires: [build]}}]
                """);

        assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(read("order.txt")).isEqualTo("built\ntested\n");
        assertThat(events).containsSubsequence("started build", "build: building on main at 4f1c2d3",
                "finished build SUCCEEDED", "started test", "test: hello from test", "finished test SUCCEEDED");
    }

    @Test
    void run_failingCommand_failsTheJobWithItsExitCode() {
        RunResult result = run("""
                version: 2.1
                jobs:
                  build:
                    docker: [{image: x}]
                    steps:
                      - run: false | true
                      - run: echo never
                workflows:
                  w: {jobs: [build]}
                """);

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.stage("build").orElseThrow().exitCode()).hasValue(1);
        assertThat(events).doesNotContain("build: never");
    }

    @Test
    void run_filtersForAnotherBranch_skipTheJob() throws IOException {
        RunResult result = run("""
                version: 2.1
                jobs:
                  test: {docker: [{image: x}], steps: [{run: touch tested}]}
                  deploy: {docker: [{image: x}], steps: [{run: touch deployed}]}
                workflows:
                  w:
                    jobs:
                      - test
                      - deploy: {requires: [test], filters: {branches: {only: main}}}
                """, "feature/x", b -> { }, b -> { });

        assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(outcome(result, "test")).isEqualTo(StageOutcome.SUCCEEDED);
        assertThat(outcome(result, "deploy")).isEqualTo(StageOutcome.SKIPPED);
        assertThat(workspace.resolve("deployed")).doesNotExist();
    }

    private static final String APPROVAL = """
            version: 2.1
            jobs:
              build: {docker: [{image: x}], steps: [{run: touch built}]}
              deploy: {docker: [{image: x}], steps: [{run: touch deployed}]}
            workflows:
              w:
                jobs:
                  - build
                  - hold: {type: approval, requires: [build]}
                  - deploy: {requires: [hold]}
            """;

    @Test
    void run_approvalRefused_stopsBeforeTheDeploy() {
        List<String> asked = new CopyOnWriteArrayList<>();
        RunResult result = run(APPROVAL, "main", b -> { }, b -> b.approver(r -> {
            asked.add(r.gate().name() + " for " + r.stage());
            return Approvers.none().decide(r);
        }));

        assertThat(asked).containsExactly("hold for deploy");
        assertThat(outcome(result, "build")).isEqualTo(StageOutcome.SUCCEEDED);
        assertThat(outcome(result, "deploy")).isEqualTo(StageOutcome.REFUSED);
        assertThat(workspace.resolve("built")).exists();
        assertThat(workspace.resolve("deployed")).doesNotExist();
    }

    @Test
    void run_approvalGranted_deploys() {
        RunResult result = run(APPROVAL, "main", b -> { }, b -> b.approver(Approvers.parse("hold")));

        assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(workspace.resolve("deployed")).exists();
    }

    @Test
    void run_matrix_runsEveryCombination() throws IOException {
        RunResult result = run("""
                version: 2.1
                jobs:
                  test:
                    parameters:
                      jdk: {type: string}
                      os: {type: enum, enum: [linux, mac]}
                    docker: [{image: x}]
                    steps:
                      - run: echo "<< parameters.os >> << parameters.jdk >>" > "out-$CIRCLE_JOB"
                workflows:
                  w:
                    jobs:
                      - test:
                          matrix: {parameters: {jdk: ["17", "21"], os: [linux, mac]}}
                """);

        assertThat(result.stages()).extracting(StageResult::stage)
                .containsExactlyInAnyOrder("test-17-linux", "test-17-mac", "test-21-linux", "test-21-mac");
        assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(read("out-test-21-mac")).isEqualTo("mac 21\n");
    }

    @Test
    void run_commandsAndParameters_areSubstitutedIntoWhatRuns() throws IOException {
        RunResult result = run("""
                version: 2.1
                parameters:
                  target: {type: string, default: world}
                commands:
                  say:
                    parameters:
                      what: {type: string}
                      after: {type: steps, default: []}
                    steps:
                      - run: echo "<< parameters.what >>" >> said.txt
                      - steps: << parameters.after >>
                jobs:
                  talk:
                    parameters: {times: {type: integer, default: 2}}
                    docker: [{image: x}]
                    steps:
                      - say:
                          what: hello << pipeline.parameters.target >>
                          after:
                            - run: echo "<< parameters.times >> times on << pipeline.git.branch >>" >> said.txt
                      - unless:
                          condition: {equal: [main, << pipeline.git.branch >>]}
                          steps: [{run: echo not main >> said.txt}]
                workflows:
                  w: {jobs: [{talk: {times: 3}}]}
                """, "main", b -> b.putParameter("target", "mars"), b -> { });

        assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(read("said.txt")).isEqualTo("hello mars\n3 times on main\n");
    }

    @Test
    void run_persistAndAttach_moveAFileBetweenJobs() throws IOException {
        RunResult result = run("""
                version: 2.1
                jobs:
                  make:
                    docker: [{image: x}]
                    steps:
                      - run: mkdir -p /tmp/ignored-by-local-runs build/lib && echo jar > build/lib/app.jar
                      - persist_to_workspace: {root: build, paths: [lib/*.jar]}
                      - run: rm -r build
                  ship:
                    docker: [{image: x}]
                    steps:
                      - attach_workspace: {at: ~/project/ws}
                      - run: cat ws/lib/app.jar > shipped.txt
                workflows:
                  w: {jobs: [make, {ship: {requires: [make]}}]}
                """);

        assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(read("shipped.txt")).isEqualTo("jar\n");
        assertThat(result.runDirectory().orElseThrow().resolve("circleci/workspace/make/lib/app.jar")).exists();
    }

    @Test
    void run_saveAndRestoreCache_carryFilesAcrossRuns() throws IOException {
        String yaml = """
                version: 2.1
                jobs:
                  build:
                    docker: [{image: x}]
                    steps:
                      - restore_cache:
                          keys: ['deps-{{ .Branch }}-{{ checksum "deps.lock" }}', 'deps-{{ .Branch }}-']
                      - run: |
                          if [ -f deps/lib.txt ]; then echo "restored $(cat deps/lib.txt)"; else mkdir -p deps && echo v1 > deps/lib.txt; fi
                      - save_cache:
                          key: 'deps-{{ .Branch }}-{{ checksum "deps.lock" }}'
                          paths: [deps]
                workflows:
                  w: {jobs: [build]}
                """;
        Files.writeString(workspace.resolve("deps.lock"), "one");

        RunResult first = run(yaml);
        Files.delete(workspace.resolve("deps/lib.txt"));
        Files.writeString(workspace.resolve("deps.lock"), "two"); // a new exact key: the prefix still matches
        RunResult second = run(yaml);

        assertThat(first.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(second.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(events).anyMatch(e -> e.startsWith("build: No cache is found for keys deps-main-"))
                .anyMatch(e -> e.startsWith("build: Found a cache from key deps-main-"))
                .contains("build: restored v1");
        assertThat(new LocalCaches(dir.resolve("caches")).entries()).hasSize(2);
    }

    @Test
    void run_artifactsAndTestResults_landInTheRunFolderAndReport() throws IOException {
        RunResult result = run("""
                version: 2.1
                jobs:
                  test:
                    docker: [{image: x}]
                    steps:
                      - run: |
                          mkdir -p reports/junit coverage
                          echo '<html/>' > coverage/index.html
                          cat > reports/junit/TEST-a.xml <<'EOF'
                          <?xml version="1.0" encoding="UTF-8"?>
                          <testsuite name="a" tests="1" failures="0" errors="0" skipped="0" time="0.1">
                            <testcase classname="a.ATest" name="works" time="0.1"/>
                          </testsuite>
                          EOF
                      - store_artifacts: {path: coverage, destination: coverage-report}
                      - store_test_results: {path: reports}
                workflows:
                  w: {jobs: [test]}
                """);

        assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
        Path run = result.runDirectory().orElseThrow();
        Path artifact = run.resolve("artifacts/test/coverage-report");
        assertThat(artifact.resolve("index.html")).hasContent("<html/>");
        assertThat(events).contains("test attached ARTIFACT " + artifact,
                "test attached TEST_RESULTS " + workspace.resolve("reports"));
        assertThat(Files.readString(run.resolve("junit.xml"))).contains("a.ATest").contains("works");
    }

    @Test
    void run_orbStep_isRefusedBeforeAnythingRunsNamingTheStep() {
        LocalWorkflow local = translate("""
                version: 2.1
                orbs:
                  node: circleci/node@5.2.0
                jobs:
                  first: {docker: [{image: x}], steps: [{run: touch ran}]}
                  build:
                    docker: [{image: x}]
                    steps: [{node/install: {node-version: "20"}}]
                workflows:
                  w: {jobs: [first, {build: {requires: [first]}}]}
                """, "main", b -> { });

        assertThatThrownBy(() -> runner(local, "main", b -> { }).run(local.pipelineOrThrow()))
                .isInstanceOf(PipewrightException.class)
                .hasMessageContaining("stage 'build' > step 1 (node/install): no handler runs steps of type"
                        + " 'circleci.orb.node.install'");
        assertThat(workspace.resolve("ran")).doesNotExist();
    }

    @Test
    void run_orbStepWithARegisteredHandler_runs() {
        RunResult result = run("""
                version: 2.1
                orbs:
                  slack: circleci/slack@4.12.5
                jobs:
                  build: {docker: [{image: x}], steps: [{slack/notify: {event: pass}}]}
                workflows:
                  w: {jobs: [build]}
                """, "main", b -> { }, b -> b.addStepHandler(new dev.pipewright.spi.StepHandler() {
            @Override
            public String type() {
                return "circleci.orb.slack.notify";
            }

            @Override
            public void run(dev.pipewright.Step step, dev.pipewright.spi.StepContext context) {
                context.log("notified: " + step.parameters().get("arguments.event"));
            }
        }));

        assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(events).contains("build: notified: pass");
    }

    @Test
    void run_secrets_areExportedToEveryJobAndMasked() throws IOException {
        RunResult result = run("""
                version: 2.1
                jobs:
                  a:
                    docker: [{image: x}]
                    steps:
                      - run: echo "token is $DEPLOY_TOKEN and $CIRCLE_TOKEN" && printf %s "$DEPLOY_TOKEN" > token.txt
                workflows:
                  w: {jobs: [a]}
                """, "main", b -> b.secrets(Map.of("DEPLOY_TOKEN", "s3cr3t-deploy-value",
                "CIRCLE_TOKEN", "c1rcle-token-value")), b -> { });

        assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(read("token.txt")).isEqualTo("s3cr3t-deploy-value");
        assertThat(events).contains("a: token is *** and ***");
        assertThat(Files.readString(result.runDirectory().orElseThrow().resolve("journal.jsonl")))
                .doesNotContain("s3cr3t-deploy-value").doesNotContain("c1rcle-token-value");
    }

    @Test
    void resume_afterAFailure_runsOnlyTheFailedJobAgain() throws IOException {
        String yaml = """
                version: 2.1
                jobs:
                  build: {docker: [{image: x}], steps: [{run: echo x >> builds.txt}]}
                  test: {docker: [{image: x}], steps: [{run: test -f fixed && echo x >> tests.txt}]}
                workflows:
                  w: {jobs: [build, {test: {requires: [build]}}]}
                """;
        LocalWorkflow local = translate(yaml, "main", b -> { });
        RunResult failed = runner(local, "main", b -> { }).run(local.pipelineOrThrow());
        Files.writeString(workspace.resolve("fixed"), "");

        LocalWorkflow again = translate(yaml, "main", b -> { });
        RunResult resumed = runner(again, "main", b -> { }).resume(again.pipelineOrThrow(), failed.runId());

        assertThat(failed.status()).isEqualTo(RunStatus.FAILED);
        assertThat(resumed.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(read("builds.txt")).isEqualTo("x\n");
        assertThat(read("tests.txt")).isEqualTo("x\n");
    }

    @Test
    void run_onFailAndAlwaysSteps_runAfterTheFailureOnce() throws IOException {
        RunResult result = run("""
                version: 2.1
                jobs:
                  build:
                    docker: [{image: x}]
                    steps:
                      - run: {command: echo always-before >> log.txt, when: always}
                      - run: {command: echo fail-before >> log.txt, when: on_fail}
                      - run: exit 3
                      - run: echo skipped >> log.txt
                      - run: {command: echo on-fail >> log.txt, when: on_fail}
                      - save_cache: {key: never, paths: [log.txt]}
                      - run: {command: echo always >> log.txt, when: always}
                workflows:
                  w: {jobs: [build]}
                """);

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(read("log.txt")).isEqualTo("always-before\non-fail\nalways\n");
    }

    @Test
    void run_backgroundStep_runsAlongTheNextStepsAndStopsWithTheJob() throws IOException {
        RunResult result = run("""
                version: 2.1
                jobs:
                  build:
                    docker: [{image: x}]
                    steps:
                      - run:
                          name: server
                          background: true
                          command: |
                            echo $$ > server.pid
                            echo up > server.txt
                            while true; do sleep 1; done
                      - run: |
                          for i in $(seq 1 200); do [ -s server.txt ] && break; sleep 0.1; done
                          cat server.txt
                workflows:
                  w: {jobs: [build]}
                """);

        assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(events).contains("build: up");
        long pid = Long.parseLong(read("server.pid").strip());
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }

    @Test
    void run_workingDirectoriesAndShell_followTheJob() throws IOException {
        Files.createDirectories(workspace.resolve("app/sub"));
        RunResult result = run("""
                version: 2.1
                jobs:
                  build:
                    docker: [{image: x}]
                    working_directory: ~/repo
                    shell: /bin/sh -e
                    steps:
                      - run: pwd > where.txt
                      - run: {working_directory: ~/repo/app/sub, command: pwd > where.txt}
                      - run: {working_directory: app, shell: bash, command: 'echo "$BASH_VERSION" | cut -c1 > shell.txt'}
                workflows:
                  w: {jobs: [build]}
                """);

        assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(read("where.txt").strip()).isEqualTo(workspace.toRealPath().toString());
        assertThat(read("app/sub/where.txt").strip()).isEqualTo(workspace.resolve("app/sub").toRealPath().toString());
        assertThat(read("app/shell.txt").strip()).matches("\\d");
    }
}
