package dev.pipewright.run;

import static dev.pipewright.run.ReportFixtures.FACTS;
import static dev.pipewright.run.ReportFixtures.NASTY;
import static dev.pipewright.run.ReportFixtures.PIPELINE;
import static dev.pipewright.run.ReportFixtures.RUN_ID;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipewright.Ref;
import dev.pipewright.spi.Approval;
import dev.pipewright.spi.Attachment;
import dev.pipewright.spi.Facts;
import dev.pipewright.spi.RunResult;
import dev.pipewright.spi.RunStatus;
import dev.pipewright.spi.StageOutcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class JsonSummaryTest {
    private static final Instant T0 = Instant.parse("2026-11-26T10:15:00.123456Z");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    /** A clock the test moves. */
    static final class TestClock extends Clock {
        private volatile Instant now;

        TestClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        Iterator<String> it = node.propertyNames().iterator();
        it.forEachRemaining(names::add);
        return names;
    }

    private JsonNode read(Path file) throws IOException {
        return JSON.readTree(Files.readString(file, UTF_8));
    }

    @Test
    void runFinished_wholeRun_writesEveryFieldInOrder() throws IOException {
        Path file = dir.resolve("run").resolve(JsonSummary.FILE_NAME);
        TestClock clock = new TestClock(T0);
        JsonSummary summary = new JsonSummary(file, clock);
        Path results = dir.resolve("surefire-reports");

        summary.runStarted(ReportFixtures.runInfo(Optional.of(dir)));
        summary.stageQueued("build");
        summary.stageStarted("build", 1);
        summary.stageOutput("build", "compiling");
        summary.attached("build", Attachment.artifact(dir.resolve("app.jar")));
        summary.stageFinished(ReportFixtures.stages().get(0));
        summary.attached("test", Attachment.testResults(results));
        summary.approvalRequested(ReportFixtures.approvalRequest());
        clock.advance(Duration.ofSeconds(30));
        summary.approvalDecided(ReportFixtures.approvalRequest(), Approval.refuse("bob", NASTY));
        summary.approvalDecided(ReportFixtures.approvalRequest(), new Approval(true, "--approve all",
                Optional.empty()));
        summary.hookFinished(ReportFixtures.hooks().get(0));
        summary.runFinished(ReportFixtures.runResult(RunStatus.FAILED, Optional.of(dir)));

        JsonNode root = read(file);
        assertThat(fieldNames(root)).containsExactly("runId", "pipeline", "status", "message", "facts", "startedAt",
                "durationMillis", "stages", "hooks", "approvals", "attachments");
        assertThat(root.get("runId").stringValue()).isEqualTo(RUN_ID);
        assertThat(root.get("pipeline").stringValue()).isEqualTo(PIPELINE);
        assertThat(root.get("status").stringValue()).isEqualTo("FAILED");
        assertThat(root.get("message").stringValue()).isEqualTo("stage 'test' failed");
        assertThat(root.get("startedAt").stringValue()).isEqualTo("2026-11-26T10:15:00.123Z");
        assertThat(root.get("durationMillis").longValue()).isEqualTo(62_000);

        JsonNode facts = root.get("facts");
        assertThat(fieldNames(facts)).containsExactly("branch", "tag", "commit", "changedPaths");
        assertThat(facts.get("branch").stringValue()).isEqualTo("master");
        assertThat(facts.get("tag").isNull()).isTrue();
        assertThat(facts.get("commit").stringValue()).isEqualTo(FACTS.commit().orElseThrow());
        assertThat(facts.get("changedPaths").isArray()).isTrue();
        assertThat(facts.get("changedPaths").get(0).stringValue()).isEqualTo("src/A.java");
        assertThat(facts.get("changedPaths").get(1).stringValue()).isEqualTo("src/B.java");

        JsonNode stages = root.get("stages");
        assertThat(stages.size()).isEqualTo(4);
        for (JsonNode s : stages) {
            assertThat(fieldNames(s)).containsExactly("name", "outcome", "attempts", "exitCode", "durationMillis",
                    "message");
        }
        assertThat(stages.get(0).get("name").stringValue()).isEqualTo("build");
        assertThat(stages.get(0).get("outcome").stringValue()).isEqualTo("SUCCEEDED");
        assertThat(stages.get(0).get("exitCode").intValue()).isZero();
        assertThat(stages.get(0).get("durationMillis").longValue()).isEqualTo(3400);
        assertThat(stages.get(0).get("message").isNull()).isTrue();
        assertThat(stages.get(1).get("name").stringValue()).isEqualTo("test");
        assertThat(stages.get(1).get("attempts").intValue()).isEqualTo(2);
        assertThat(stages.get(1).get("exitCode").intValue()).isEqualTo(1);
        assertThat(stages.get(2).get("outcome").stringValue()).isEqualTo("REFUSED");
        assertThat(stages.get(2).get("exitCode").isNull()).isTrue();
        assertThat(stages.get(2).get("attempts").intValue()).isZero();
        assertThat(stages.get(3).get("message").stringValue()).isEqualTo("needs deploy-staging");

        JsonNode hooks = root.get("hooks");
        assertThat(hooks.size()).isEqualTo(1);
        assertThat(fieldNames(hooks.get(0))).containsExactly("name", "outcome", "attempts", "exitCode",
                "durationMillis", "message");
        assertThat(hooks.get(0).get("name").stringValue()).isEqualTo("pipeline:always");

        JsonNode approvals = root.get("approvals");
        assertThat(approvals.size()).isEqualTo(2);
        assertThat(fieldNames(approvals.get(0))).containsExactly("stage", "gate", "approved", "who", "why", "at");
        assertThat(approvals.get(0).get("stage").stringValue()).isEqualTo("deploy-staging");
        assertThat(approvals.get(0).get("gate").stringValue()).isEqualTo("approve-staging");
        assertThat(approvals.get(0).get("approved").booleanValue()).isFalse();
        assertThat(approvals.get(0).get("who").stringValue()).isEqualTo("bob");
        assertThat(approvals.get(0).get("at").stringValue()).isEqualTo("2026-11-26T10:15:30.123Z");
        assertThat(approvals.get(1).get("approved").booleanValue()).isTrue();
        assertThat(approvals.get(1).get("why").isNull()).isTrue();

        JsonNode attachments = root.get("attachments");
        assertThat(attachments.size()).isEqualTo(2);
        assertThat(fieldNames(attachments.get(0))).containsExactly("stage", "kind", "path");
        assertThat(attachments.get(0).get("kind").stringValue()).isEqualTo("ARTIFACT");
        assertThat(attachments.get(0).get("path").stringValue()).isEqualTo(dir.resolve("app.jar").toString());
        assertThat(attachments.get(1).get("stage").stringValue()).isEqualTo("test");
        assertThat(attachments.get(1).get("kind").stringValue()).isEqualTo("TEST_RESULTS");
    }

    @Test
    void runFinished_nastyText_roundTripsWithLoneSurrogateReplaced() throws IOException {
        Path file = dir.resolve(JsonSummary.FILE_NAME);
        JsonSummary summary = new JsonSummary(file);
        summary.runStarted(ReportFixtures.runInfo(Optional.empty()));
        summary.approvalDecided(ReportFixtures.approvalRequest(), Approval.refuse("bob", NASTY));
        summary.runFinished(ReportFixtures.runResult(RunStatus.FAILED, Optional.empty()));

        String expected = NASTY.replace("\uD800", "\uFFFD");
        JsonNode root = read(file);
        assertThat(root.get("stages").get(1).get("message").stringValue()).isEqualTo(expected);
        assertThat(root.get("approvals").get(0).get("why").stringValue()).isEqualTo(expected);
        String raw = Files.readString(file, UTF_8);
        assertThat(raw).contains("\\u0001", "\\u0007", "\\u001B", "\\\"", "café ✓ 😀");
        assertThat(raw).doesNotContain("\r", "\u0001");
    }

    @Test
    void runFinished_file_isPrettyPrintedUtf8EndingInNewline() throws IOException {
        Path file = dir.resolve(JsonSummary.FILE_NAME);
        JsonSummary summary = new JsonSummary(file);
        summary.runStarted(ReportFixtures.runInfo(Optional.empty()));
        summary.runFinished(ReportFixtures.runResult(RunStatus.SUCCEEDED, Optional.empty()));

        String raw = Files.readString(file, UTF_8);
        assertThat(raw).startsWith("{\n  \"runId\"").endsWith("}\n").doesNotContain("\r");
        assertThat(raw.lines().count()).isGreaterThan(40);
        assertThat(read(file).get("message").isNull()).isTrue();
    }

    @Test
    void runFinished_noFacts_writesNulls() throws IOException {
        Path file = dir.resolve(JsonSummary.FILE_NAME);
        JsonSummary summary = new JsonSummary(file);
        RunResult result = new RunResult(RUN_ID, PIPELINE, RunStatus.CANCELLED, Facts.NONE, List.of(), List.of(),
                Duration.ZERO, Optional.empty(), Optional.empty());

        summary.runFinished(result);

        JsonNode root = read(file);
        JsonNode facts = root.get("facts");
        assertThat(fieldNames(facts)).containsExactly("branch", "tag", "commit", "changedPaths");
        facts.forEach(v -> assertThat(v.isNull()).isTrue());
        assertThat(root.get("message").isNull()).isTrue();
        assertThat(root.get("startedAt").isString()).isTrue(); // runStarted never came: the end minus the duration
        assertThat(root.get("stages").isArray()).isTrue();
        assertThat(root.get("stages").size()).isZero();
        assertThat(root.get("approvals").size()).isZero();
    }

    @Test
    void runFinished_tag_writesTagNotBranch() throws IOException {
        Path file = dir.resolve(JsonSummary.FILE_NAME);
        JsonSummary summary = new JsonSummary(file);
        Facts facts = Facts.builder().ref(Ref.tag("v1.2.0")).build();

        summary.runFinished(new RunResult(RUN_ID, PIPELINE, RunStatus.SUCCEEDED, facts, ReportFixtures.stages(),
                List.of(), Duration.ofSeconds(1), Optional.empty(), Optional.empty()));

        JsonNode f = read(file).get("facts");
        assertThat(f.get("tag").stringValue()).isEqualTo("v1.2.0");
        assertThat(f.get("branch").isNull()).isTrue();
        assertThat(f.get("changedPaths").isNull()).isTrue();
    }

    @Test
    void runFinished_existingFile_isReplacedLeavingNoTemporaryFile() throws IOException {
        Path file = dir.resolve(JsonSummary.FILE_NAME);
        Files.writeString(file, "old content that is longer than nothing");
        JsonSummary summary = new JsonSummary(file);

        summary.runFinished(ReportFixtures.runResult(RunStatus.SUCCEEDED, Optional.empty()));

        assertThat(read(file).get("runId").stringValue()).isEqualTo(RUN_ID);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void runFinished_unwritableFile_throwsUncheckedIoExceptionNamingIt() throws IOException {
        Path notAFolder = Files.writeString(dir.resolve("plain-file"), "x");
        Path file = notAFolder.resolve(JsonSummary.FILE_NAME);
        JsonSummary summary = new JsonSummary(file);
        summary.runStarted(ReportFixtures.runInfo(Optional.empty()));
        summary.attached("build", Attachment.artifact(dir));

        assertThatThrownBy(() -> summary.runFinished(ReportFixtures.runResult(RunStatus.FAILED, Optional.empty())))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining(file.toString());
    }

    @Test
    void listener_callsFromManyThreads_areAllRecorded() throws Exception {
        Path file = dir.resolve(JsonSummary.FILE_NAME);
        JsonSummary summary = new JsonSummary(file);
        summary.runStarted(ReportFixtures.runInfo(Optional.empty()));
        int threads = 8;
        int each = 200;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String stage = "stage-" + t;
                futures.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < each; i++) {
                        summary.stageOutput(stage, "line " + i);
                        summary.attached(stage, Attachment.artifact(dir.resolve(stage + "-" + i)));
                        summary.approvalDecided(ReportFixtures.approvalRequest(), Approval.approve(stage, "ok " + i));
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        summary.runFinished(ReportFixtures.runResult(RunStatus.SUCCEEDED, Optional.empty()));

        JsonNode root = read(file);
        assertThat(root.get("attachments").size()).isEqualTo(threads * each);
        assertThat(root.get("approvals").size()).isEqualTo(threads * each);
    }

    @Test
    void stageResult_withoutMessage_hasNullMessage() throws IOException {
        Path file = dir.resolve(JsonSummary.FILE_NAME);
        JsonSummary summary = new JsonSummary(file);
        summary.runFinished(new RunResult(RUN_ID, PIPELINE, RunStatus.FAILED, FACTS,
                List.of(ReportFixtures.result("build", StageOutcome.TIMED_OUT, 1, null, 5000, null)), List.of(),
                Duration.ofSeconds(5), Optional.empty(), Optional.of("stage 'build' timed out")));

        JsonNode build = read(file).get("stages").get(0);
        assertThat(build.get("outcome").stringValue()).isEqualTo("TIMED_OUT");
        assertThat(build.get("message").isNull()).isTrue();
        assertThat(build.get("exitCode").isNull()).isTrue();
    }
}
