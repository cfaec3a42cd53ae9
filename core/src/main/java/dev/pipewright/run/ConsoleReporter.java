package dev.pipewright.run;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import dev.pipewright.Gate;
import dev.pipewright.spi.Approval;
import dev.pipewright.spi.ApprovalRequest;
import dev.pipewright.spi.Attachment;
import dev.pipewright.spi.RunInfo;
import dev.pipewright.spi.RunListener;
import dev.pipewright.spi.RunResult;
import dev.pipewright.spi.RunStatus;
import dev.pipewright.spi.StageResult;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shows a local run's progress on a console: a header when the run starts, one line per change
 * of a stage's state, every line the stages print, and a summary when the run ends.
 *
 * <pre>{@code
 * RunListener console = System.console() != null
 *         ? ConsoleReporter.live(System.out)    // a terminal: adds a status line at the bottom
 *         : ConsoleReporter.plain(System.out);  // a CI log or a file: lines only
 * }</pre>
 *
 * <p>What it prints, in both modes:
 *
 * <pre>
 * Pipeline housing-api: run 20261126T101500Z-1a2b3c
 *   for branch master at 4f1c2d3e4f5a, 3 changed paths
 *   3 stages, up to 4 at once
 *   run folder: /home/ana/.pipewright/runs/20261126T101500Z-1a2b3c
 * [00:00.0] test            started
 * [test] [INFO] BUILD SUCCESS
 * [00:03.4] test            succeeded in 3.4 s
 * [00:03.4] deploy-staging  waiting for approval 'approval' (Deploy to staging?; approvers: leads)
 * [00:09.1] deploy-staging  approved by ana: tests are green
 * [00:09.1] deploy-staging  started
 * [deploy-staging] error: connection reset
 * [00:09.3] deploy-staging  retrying in 2 s (attempt 2): exit code 1
 * [00:11.3] deploy-staging  started (attempt 2)
 * [deploy-staging] error: connection reset
 * [00:12.2] deploy-staging  failed in 3.1 s after 2 attempts: exit code 1
 * [00:12.2] deploy-prod     skipped: needs deploy-staging
 *
 * Run 20261126T101500Z-1a2b3c of housing-api FAILED in 12.5 s: stage 'deploy-staging' failed
 *   test            succeeded      3.4 s
 *   deploy-staging  failed         3.1 s  exit code 1, 2 attempts
 *   deploy-prod     skipped            -  needs deploy-staging
 *   run folder: /home/ana/.pipewright/runs/20261126T101500Z-1a2b3c
 *   to resume it: run again with --resume 20261126T101500Z-1a2b3c
 * </pre>
 *
 * <p>Times in brackets count from the run's start. Stages' output lines are shown as they come,
 * prefixed with the stage's name; colour sequences in them are kept (and reset at the line's
 * end), other terminal control sequences and control characters are removed, and of a line
 * redrawn with carriage returns (a progress bar) only the last state is shown.
 *
 * <p>{@linkplain #live Live mode}, for a terminal, also keeps one status line at the bottom,
 * such as {@code running: test, lint | queued: 2 | done: 5/12 | 00:42}, made to fit the
 * terminal's width ({@code $COLUMNS}, else 80 columns): {@code running: test, +3 more}, then
 * {@code running: 4}, then cut. It is erased before each line is printed and drawn
 * again after it, redrawn by a daemon thread when it changes (at most every 100 ms) so that
 * its clock moves, and removed, its thread stopped, when the run ends.
 *
 * <p>Thread-safe: stages report from several threads at once, and every line is written whole,
 * never interleaved with another. Its methods never throw: a failure to format something is
 * logged and the line dropped. A reporter shows one run.
 *
 * @since 0.1
 */
public final class ConsoleReporter implements RunListener {
    /** Moves to the start of the line and erases it. */
    static final String ERASE_LINE = "\r\u001B[2K";
    /** How often the live status line may be redrawn by its thread. */
    static final Duration TICK = Duration.ofMillis(100);

    private static final Logger LOG = LoggerFactory.getLogger(ConsoleReporter.class);
    private static final int DEFAULT_WIDTH = 80;
    private static final int MAX_NAME_WIDTH = 32;
    private static final int MAX_DETAIL = 100;
    /** Every escape sequence: CSI (colours, cursor moves), OSC (titles, links), two-character ones. */
    private static final Pattern ESCAPE =
            Pattern.compile("\u001B(?:\\[[0-?]*[ -/]*[@-~]|\\][^\u0007\u001B]*(?:\u0007|\u001B\\\\)?|[@-Z\\\\-_])?");
    /** Colour and style sequences (SGR), the ones worth keeping. */
    private static final Pattern SGR = Pattern.compile("\u001B\\[[0-9;:]*m");
    private static final String RESET = "\u001B[0m";
    /** Colour sequences that only reset: a line ending with one needs no other. */
    private static final Pattern RESETS = Pattern.compile("\u001B\\[0*m");

    private final PrintStream out;
    private final boolean live;
    private final LongSupplier nanoTime;
    private final int width;
    private final @Nullable ThreadFactory tickerThreads;
    private final Object lock = new Object();

    // All guarded by lock.
    private long startNanos;
    private boolean started;
    private boolean finished;
    private int nameWidth;
    private int totalStages;
    private final Set<String> running = new LinkedHashSet<>();
    private final Set<String> queued = new LinkedHashSet<>();
    private final Set<String> waiting = new LinkedHashSet<>();
    private final Set<String> done = new HashSet<>();
    /** The status line on screen, empty when none is. */
    private String shownStatus = "";
    private @Nullable ScheduledExecutorService ticker;

    private ConsoleReporter(PrintStream out, boolean live, LongSupplier nanoTime, int width,
            @Nullable ThreadFactory tickerThreads) {
        this.out = checkNotNull(out, "out");
        this.live = live;
        this.nanoTime = checkNotNull(nanoTime, "nanoTime");
        checkArgument(width >= 20, "width must be at least 20 columns but was %s", width);
        this.width = width;
        this.tickerThreads = tickerThreads;
        this.startNanos = nanoTime.getAsLong();
    }

    /**
     * A reporter printing lines only, to {@code out}: for CI logs, files and pipes.
     *
     * @throws NullPointerException if {@code out} is null
     */
    public static ConsoleReporter plain(PrintStream out) {
        return new ConsoleReporter(out, false, System::nanoTime, DEFAULT_WIDTH, null);
    }

    /**
     * A reporter printing to a terminal: the lines of {@link #plain}, and a status line kept at
     * the bottom with ANSI escape sequences. Use it only when {@code out} is a terminal.
     *
     * @throws NullPointerException if {@code out} is null
     */
    public static ConsoleReporter live(PrintStream out) {
        return new ConsoleReporter(out, true, System::nanoTime, terminalWidth(System.getenv("COLUMNS")),
                task -> {
                    Thread t = new Thread(task, "pipewright-console-status");
                    t.setDaemon(true);
                    return t;
                });
    }

    /**
     * A reporter with its time source, for tests.
     *
     * @param live whether to keep a status line
     * @param nanoTime a monotonic clock in nanoseconds, as {@link System#nanoTime()}
     * @param width the terminal's width in columns, at least 20
     * @param tickerThreads makes the thread redrawing the status line every {@link #TICK}; null
     *     for none, when the test calls {@link #tick()} itself
     */
    static ConsoleReporter create(PrintStream out, boolean live, LongSupplier nanoTime, int width,
            @Nullable ThreadFactory tickerThreads) {
        return new ConsoleReporter(out, live, nanoTime, width, tickerThreads);
    }

    /** The width in {@code columns} ({@code $COLUMNS}) if it is a sensible number, else 80. */
    static int terminalWidth(@Nullable String columns) {
        if (columns != null) {
            try {
                int n = Integer.parseInt(columns.trim());
                if (n >= 20 && n <= 1000) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // not a number: the default
            }
        }
        return DEFAULT_WIDTH;
    }

    @Override
    public void runStarted(RunInfo run) {
        guard("runStarted", () -> {
            synchronized (lock) {
                started = true;
                startNanos = nanoTime.getAsLong();
                totalStages = run.pipeline().stages().size();
                nameWidth = Math.min(MAX_NAME_WIDTH,
                        run.pipeline().stages().stream().mapToInt(s -> s.name().length()).max().orElse(0));
                StringBuilder b = new StringBuilder("Pipeline ").append(run.pipeline().name())
                        .append(run.resumed() ? ": resuming run " : ": run ").append(run.runId());
                b.append("\n  for ").append(plainText(run.facts().toString()));
                run.facts().changedPaths().ifPresent(p -> b.append(", ").append(p.size())
                        .append(p.size() == 1 ? " changed path" : " changed paths"));
                b.append("\n  ").append(totalStages).append(totalStages == 1 ? " stage" : " stages")
                        .append(", up to ").append(run.concurrency()).append(" at once");
                run.runDirectory().ifPresent(d -> b.append("\n  run folder: ").append(d));
                print(b.toString());
                if (live && tickerThreads != null && ticker == null) {
                    ScheduledExecutorService t = Executors.newSingleThreadScheduledExecutor(tickerThreads);
                    long period = TICK.toNanos();
                    t.scheduleAtFixedRate(this::tick, period, period, TimeUnit.NANOSECONDS);
                    ticker = t;
                }
            }
        });
    }

    @Override
    public void stageQueued(String stage) {
        guard("stageQueued", () -> {
            synchronized (lock) {
                queued.add(stage);
                tickLocked();
            }
        });
    }

    @Override
    public void approvalRequested(ApprovalRequest request) {
        guard("approvalRequested", () -> {
            Gate gate = request.gate();
            List<String> details = new ArrayList<>();
            gate.message().ifPresent(m -> details.add(firstLine(m)));
            if (!gate.approvers().isEmpty()) {
                details.add("approvers: " + String.join(", ", gate.approvers()));
            }
            gate.timeout().ifPresent(t -> details.add("times out after " + duration(t)));
            String text = "waiting for approval '" + gate.name() + "'"
                    + (details.isEmpty() ? "" : " (" + String.join("; ", details) + ")");
            synchronized (lock) {
                queued.remove(request.stage());
                waiting.add(request.stage());
                stageLine(request.stage(), text);
            }
        });
    }

    @Override
    public void approvalDecided(ApprovalRequest request, Approval approval) {
        guard("approvalDecided", () -> {
            String text = (approval.approved() ? "approved by " : "refused by ") + plainText(approval.who())
                    + approval.why().filter(w -> !w.isBlank()).map(w -> ": " + plainText(w)).orElse("");
            synchronized (lock) {
                waiting.remove(request.stage());
                stageLine(request.stage(), text);
            }
        });
    }

    @Override
    public void stageStarted(String stage, int attempt) {
        guard("stageStarted", () -> {
            synchronized (lock) {
                queued.remove(stage);
                waiting.remove(stage);
                running.add(stage);
                stageLine(stage, attempt > 1 ? "started (attempt " + attempt + ")" : "started");
            }
        });
    }

    @Override
    public void stageOutput(String stage, String line) {
        guard("stageOutput", () -> {
            String text = "[" + stage + "] " + outputText(line);
            synchronized (lock) {
                print(text);
            }
        });
    }

    @Override
    public void stageRetrying(String stage, int nextAttempt, Duration wait, String reason) {
        guard("stageRetrying", () -> {
            String text = "retrying in " + duration(wait) + " (attempt " + nextAttempt + ")"
                    + (reason.isBlank() ? "" : ": " + plainText(reason));
            synchronized (lock) {
                stageLine(stage, text);
            }
        });
    }

    @Override
    public void attached(String stage, Attachment attachment) {
        guard("attached", () -> {
            String what = attachment.kind() == Attachment.Kind.TEST_RESULTS ? "test results" : "artifact";
            synchronized (lock) {
                stageLine(stage, "attached " + what + ": " + attachment.path());
            }
        });
    }

    @Override
    public void stageFinished(StageResult result) {
        guard("stageFinished", () -> {
            String text = finished(result);
            synchronized (lock) {
                running.remove(result.stage());
                queued.remove(result.stage());
                waiting.remove(result.stage());
                done.add(result.stage());
                stageLine(result.stage(), text);
            }
        });
    }

    @Override
    public void hookFinished(StageResult result) {
        guard("hookFinished", () -> {
            String text = finished(result);
            synchronized (lock) {
                running.remove(result.stage());
                stageLine(result.stage(), text);
            }
        });
    }

    @Override
    public void runFinished(RunResult result) {
        guard("runFinished", () -> {
            String summary = summary(result);
            synchronized (lock) {
                finished = true;
                if (ticker != null) {
                    ticker.shutdownNow();
                    ticker = null;
                }
                print(summary);
            }
        });
    }

    /**
     * Redraws the live status line if it changed (its clock moves every second). Called by the
     * ticker thread every {@link #TICK}, or by tests.
     */
    void tick() {
        guard("tick", () -> {
            synchronized (lock) {
                tickLocked();
            }
        });
    }

    /** Whether the status line thread is running, for tests. */
    boolean tickerRunning() {
        synchronized (lock) {
            return ticker != null && !ticker.isShutdown();
        }
    }

    private void tickLocked() {
        if (!statusActive()) {
            return;
        }
        String status = status();
        if (!status.equals(shownStatus)) {
            out.print(ERASE_LINE + status);
            out.flush();
            shownStatus = status;
        }
    }

    private boolean statusActive() {
        return live && started && !finished;
    }

    private void stageLine(String stage, String text) {
        StringBuilder b = new StringBuilder(time()).append(' ').append(stage);
        for (int i = stage.length(); i < nameWidth; i++) {
            b.append(' ');
        }
        print(b.append("  ").append(text).toString());
    }

    /**
     * Prints {@code text} and a line end as one write, the status line erased before and drawn
     * again after it. Called holding the lock.
     */
    private void print(String text) {
        StringBuilder b = new StringBuilder(text.length() + width + 16);
        if (!shownStatus.isEmpty()) {
            b.append(ERASE_LINE);
            shownStatus = "";
        }
        b.append(text).append('\n');
        if (statusActive()) {
            shownStatus = status();
            b.append(shownStatus);
        }
        out.print(b);
        out.flush();
    }

    /** The status line, cut to fit the terminal. Called holding the lock. */
    private String status() {
        StringBuilder tail = new StringBuilder(" | queued: ").append(queued.size());
        if (!waiting.isEmpty()) {
            tail.append(" | approval: ").append(String.join(", ", waiting));
        }
        tail.append(" | done: ").append(done.size()).append('/').append(totalStages).append(" | ").append(clock());
        List<String> names = new ArrayList<>(running);
        int max = width - 1;
        String line = "";
        for (int shown = names.size(); shown >= 0; shown--) {
            String list;
            if (names.isEmpty()) {
                list = "none";
            } else if (shown == names.size()) {
                list = String.join(", ", names);
            } else if (shown == 0) {
                list = Integer.toString(names.size());
            } else {
                list = String.join(", ", names.subList(0, shown)) + ", +" + (names.size() - shown) + " more";
            }
            line = "running: " + list + tail;
            if (line.codePointCount(0, line.length()) <= max) {
                return line;
            }
        }
        return cut(line, max);
    }

    private String finished(StageResult r) {
        String took = r.attempts() == 0 && r.duration().isZero() ? "" : " in " + duration(r.duration());
        String after = r.attempts() > 1 ? " after " + r.attempts() + " attempts" : "";
        String why = reason(r);
        switch (r.outcome()) {
            case SUCCEEDED:
                return "succeeded" + took + after;
            case FAILED:
                return "failed" + took + after + colon(why);
            case TIMED_OUT:
                return "timed out" + (took.isEmpty() ? "" : " after " + duration(r.duration())) + colon(why);
            case ROLLED_BACK:
                return "rolled back" + took + after + colon(why);
            case CANCELLED:
                return "cancelled" + (took.isEmpty() ? "" : " after " + duration(r.duration())) + colon(why);
            case SKIPPED:
                return "skipped" + colon(why);
            case REFUSED:
                return "refused" + colon(why);
            default:
                return r.outcome().name().toLowerCase(Locale.ROOT) + took + colon(why);
        }
    }

    /** The message, with the exit code if the message does not give it; may span lines, indented. */
    private String reason(StageResult r) {
        String message = r.message().map(ConsoleReporter::plainText).orElse("").strip();
        if (r.exitCode().isPresent()) {
            String code = "exit code " + r.exitCode().getAsInt();
            if (message.isEmpty()) {
                return code;
            }
            if (!r.outcome().succeeded() && !message.contains(code)) {
                message += " (" + code + ")";
            }
        }
        // Further lines start under the first one's text: after "[00:00.0] ", the name and two spaces.
        return message.replace("\n", "\n" + " ".repeat(12 + nameWidth));
    }

    private static String colon(String why) {
        return why.isEmpty() ? "" : ": " + why;
    }

    private String summary(RunResult result) {
        StringBuilder b = new StringBuilder("\nRun ").append(result.runId()).append(" of ").append(result.pipeline())
                .append(' ').append(result.status().name()).append(" in ").append(duration(result.duration()));
        result.message().map(ConsoleReporter::plainText).map(String::strip).filter(m -> !m.isEmpty())
                .ifPresent(m -> b.append(": ").append(firstLine(m)));
        List<StageResult> rows = new ArrayList<>(result.stages());
        rows.addAll(result.hooks());
        int names = Math.min(40, rows.stream().mapToInt(r -> r.stage().length()).max().orElse(0));
        for (StageResult r : rows) {
            b.append("\n  ").append(pad(r.stage(), names)).append("  ")
                    .append(pad(r.outcome().name().toLowerCase(Locale.ROOT).replace('_', ' '), 11));
            String time = r.attempts() == 0 && r.duration().isZero() ? "-" : duration(r.duration());
            b.append(" ".repeat(Math.max(1, 9 - time.length()))).append(time);
            List<String> detail = new ArrayList<>();
            r.message().map(ConsoleReporter::plainText).map(String::strip).filter(m -> !m.isEmpty())
                    .ifPresent(m -> detail.add(cut(firstLine(m), MAX_DETAIL)));
            List<String> counts = new ArrayList<>();
            r.exitCode().ifPresent(c -> {
                String code = "exit code " + c;
                if (c != 0 && detail.stream().noneMatch(d -> d.contains(code))) {
                    counts.add(code);
                }
            });
            if (r.attempts() > 1) {
                counts.add(r.attempts() + " attempts");
            }
            if (!counts.isEmpty()) {
                detail.add((detail.isEmpty() ? "" : "(") + String.join(", ", counts) + (detail.isEmpty() ? "" : ")"));
            }
            if (!detail.isEmpty()) {
                b.append("  ").append(String.join(" ", detail));
            }
        }
        result.runDirectory().ifPresent(d -> b.append("\n  run folder: ").append(d));
        if (result.status() != RunStatus.SUCCEEDED && result.runDirectory().isPresent()) {
            b.append("\n  to resume it: run again with --resume ").append(result.runId());
        }
        return b.toString();
    }

    private String time() {
        long tenths = Math.max(0, nanoTime.getAsLong() - startNanos) / 100_000_000L;
        long seconds = tenths / 10;
        return seconds >= 3600
                ? String.format(Locale.ROOT, "[%d:%02d:%02d.%d]", seconds / 3600, seconds / 60 % 60, seconds % 60,
                        tenths % 10)
                : String.format(Locale.ROOT, "[%02d:%02d.%d]", seconds / 60, seconds % 60, tenths % 10);
    }

    private String clock() {
        long seconds = Math.max(0, nanoTime.getAsLong() - startNanos) / 1_000_000_000L;
        return seconds >= 3600
                ? String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
                : String.format(Locale.ROOT, "%02d:%02d", seconds / 60, seconds % 60);
    }

    /**
     * {@code 0.2 s}, {@code 2 s}, {@code 1 m 02 s}, {@code 2 m}, {@code 1 h 05 m}, {@code 8 h}: to
     * a tenth of a second at best.
     */
    static String duration(Duration d) {
        long millis = Math.max(0, d.toMillis());
        if (millis < 60_000) {
            return millis % 1000 == 0
                    ? millis / 1000 + " s"
                    : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
        }
        long seconds = millis / 1000;
        if (seconds < 3600) {
            return seconds % 60 == 0 ? seconds / 60 + " m"
                    : String.format(Locale.ROOT, "%d m %02d s", seconds / 60, seconds % 60);
        }
        long minutes = seconds / 60;
        return minutes % 60 == 0 ? minutes / 60 + " h"
                : String.format(Locale.ROOT, "%d h %02d m", minutes / 60, minutes % 60);
    }

    /**
     * A stage's output line made safe for the console: of text redrawn with carriage returns
     * only the last state, colour sequences kept and reset at the end, other escape sequences
     * and control characters removed.
     */
    static String outputText(String line) {
        String text = line;
        int cr = text.lastIndexOf('\r');
        while (cr >= 0) {
            if (cr < text.length() - 1) {
                text = text.substring(cr + 1);
                break;
            }
            text = text.substring(0, cr);
            cr = text.lastIndexOf('\r');
        }
        StringBuilder b = new StringBuilder(text.length());
        boolean coloured = false;
        Matcher m = ESCAPE.matcher(text);
        int from = 0;
        while (m.find()) {
            appendPrintable(b, text, from, m.start(), false);
            if (SGR.matcher(m.group()).matches()) {
                b.append(m.group());
                coloured = !RESETS.matcher(m.group()).matches();
            }
            from = m.end();
        }
        appendPrintable(b, text, from, text.length(), false);
        if (coloured) {
            b.append(RESET);
        }
        return b.toString();
    }

    /** {@code text} without escape sequences and control characters but line ends (as LF) and tabs. */
    static String plainText(String text) {
        String t = ESCAPE.matcher(text.replace("\r\n", "\n").replace('\r', '\n')).replaceAll("");
        StringBuilder b = new StringBuilder(t.length());
        appendPrintable(b, t, 0, t.length(), true);
        return b.toString();
    }

    private static void appendPrintable(StringBuilder b, String text, int from, int to, boolean newlines) {
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if ((c >= 0x20 && c != 0x7F && (c < 0x80 || c > 0x9F)) || c == '\t' || (newlines && c == '\n')) {
                b.append(c);
            }
        }
    }

    private static String firstLine(String text) {
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl) + " …";
    }

    private static String pad(String text, int width) {
        return text.length() >= width ? text : text + " ".repeat(width - text.length());
    }

    /** {@code text} cut to {@code max} code points, the last one an ellipsis if it was cut. */
    private static String cut(String text, int max) {
        if (text.codePointCount(0, text.length()) <= max) {
            return text;
        }
        return text.substring(0, text.offsetByCodePoints(0, max - 1)) + "…";
    }

    /** Runs a listener method's body; what it throws is logged, never passed on to the runner. */
    private static void guard(String method, Runnable body) {
        try {
            body.run();
        } catch (RuntimeException e) {
            LOG.warn("The console reporter failed in {}; a line may be missing", method, e);
        }
    }
}
