package dev.pipewright.run;

import static dev.pipewright.run.ReportFixtures.FACTS;
import static dev.pipewright.run.ReportFixtures.PIPELINE;
import static dev.pipewright.run.ReportFixtures.RUN_ID;
import static dev.pipewright.run.ReportFixtures.approvalRequest;
import static dev.pipewright.run.ReportFixtures.result;
import static dev.pipewright.run.ReportFixtures.runInfo;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.pipewright.spi.Approval;
import dev.pipewright.spi.Attachment;
import dev.pipewright.spi.RunResult;
import dev.pipewright.spi.RunStatus;
import dev.pipewright.spi.StageOutcome;
import dev.pipewright.spi.StageResult;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ConsoleReporterTest {
    private static final Path RUN_DIR = Path.of("runs", RUN_ID);
    private static final String ERASE = ConsoleReporter.ERASE_LINE;
    private static final long MS = 1_000_000L;

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, UTF_8);
    /** The reporter's clock, in nanoseconds; starts far from zero, as System.nanoTime may. */
    private final AtomicLong now = new AtomicLong(-7_000_000_000L);

    private ConsoleReporter plain() {
        return ConsoleReporter.create(out, false, now::get, 80, null);
    }

    /** A live reporter without a ticker thread: the test calls tick() itself. */
    private ConsoleReporter live(int width) {
        return ConsoleReporter.create(out, true, now::get, width, null);
    }

    private void advance(long millis) {
        now.addAndGet(millis * MS);
    }

    private String printed() {
        return bytes.toString(UTF_8);
    }

    private static final List<StageResult> STAGES = List.of(
            result("build", StageOutcome.SUCCEEDED, 1, 0, 3400, null),
            result("test", StageOutcome.FAILED, 2, 1, 8123, "3 tests failed\nsee the report"),
            result("deploy-staging", StageOutcome.REFUSED, 0, null, 0, "approval 'approve-staging' refused"),
            result("deploy-production", StageOutcome.SKIPPED, 0, null, 0, "needs deploy-staging"));
    private static final StageResult HOOK = result("pipeline:always", StageOutcome.SUCCEEDED, 1, 0, 100, null);

    private static RunResult runResult(RunStatus status, Optional<Path> runDir) {
        return new RunResult(RUN_ID, PIPELINE, status, FACTS, STAGES, List.of(HOOK), Duration.ofMillis(62_000), runDir,
                status == RunStatus.SUCCEEDED ? Optional.empty() : Optional.of("stage 'test' failed"));
    }

    /** Reports a whole run: four stages, an approval refused, a retry, a hook. */
    private void wholeRun(ConsoleReporter r, RunStatus status) {
        r.runStarted(runInfo(Optional.of(RUN_DIR)));
        r.stageQueued("build");
        r.stageStarted("build", 1);
        advance(1250);
        r.stageOutput("build", "compiling \u001B[32mok\u001B[0m");
        advance(2150);
        r.stageFinished(STAGES.get(0));
        r.stageQueued("test");
        r.stageStarted("test", 1);
        advance(600);
        r.stageRetrying("test", 2, Duration.ofSeconds(2), "exit code 1");
        advance(2000);
        r.stageStarted("test", 2);
        r.attached("test", Attachment.testResults(Path.of("target", "surefire-reports")));
        advance(5500);
        r.stageFinished(STAGES.get(1));
        r.approvalRequested(approvalRequest());
        advance(500);
        r.approvalDecided(approvalRequest(), Approval.refuse("bob", "not today"));
        r.stageFinished(STAGES.get(2));
        r.stageFinished(STAGES.get(3));
        advance(100);
        r.stageStarted("pipeline:always", 1);
        r.hookFinished(HOOK);
        r.runFinished(runResult(status, Optional.of(RUN_DIR)));
    }

    @Test
    void plain_wholeRun_printsHeaderStateChangesOutputAndSummary() {
        wholeRun(plain(), RunStatus.FAILED);

        assertThat(printed()).isEqualTo(String.join("\n",
                "Pipeline housing-api: run 20261126T101500Z-1a2b3c",
                "  for branch master at 4f1c2d3e4f5a, 2 changed paths",
                "  4 stages, up to 4 at once",
                "  run folder: " + RUN_DIR,
                "[00:00.0] build              started",
                "[build] compiling \u001B[32mok\u001B[0m",
                "[00:03.4] build              succeeded in 3.4 s",
                "[00:03.4] test               started",
                "[00:04.0] test               retrying in 2 s (attempt 2): exit code 1",
                "[00:06.0] test               started (attempt 2)",
                "[00:06.0] test               attached test results: " + Path.of("target", "surefire-reports"),
                "[00:11.5] test               failed in 8.1 s after 2 attempts: 3 tests failed",
                "                             see the report (exit code 1)",
                "[00:11.5] deploy-staging     waiting for approval 'approve-staging' (Deploy to staging?;"
                        + " approvers: leads; times out after 8 h)",
                "[00:12.0] deploy-staging     refused by bob: not today",
                "[00:12.0] deploy-staging     refused: approval 'approve-staging' refused",
                "[00:12.0] deploy-production  skipped: needs deploy-staging",
                "[00:12.1] pipeline:always    started",
                "[00:12.1] pipeline:always    succeeded in 0.1 s",
                "",
                "Run 20261126T101500Z-1a2b3c of housing-api FAILED in 1 m 02 s: stage 'test' failed",
                "  build              succeeded      3.4 s",
                "  test               failed         8.1 s  3 tests failed … (exit code 1, 2 attempts)",
                "  deploy-staging     refused            -  approval 'approve-staging' refused",
                "  deploy-production  skipped            -  needs deploy-staging",
                "  pipeline:always    succeeded      0.1 s",
                "  run folder: " + RUN_DIR,
                "  to resume it: run again with --resume 20261126T101500Z-1a2b3c",
                ""));
    }

    @Test
    void plain_succeededRun_doesNotSuggestResuming() {
        wholeRun(plain(), RunStatus.SUCCEEDED);

        assertThat(printed()).contains("of housing-api SUCCEEDED in 1 m 02 s\n").doesNotContain("--resume");
    }

    @Test
    void plain_failedRunWithoutFolder_cannotBeResumed() {
        ConsoleReporter r = plain();
        r.runStarted(runInfo(Optional.empty()));
        r.runFinished(runResult(RunStatus.FAILED, Optional.empty()));

        assertThat(printed()).doesNotContain("--resume", "run folder");
    }

    @Test
    void plain_otherOutcomes_sayHowTheStageEnded() {
        ConsoleReporter r = plain();
        r.runStarted(runInfo(Optional.empty()));
        r.stageFinished(result("build", StageOutcome.TIMED_OUT, 1, 143, 600_000, "ran past its timeout of 10 m"));
        r.stageFinished(result("test", StageOutcome.CANCELLED, 0, null, 0, "the run was interrupted"));
        r.stageFinished(result("deploy-staging", StageOutcome.CANCELLED, 1, null, 90_500, null));
        r.stageFinished(result("deploy-production", StageOutcome.ROLLED_BACK, 1, 2, 4_000_000,
                "restored version 41 (exit code 2)"));
        r.stageFinished(result("test", StageOutcome.FAILED, 1, 1, 200, null));

        assertThat(printed().lines().skip(3)).containsExactly(
                "[00:00.0] build              timed out after 10 m: ran past its timeout of 10 m (exit code 143)",
                "[00:00.0] test               cancelled: the run was interrupted",
                "[00:00.0] deploy-staging     cancelled after 1 m 30 s",
                "[00:00.0] deploy-production  rolled back in 1 h 06 m: restored version 41 (exit code 2)",
                "[00:00.0] test               failed in 0.2 s: exit code 1");
    }

    @Test
    void plain_longRun_showsHoursInTimes() {
        ConsoleReporter r = plain();
        r.runStarted(runInfo(Optional.empty()));
        advance(3_723_400);
        r.stageStarted("build", 1);

        assertThat(printed()).contains("[1:02:03.4] build              started\n");
    }

    @Test
    void live_statusLine_isDrawnAfterEachLineAndRedrawnOnlyWhenItChanges() {
        ConsoleReporter r = live(80);
        r.runStarted(runInfo(Optional.of(RUN_DIR)));
        assertThat(printed()).endsWith("  run folder: " + RUN_DIR + "\nrunning: none | queued: 0 | done: 0/4 | 00:00");

        r.stageQueued("build");
        assertThat(printed()).endsWith(ERASE + "running: none | queued: 1 | done: 0/4 | 00:00");

        r.stageStarted("build", 1);
        assertThat(printed()).endsWith(ERASE + "[00:00.0] build              started\n"
                + "running: build | queued: 0 | done: 0/4 | 00:00");

        int before = bytes.size();
        advance(400);
        r.tick();
        assertThat(bytes.size()).as("nothing changed, nothing drawn").isEqualTo(before);

        advance(700);
        r.tick();
        assertThat(printed().substring(before)).isEqualTo(ERASE + "running: build | queued: 0 | done: 0/4 | 00:01");

        r.stageStarted("test", 1);
        r.approvalRequested(approvalRequest());
        r.stageOutput("build", "compiling");
        assertThat(printed()).endsWith(ERASE + "[build] compiling\n"
                + "running: build, test | queued: 0 | approval: deploy-staging | done: 0/4 | 00:01");

        r.stageFinished(STAGES.get(0));
        advance(62_000);
        r.tick();
        assertThat(printed())
                .endsWith(ERASE + "running: test | queued: 0 | approval: deploy-staging | done: 1/4 | 01:03");
    }

    @Test
    void live_runFinished_removesTheStatusLineForGood() {
        ConsoleReporter r = live(80);
        wholeRun(r, RunStatus.FAILED);
        int end = printed().length();
        advance(5000);
        r.tick();
        r.stageOutput("build", "late");

        String printed = printed();
        String summaryStart = "\nRun " + RUN_ID;
        int summary = printed.indexOf(summaryStart);
        assertThat(printed.substring(0, summary)).endsWith(ERASE);
        assertThat(printed.substring(summary, end)).doesNotContain(ERASE, "running:")
                .endsWith("--resume " + RUN_ID + "\n");
        assertThat(printed.substring(end)).isEqualTo("[build] late\n");
    }

    @Test
    void live_wholeRun_screenShowsThePlainLinesAndNoStatusLine() {
        wholeRun(live(80), RunStatus.FAILED);
        String liveOutput = printed();
        bytes.reset();
        now.set(-7_000_000_000L);
        wholeRun(plain(), RunStatus.FAILED);

        assertThat(Screen.render(liveOutput)).isEqualTo(Screen.render(printed()));
        assertThat(liveOutput)
                .contains("attempt 2)\nrunning: test | queued: 0 | done: 1/4 | 00:06" + ERASE + "[00:06.0]");
    }

    @Test
    void live_statusLine_fitsTheTerminal() {
        assertThat(statusWithFourRunning(20)).isEqualTo("running: 4 | queue…");
        assertThat(statusWithFourRunning(50)).isEqualTo("running: 4 | queued: 0 | done: 0/4 | 00:00");
        assertThat(statusWithFourRunning(80))
                .isEqualTo("running: build, test, deploy-staging, +1 more | queued: 0 | done: 0/4 | 00:00");
        assertThat(statusWithFourRunning(100)).isEqualTo(
                "running: build, test, deploy-staging, deploy-production | queued: 0 | done: 0/4 | 00:00");
    }

    private String statusWithFourRunning(int width) {
        bytes.reset();
        ConsoleReporter r = live(width);
        r.runStarted(runInfo(Optional.empty()));
        for (String s : List.of("build", "test", "deploy-staging", "deploy-production")) {
            r.stageStarted(s, 1);
        }
        String status = printed().substring(printed().lastIndexOf('\n') + 1);
        assertThat(status.codePointCount(0, status.length())).isLessThan(width);
        return status;
    }

    @Test
    void live_tickerThread_isADaemonAndStopsAtRunFinished() throws Exception {
        List<Thread> threads = new CopyOnWriteArrayList<>();
        ThreadFactory factory = task -> {
            Thread t = new Thread(task, "test-ticker");
            t.setDaemon(true);
            threads.add(t);
            return t;
        };
        ConsoleReporter r = ConsoleReporter.create(out, true, now::get, 80, factory);
        assertThat(r.tickerRunning()).isFalse();

        r.runStarted(runInfo(Optional.empty()));
        assertThat(r.tickerRunning()).isTrue();
        r.runFinished(runResult(RunStatus.SUCCEEDED, Optional.empty()));

        assertThat(r.tickerRunning()).isFalse();
        for (Thread t : threads) {
            t.join(10_000);
            assertThat(t.isAlive()).isFalse();
        }
    }

    @Test
    void live_publicFactory_runsItsTickerOnADaemonThread() throws Exception {
        ConsoleReporter r = ConsoleReporter.live(out);
        Set<Thread> before = new HashSet<>(Thread.getAllStackTraces().keySet());
        r.runStarted(runInfo(Optional.empty()));
        // The executor starts its thread when the task is scheduled: this finds it at once.
        List<Thread> tickers = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (tickers.isEmpty() && System.nanoTime() < deadline) {
            Thread.getAllStackTraces().keySet().stream().filter(t -> !before.contains(t))
                    .filter(t -> t.getName().equals("pipewright-console-status")).forEach(tickers::add);
            Thread.onSpinWait();
        }
        assertThat(tickers).hasSize(1);
        assertThat(tickers.get(0).isDaemon()).isTrue();

        r.runFinished(runResult(RunStatus.SUCCEEDED, Optional.empty()));
        tickers.get(0).join(10_000);
        assertThat(tickers.get(0).isAlive()).isFalse();
    }

    /** Lines from 8 stages at once, with the status line redrawn between them, never split nor merged. */
    @Test
    void live_concurrentOutput_neverSplitsALine() throws Exception {
        ConsoleReporter r = live(80);
        r.runStarted(runInfo(Optional.empty()));
        List<String> expected = concurrentOutput(r, true);

        List<String> screen = Screen.render(printed());
        assertThat(screen.subList(3, screen.size() - 1)).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(screen.get(screen.size() - 1)).startsWith("running: ");
    }

    @Test
    void plain_concurrentOutput_neverSplitsALine() throws Exception {
        ConsoleReporter r = plain();
        r.runStarted(runInfo(Optional.empty()));
        List<String> expected = concurrentOutput(r, false);

        List<String> lines = printed().lines().skip(3).collect(Collectors.toList());
        assertThat(lines).containsExactlyInAnyOrderElementsOf(expected);
        // And each stage's lines in the order it printed them.
        for (int s = 0; s < 8; s++) {
            String prefix = "[stage-" + s + "] ";
            List<String> own = lines.stream().filter(l -> l.startsWith(prefix)).collect(Collectors.toList());
            assertThat(own).isEqualTo(expected.stream().filter(l -> l.startsWith(prefix)).collect(Collectors.toList()));
        }
    }

    /** Has 8 threads print 300 long lines each while another ticks; returns the lines expected. */
    private List<String> concurrentOutput(ConsoleReporter r, boolean tick) throws Exception {
        int stages = 8;
        int each = 300;
        String padding = "é".repeat(150) + "x".repeat(150);
        ExecutorService pool = Executors.newFixedThreadPool(stages + 1);
        CountDownLatch go = new CountDownLatch(1);
        AtomicBoolean done = new AtomicBoolean();
        List<String> expected = new ArrayList<>();
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int s = 0; s < stages; s++) {
                String stage = "stage-" + s;
                for (int i = 0; i < each; i++) {
                    expected.add("[" + stage + "] line " + i + " " + padding);
                }
                futures.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < each; i++) {
                        r.stageOutput(stage, "line " + i + " " + padding);
                    }
                    return null;
                }));
            }
            Future<?> ticker = pool.submit(() -> {
                go.await();
                while (!done.get()) {
                    advance(100);
                    r.tick();
                }
                return null;
            });
            go.countDown();
            for (Future<?> f : futures) {
                f.get();
            }
            done.set(true);
            ticker.get();
        } finally {
            pool.shutdownNow();
        }
        return expected;
    }

    @Test
    void listenerMethods_outputThatThrows_neverThrow() {
        PrintStream broken = new PrintStream(OutputStream.nullOutputStream()) {
            @Override
            public void print(Object o) {
                throw new IllegalStateException("broken console");
            }

            @Override
            public void print(String s) {
                throw new IllegalStateException("broken console");
            }
        };
        ConsoleReporter r = ConsoleReporter.create(broken, true, now::get, 80, null);

        assertThatCode(() -> {
            r.runStarted(runInfo(Optional.of(RUN_DIR)));
            r.stageQueued("build");
            r.approvalRequested(approvalRequest());
            r.approvalDecided(approvalRequest(), Approval.approve("ana", "ok"));
            r.stageStarted("build", 1);
            r.stageOutput("build", "x");
            r.stageRetrying("build", 2, Duration.ofSeconds(1), "flaky");
            r.attached("build", Attachment.artifact(Path.of("app.jar")));
            r.stageFinished(STAGES.get(0));
            r.hookFinished(HOOK);
            r.tick();
            r.runFinished(runResult(RunStatus.FAILED, Optional.of(RUN_DIR)));
        }).doesNotThrowAnyException();
    }

    @Test
    void listenerMethods_beforeRunStarted_printWithoutStatusLine() {
        ConsoleReporter r = live(80);
        r.stageOutput("build", "early");
        r.tick();

        assertThat(printed()).isEqualTo("[build] early\n");
    }

    @Test
    void outputText_keepsColoursDropsOtherControls() {
        assertThat(ConsoleReporter.outputText("plain")).isEqualTo("plain");
        assertThat(ConsoleReporter.outputText("\u001B[1;31mred")).isEqualTo("\u001B[1;31mred\u001B[0m");
        assertThat(ConsoleReporter.outputText("\u001B[31mred\u001B[0m")).isEqualTo("\u001B[31mred\u001B[0m");
        assertThat(ConsoleReporter.outputText("a\u001B[2Kb\u001B[1Ac\u001B]0;title\u0007d\u001B")).isEqualTo("abcd");
        assertThat(ConsoleReporter.outputText(" 10%\r 50%\r100%")).isEqualTo("100%");
        assertThat(ConsoleReporter.outputText("done\r")).isEqualTo("done");
        assertThat(ConsoleReporter.outputText("a\u0000b\u0007c\u007Fd\u009Be\tf")).isEqualTo("abcde\tf");
        assertThat(ConsoleReporter.outputText("café ✓ 😀")).isEqualTo("café ✓ 😀");
    }

    @Test
    void plainText_dropsEveryEscapeAndKeepsLines() {
        assertThat(ConsoleReporter.plainText("<&\"]]> \u0001\u001B[31mred\u001B[0m\r\nnext\rlast"))
                .isEqualTo("<&\"]]> red\nnext\nlast");
    }

    @Test
    void duration_isShortAndReadable() {
        assertThat(ConsoleReporter.duration(Duration.ZERO)).isEqualTo("0 s");
        assertThat(ConsoleReporter.duration(Duration.ofMillis(200))).isEqualTo("0.2 s");
        assertThat(ConsoleReporter.duration(Duration.ofMillis(3449))).isEqualTo("3.4 s");
        assertThat(ConsoleReporter.duration(Duration.ofSeconds(2))).isEqualTo("2 s");
        assertThat(ConsoleReporter.duration(Duration.ofSeconds(62))).isEqualTo("1 m 02 s");
        assertThat(ConsoleReporter.duration(Duration.ofMinutes(2))).isEqualTo("2 m");
        assertThat(ConsoleReporter.duration(Duration.ofMinutes(65))).isEqualTo("1 h 05 m");
        assertThat(ConsoleReporter.duration(Duration.ofHours(8))).isEqualTo("8 h");
    }

    @Test
    void terminalWidth_fromColumns_elseEighty() {
        assertThat(ConsoleReporter.terminalWidth("132")).isEqualTo(132);
        assertThat(ConsoleReporter.terminalWidth(" 100 ")).isEqualTo(100);
        assertThat(ConsoleReporter.terminalWidth(null)).isEqualTo(80);
        assertThat(ConsoleReporter.terminalWidth("wide")).isEqualTo(80);
        assertThat(ConsoleReporter.terminalWidth("5")).isEqualTo(80);
    }

    /**
     * What a terminal shows for some output: {@code \r} goes back to the line's start, {@code
     * ESC[2K} erases the line, {@code \n} starts a new one. Enough for what the reporter writes.
     */
    static final class Screen {
        private static final Pattern ERASE_LINE = Pattern.compile(Pattern.quote("\u001B[2K"));

        static List<String> render(String output) {
            List<StringBuilder> lines = new ArrayList<>();
            lines.add(new StringBuilder());
            int column = 0;
            String text = ERASE_LINE.matcher(output).replaceAll("\u0000");
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                StringBuilder line = lines.get(lines.size() - 1);
                if (c == '\r') {
                    column = 0;
                } else if (c == '\u0000') {
                    line.setLength(0);
                } else if (c == '\n') {
                    lines.add(new StringBuilder());
                    column = 0;
                } else {
                    if (column < line.length()) {
                        line.setCharAt(column, c);
                    } else {
                        line.append(c);
                    }
                    column++;
                }
            }
            List<String> screen = lines.stream().map(StringBuilder::toString).collect(Collectors.toList());
            if (screen.get(screen.size() - 1).isEmpty()) {
                screen.remove(screen.size() - 1);
            }
            return screen;
        }
    }
}
