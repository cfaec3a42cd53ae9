package dev.pipewright.run;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipewright.PipewrightException;
import dev.pipewright.run.RecordingChannel.Force;
import dev.pipewright.run.JournalEvent.ApprovalDecided;
import dev.pipewright.run.JournalEvent.Facts;
import dev.pipewright.run.JournalEvent.Outcome;
import dev.pipewright.run.JournalEvent.RunFinished;
import dev.pipewright.run.JournalEvent.RunStarted;
import dev.pipewright.run.JournalEvent.RunStatus;
import dev.pipewright.run.JournalEvent.StageFinished;
import dev.pipewright.run.JournalEvent.StageStarted;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {
    private static final Instant T0 = Instant.parse("2026-11-26T10:15:00Z");
    private static final String DIGEST = "0".repeat(64);
    private static final UnaryOperator<String> NO_MASK = UnaryOperator.identity();

    @TempDir
    Path dir;

    private static RunStarted runStarted(Journal journal) {
        return new RunStarted(journal.runId(), "housing-api", DIGEST, new Facts("master", null, "abc1234"), T0);
    }

    /** One event of each type, with and without their nullable values, after the given start. */
    private static List<JournalEvent> everyType(RunStarted start) {
        return List.of(start,
                new StageStarted("test", 1, T0.plusMillis(1)),
                new StageFinished("test", 1, Outcome.FAILED, 1, 8123, T0.plusSeconds(9), "tests failed: 3 of 120"),
                new StageStarted("test", 2, T0.plusSeconds(10)),
                new StageFinished("test", 2, Outcome.SUCCEEDED, 0, 7001, T0.plusSeconds(17), null),
                new StageFinished("docs", 1, Outcome.SKIPPED, null, 0, T0.plusSeconds(17), "master only"),
                new ApprovalDecided("deploy-production", "approve-production", true, "ana", "looks good — ✓",
                        T0.plusSeconds(30)),
                new ApprovalDecided("deploy-production", "second-pair", false, "bob", null, T0.plusSeconds(31)),
                new StageFinished("deploy-production", 1, Outcome.ROLLED_BACK, 137, 2500, T0.plusSeconds(40), null),
                new RunFinished(RunStatus.FAILED, T0.plusSeconds(41)));
    }

    @Test
    void append_everyEventType_readsBackEqual() throws IOException {
        List<JournalEvent> events;
        Path file;
        String runId;
        try (Journal journal = Journal.create(dir, NO_MASK)) {
            events = everyType(runStarted(journal));
            events.forEach(journal::append);
            file = journal.file();
            runId = journal.runId();
        }

        Journal.Contents contents = Journal.read(file);

        assertThat(contents.events()).isEqualTo(events);
        assertThat(contents.tornTail()).isFalse();
        assertThat(contents.validLength()).isEqualTo(Files.size(file));
        List<String> lines = Files.readAllLines(file, UTF_8);
        assertThat(lines).hasSize(events.size());
        assertThat(lines.get(0)).isEqualTo("{\"type\":\"RunStarted\",\"runId\":\"" + runId
                + "\",\"pipeline\":\"housing-api\",\"digest\":\""
                + DIGEST + "\",\"facts\":{\"branch\":\"master\",\"tag\":null,\"commit\":\"abc1234\"},"
                + "\"startedAt\":\"2026-11-26T10:15:00Z\"}");
        assertThat(lines.get(2)).isEqualTo("{\"type\":\"StageFinished\",\"stage\":\"test\",\"attempt\":1,"
                + "\"outcome\":\"FAILED\",\"exitCode\":1,\"durationMillis\":8123,\"at\":\"2026-11-26T10:15:09Z\","
                + "\"message\":\"tests failed: 3 of 120\"}");
        assertThat(lines.get(6)).contains("\"why\":\"looks good — ✓\"");
        assertThat(Files.readAllBytes(file)).endsWith((byte) '\n').doesNotContain((byte) '\r');
    }

    @Test
    void create_namesRunsSortablyAndUniquely() {
        Clock early = Clock.fixed(T0, ZoneOffset.UTC);
        Clock later = Clock.fixed(T0.plusSeconds(1), ZoneOffset.UTC);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            try (Journal journal = Journal.create(dir, NO_MASK, early, FileChannel::open)) {
                ids.add(journal.runId());
                assertThat(journal.file()).isEqualTo(dir.resolve(journal.runId()).resolve("journal.jsonl"));
            }
        }
        String last;
        try (Journal journal = Journal.create(dir, NO_MASK, later, FileChannel::open)) {
            last = journal.runId();
        }

        assertThat(ids).allMatch(id -> id.matches("20261126T101500Z-[0-9a-f]{6}")).doesNotHaveDuplicates();
        assertThat(last).startsWith("20261126T101501Z-");
        assertThat(ids).allMatch(id -> id.compareTo(last) < 0);
    }

    @Test
    void create_makesTheFolderAndFileDurable() {
        List<String> log = RecordingChannel.newLog();
        Path journalDir = dir.resolve("journals");

        Journal.Opener opener = RecordingChannel.opener(log, Force.REAL);

        try (Journal journal = Journal.create(journalDir, NO_MASK, Clock.systemUTC(), opener)) {
            String runId = journal.runId();
            assertThat(log).containsSubsequence(
                    "open [READ] " + dir.getFileName(), "force(true) " + dir.getFileName(),
                    "open [READ] journals", "force(true) journals",
                    "open [CREATE_NEW, WRITE, APPEND] journal.jsonl",
                    "open [READ] " + runId, "force(true) " + runId);
        }
    }

    @Test
    void create_underAFile_saysWhichFileIsInTheWay() throws IOException {
        Path file = Files.writeString(dir.resolve("runs"), "not a folder");

        assertThatThrownBy(() -> Journal.create(file.resolve("inner"), s -> s))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessage("Could not create a run journal in " + file.resolve("inner") + ": " + file + " is a file,"
                        + " not a folder. Give the runner a journal folder it can write to.");
        assertThat(file).hasContent("not a folder");
    }

    @Test
    void append_writesThenForcesBeforeReturning() {
        List<String> log = RecordingChannel.newLog();
        Journal.Opener opener = RecordingChannel.opener(log, Force.REAL);
        try (Journal journal = Journal.create(dir, NO_MASK, Clock.systemUTC(), opener)) {
            journal.append(runStarted(journal));
            for (int attempt = 1; attempt <= 3; attempt++) {
                log.clear();

                journal.append(new StageStarted("deploy", attempt, T0));

                // Returned: the line was written, then fsync'd, and a fresh reader sees it.
                assertThat(log).containsExactly("write journal.jsonl", "force(true) journal.jsonl");
                assertThat(Journal.read(journal.file()).events()).last()
                        .isEqualTo(new StageStarted("deploy", attempt, T0));
            }
        }
    }

    @Test
    void append_afterAFailedForce_refusesEveryLaterEvent() {
        List<String> log = RecordingChannel.newLog();
        Journal.Opener opener = RecordingChannel.opener(log, Force.FAIL);
        try (Journal journal = Journal.create(dir, NO_MASK, Clock.systemUTC(), opener)) {
            assertThatThrownBy(() -> journal.append(runStarted(journal)))
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("Could not record RunStarted in the journal " + journal.file())
                    .hasMessageContaining("stop the run");

            assertThatThrownBy(() -> journal.append(new StageStarted("test", 1, T0)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("takes no more events: an earlier write failed");
        }
    }

    @Test
    void append_fromAnInterruptedThread_writesAndKeepsTheInterrupt() {
        try (Journal journal = Journal.create(dir, NO_MASK)) {
            journal.append(runStarted(journal));

            Thread.currentThread().interrupt();
            try {
                journal.append(new StageStarted("test", 1, T0));
                assertThat(Thread.currentThread().isInterrupted()).isTrue();
            } finally {
                Thread.interrupted();
            }
            journal.append(new StageStarted("lint", 1, T0));

            assertThat(Journal.read(journal.file()).events()).hasSize(3);
        }
    }

    @Test
    void append_fromEightThreads_writesOnlyWholeLinesInEachThreadsOrder() throws Exception {
        int threads = 8;
        int perThread = 25;
        Path file;
        try (Journal journal = Journal.create(dir, NO_MASK)) {
            journal.append(runStarted(journal));
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    String stage = "stage-" + t;
                    done.add(pool.submit(() -> {
                        go.await();
                        for (int i = 1; i <= perThread; i++) {
                            // Long messages make torn or interleaved writes likely if they could happen.
                            journal.append(new StageFinished(stage, i, Outcome.FAILED, i, i, T0, "x".repeat(5000)));
                        }
                        return null;
                    }));
                }
                go.countDown();
                for (Future<?> f : done) {
                    f.get(30, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            file = journal.file();
        }

        Journal.Contents contents = Journal.read(file);

        assertThat(contents.tornTail()).isFalse();
        assertThat(contents.events()).hasSize(1 + threads * perThread);
        for (int t = 0; t < threads; t++) {
            String stage = "stage-" + t;
            assertThat(contents.events().stream().filter(e -> e instanceof StageFinished f && f.stage().equals(stage))
                    .map(e -> ((StageFinished) e).attempt()))
                    .as("attempts of %s in file order", stage)
                    .containsExactlyElementsOf(IntStream.rangeClosed(1, perThread).boxed().toList());
        }
    }

    @Test
    void append_masksFreeTextButNotIdentifiers() throws IOException {
        UnaryOperator<String> mask = s -> s.replace("hunter2", "*****");
        Path file;
        try (Journal journal = Journal.create(dir, mask)) {
            journal.append(new RunStarted(journal.runId(), "housing-api", DIGEST,
                    new Facts("fix-hunter2", "v1-hunter2", "hunter2abc"), T0));
            journal.append(new StageFinished("test", 1, Outcome.FAILED, 1, 5, T0, "login with hunter2 failed"));
            journal.append(new ApprovalDecided("deploy", "approve", false, "hunter2@example.com",
                    "token hunter2 leaked", T0));
            file = journal.file();
        }

        String text = Files.readString(file, UTF_8);

        assertThat(text).doesNotContain("hunter2")
                .contains("\"branch\":\"fix-*****\"", "\"tag\":\"v1-*****\"", "\"commit\":\"*****abc\"",
                        "\"message\":\"login with ***** failed\"", "\"who\":\"*****@example.com\"",
                        "\"why\":\"token ***** leaked\"");
    }

    @Test
    void append_enforcesOneRunStartedFirst() {
        try (Journal journal = Journal.create(dir, NO_MASK)) {
            assertThatThrownBy(() -> journal.append(new StageStarted("test", 1, T0)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("has no RunStarted: append it first, not StageStarted");
            assertThatThrownBy(() -> journal.append(new RunStarted("20200101T000000Z-000000", "p", DIGEST,
                    Facts.NONE, T0)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not of run 20200101T000000Z-000000");

            journal.append(runStarted(journal));

            assertThatThrownBy(() -> journal.append(runStarted(journal)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("has started already");
        }
    }

    @Test
    void append_afterClose_isRefused() {
        Journal journal = Journal.create(dir, NO_MASK);
        journal.close();
        journal.close();

        assertThatThrownBy(() -> journal.append(runStarted(journal)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is closed");
    }

    /** A journal of every type, its last line holding multi-byte characters, and where that line starts. */
    private Path writeFullJournal(Path journalDir) {
        try (Journal journal = Journal.create(journalDir, NO_MASK)) {
            List<JournalEvent> events = everyType(runStarted(journal));
            events.subList(0, events.size() - 1).forEach(journal::append);
            journal.append(new StageFinished("deploy-€", 3, Outcome.TIMED_OUT, null, 1, T0, "délai dépassé ✗"));
            return journal.file();
        }
    }

    private static int lastLineStart(byte[] bytes) {
        int i = bytes.length - 2;
        while (bytes[i] != '\n') {
            i--;
        }
        return i + 1;
    }

    @Test
    void read_tornLastLine_atEveryOffset_isIgnoredThenCutOffOnResume() throws IOException {
        Path journalDir = dir.resolve("journals");
        Path file = writeFullJournal(journalDir);
        String runId = file.getParent().getFileName().toString();
        byte[] whole = Files.readAllBytes(file);
        int lastStart = lastLineStart(whole);
        List<JournalEvent> kept = Journal.read(file).events().subList(0, Journal.read(file).events().size() - 1);
        RunFinished after = new RunFinished(RunStatus.SUCCEEDED, T0.plusSeconds(99));
        // What is tested is the bytes; waiting for the disk 3 times per offset would only slow it down.
        Journal.Opener withoutFsync = RecordingChannel.opener(RecordingChannel.newLog(), Force.SKIP);

        for (int cut = lastStart + 1; cut < whole.length; cut++) {
            Files.write(file, Arrays.copyOf(whole, cut));

            Journal.Contents torn = Journal.read(file);

            assertThat(torn.events()).as("events with the last line cut at %s", cut).isEqualTo(kept);
            assertThat(torn.tornTail()).as("torn at %s", cut).isTrue();
            assertThat(torn.validLength()).isEqualTo(lastStart);
            assertThat(torn.length()).isEqualTo(cut);

            try (Journal resumed = Journal.resume(journalDir, runId, NO_MASK, withoutFsync)) {
                resumed.append(after);
            }
            Journal.Contents repaired = Journal.read(file);
            assertThat(repaired.tornTail()).isFalse();
            assertThat(repaired.events()).hasSize(kept.size() + 1).startsWith(kept.toArray(JournalEvent[]::new))
                    .endsWith(after);
        }
    }

    @Test
    void read_lastLineCutJustBeforeItStarts_isNotTorn() throws IOException {
        Path file = writeFullJournal(dir);
        List<JournalEvent> events = Journal.read(file).events();
        byte[] whole = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(whole, lastLineStart(whole)));

        Journal.Contents contents = Journal.read(file);

        assertThat(contents.tornTail()).isFalse();
        assertThat(contents.events()).isEqualTo(events.subList(0, events.size() - 1));
    }

    @Test
    void read_garbledLastLineEndedByNewline_isTorn() throws IOException {
        Path file = writeFullJournal(dir);
        int events = Journal.read(file).events().size();
        long whole = Files.size(file);
        Files.write(file, new byte[] {0, 0, 0, 0, '"', '}', '\n'}, StandardOpenOption.APPEND);

        Journal.Contents contents = Journal.read(file);

        assertThat(contents.events()).hasSize(events);
        assertThat(contents.tornTail()).isTrue();
        assertThat(contents.validLength()).isEqualTo(whole);
    }

    @Test
    void read_corruptLineBeforeTheLast_namesFileAndLine() throws IOException {
        Path file = writeFullJournal(dir);
        List<String> lines = new ArrayList<>(Files.readAllLines(file, UTF_8));
        lines.set(2, lines.get(2).substring(0, 20));
        Files.write(file, lines, UTF_8);

        assertThatThrownBy(() -> Journal.read(file))
                .isInstanceOf(PipewrightException.class)
                .hasMessageContaining("The journal " + file + " is corrupt at line 3: not JSON")
                .hasMessageContaining("Move the journal aside and start a new run");
    }

    @Test
    void read_wrongEventBeforeTheLast_explainsWhatIsWrong() throws IOException {
        Path file = writeFullJournal(dir);
        List<String> lines = new ArrayList<>(Files.readAllLines(file, UTF_8));
        lines.set(1, lines.get(1).replace("\"attempt\":1", "\"attempt\":\"one\""));
        lines.set(3, "{\"type\":\"StageExploded\",\"at\":\"2026-11-26T10:15:00Z\"}");
        Files.write(file, lines.subList(0, 2), UTF_8);
        assertThatThrownBy(() -> Journal.read(file))
                .hasMessageContaining("corrupt at line 2: 'attempt' must be a whole number but was \"one\"");

        Files.write(file, lines, UTF_8);
        assertThatThrownBy(() -> Journal.read(file))
                .hasMessageContaining("corrupt at line 2");

        lines.set(1, lines.get(1).replace("\"attempt\":\"one\"", "\"attempt\":1"));
        Files.write(file, lines, UTF_8);
        assertThatThrownBy(() -> Journal.read(file))
                .hasMessageContaining("corrupt at line 4: unknown event type 'StageExploded'");
    }

    @Test
    void read_lastLineThatIsJsonButNoEvent_isCorruptionNotATornWrite() throws IOException {
        Path file = writeFullJournal(dir);
        Files.writeString(file, "{\"type\":\"StageStarted\",\"stage\":\"x\"}\n", UTF_8,
                StandardOpenOption.APPEND);
        int lines = Files.readAllLines(file, UTF_8).size();

        assertThatThrownBy(() -> Journal.read(file))
                .hasMessageContaining("corrupt at line " + lines + ": 'attempt' is missing");
    }

    @Test
    void read_emptyFile_hasNoEvents() throws IOException {
        Path file = Files.createFile(dir.resolve("journal.jsonl"));

        Journal.Contents contents = Journal.read(file);

        assertThat(contents.events()).isEmpty();
        assertThat(contents.tornTail()).isFalse();
    }

    @Test
    void resume_wholeJournal_appendsAfterItWithoutCutting() {
        Path file = writeFullJournal(dir);
        String runId = file.getParent().getFileName().toString();
        int before = Journal.read(file).events().size();
        List<String> log = RecordingChannel.newLog();

        try (Journal journal = Journal.resume(dir, runId, NO_MASK, RecordingChannel.opener(log, Force.REAL))) {
            assertThat(journal.runId()).isEqualTo(runId);
            journal.append(new StageStarted("deploy-€", 4, T0));
        }

        assertThat(log).noneMatch(call -> call.startsWith("truncate"));
        assertThat(Journal.read(file).events()).hasSize(before + 1);
    }

    @Test
    void resume_tornJournal_cutsAndForcesBeforeAppending() throws IOException {
        Path file = writeFullJournal(dir);
        String runId = file.getParent().getFileName().toString();
        byte[] whole = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(whole, whole.length - 3));
        List<String> log = RecordingChannel.newLog();

        try (Journal journal = Journal.resume(dir, runId, NO_MASK, RecordingChannel.opener(log, Force.REAL))) {
            journal.append(new RunFinished(RunStatus.CANCELLED, T0));
        }

        assertThat(log).containsSubsequence("open [WRITE] journal.jsonl",
                "truncate(" + lastLineStart(whole) + ") journal.jsonl", "force(true) journal.jsonl",
                "close journal.jsonl", "open [WRITE, APPEND] journal.jsonl", "write journal.jsonl",
                "force(true) journal.jsonl");
    }

    @Test
    void resume_unknownRun_listsTheRunsThere() {
        Path file = writeFullJournal(dir);
        String existing = file.getParent().getFileName().toString();

        assertThatThrownBy(() -> Journal.resume(dir, "20200101T000000Z-abcdef", NO_MASK))
                .isInstanceOf(PipewrightException.class)
                .hasMessageContaining("Run 20200101T000000Z-abcdef has no journal")
                .hasMessageContaining("Runs in " + dir + ": " + existing);
        assertThatThrownBy(() -> Journal.resume(dir, "../etc", NO_MASK))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a run id looks like 20261126T101500Z-1a2b3c but '../etc' was given");
    }
}
