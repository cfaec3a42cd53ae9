package dev.pipewright.run;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;
import static com.google.common.base.Preconditions.checkState;

import com.google.common.collect.ImmutableMap;
import com.google.errorprone.annotations.CanIgnoreReturnValue;
import dev.pipewright.PipewrightException;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One shell command of a step, run on this machine as a tree of child processes with its output
 * streamed line by line, stopped as a whole on timeout or cancellation.
 *
 * <pre>{@code
 * ShellCommand.Result result = ShellCommand.builder("test", "./mvnw -B verify")
 *         .workingDirectory(workspace)
 *         .environment(Map.of("PATH", path, "HOME", home, "JAVA_HOME", javaHome))
 *         .output(console::println)
 *         .timeout(Duration.ofMinutes(20))
 *         .cancellation(runCancellation)
 *         .build()
 *         .run();
 * }</pre>
 *
 * <p><b>Shell.</b> By default {@code bash -eo pipefail -s}, with the first {@code bash} on this
 * JVM's {@code PATH}, so a failing command or pipeline stage ends the script; where there is no
 * bash, {@code /bin/sh -e -s} (no pipefail). A configured shell such as {@code /bin/zsh -e} is
 * split at whitespace (no quoting) and run exactly as written, with no option added: a bare
 * program name is looked up on this JVM's {@code PATH}, not on the child's. The script is never
 * appended as a {@code -c} argument (a configured shell ending in {@code -c} is rejected): it goes
 * to the shell's standard input, so the shell must read commands from standard input when given
 * no script operand, as sh, bash, dash, ksh and zsh do.
 *
 * <p><b>Simple commands run without the shell.</b> With the default shell being bash, a script
 * that is one simple command of plain words naming a program, such as {@code ./gradlew build} or
 * {@code make -j4 all}, starts that program directly, as GNU make does for simple recipes:
 * starting bash costs more than a short command itself. {@link SimpleCommand} says exactly which
 * scripts (no quoting, expansion, operator or builtin; the program found on the stage's
 * {@code PATH} where the JDK finds it too; a binary or a {@code #!} script) and gives the program
 * what bash would: its arguments, {@code argv[0]} as written, and bash's additions to the
 * environment. Anything else, a program not found (bash reports {@code command not found}, 127),
 * and a program that fails to start go to the shell. What differs: the program is the command's
 * root process, it shares the JVM's session and process group (see Limits), and a program killed
 * by a signal ends with 128 plus its number as under bash, but without bash's report of it
 * ({@code Killed}, {@code Segmentation fault}) nor bash's start-up warnings.
 *
 * <p><b>Script.</b> Written to the shell's standard input as {@code { :; <script>\n}\n}, then
 * standard input is closed; a program started without the shell gets a standard input that is
 * closed at once, so it reads end of input as it would under the shell. Why standard input: argv
 * is readable by every user of the machine ({@code /proc/<pid>/cmdline}, {@code ps}) and a script
 * may hold secrets; a temporary file would put them on disk and stay there if the JVM were
 * killed. Why the group: the shell parses the whole script before running any of it, so a command
 * that reads standard input ({@code cat}, {@code read}, {@code ssh}) sees end of input instead of
 * eating the rest of the script, and a syntax error anywhere fails the script with status 2
 * before anything ran. {@code :;} lets a script of only comments parse. What differs from
 * {@code -c}: a here-document must be closed and the last line must not end with a backslash;
 * {@code $0} is the shell's name.
 *
 * <p><b>Environment.</b> Exactly the given variables: nothing is inherited from this JVM, not
 * {@code PATH} nor {@code HOME}; the shell adds its own ({@code PWD}, {@code SHLVL},
 * {@code OLDPWD}, {@code _} for bash), and so does a command run without it. One more variable,
 * {@code PIPEWRIGHT_PROCESS_TREE}, holds a token unique to this run of this command, replacing
 * any given value: every process the command starts inherits it, which is how processes it left
 * behind are found (see below). Processes that start others with a clean environment drop it.
 * The working directory must exist when {@link #run()} is called.
 *
 * <p><b>Output.</b> Standard output and error share one pipe, so lines arrive in the order
 * written. The sink gets each line, {@code \n} or CRLF removed, with the prefix in front
 * ({@code [<stage>] } by default), decoded as UTF-8 with malformed bytes replaced; a line longer
 * than 64 KiB goes on in a new line marked {@link OutputLines#CONTINUED}. It is called on one
 * platform thread, named {@code pipewright-out-<stage>} while it serves the command (it comes
 * from a pool shared by all commands), one line at a time, and never after {@code run()}
 * returns. If the sink throws, the command is stopped as if cancelled and {@code run()} throws.
 *
 * <p><b>Process tree and signals.</b> The command's processes are its root process (the shell,
 * or the program run without it), its descendants, and, found in a cheap scan of /proc that only
 * looks at processes created after the root ({@link ProcessTree}), every process holding the
 * command's {@code PIPEWRIGHT_PROCESS_TREE} token, and, where util-linux {@code setsid} is on this
 * JVM's {@code PATH}, every process of the session the shell then starts in. So orphans
 * re-parented to init are found too. The shell's own session also means a terminal's Ctrl-C
 * reaches only the JVM, whose runner turns it into {@link Cancellation#cancel()}: stopping is the
 * same whether it comes from a terminal, SIGTERM or the API. On timeout or cancellation, every
 * process of the tree is sent TERM; once all are gone, or the grace period (5 s by default) has
 * passed, or {@link Cancellation#cancelNow()} was called, the rest are sent KILL. When the root
 * process exits by itself, processes it left running ({@code server &}) are stopped the same
 * way, with a warning: a step's processes do not outlive it. The calling thread waits for the
 * root's exit itself, so it goes on as soon as the JDK has reaped the root; a cancellation or
 * a failing sink is noticed within 50 ms. {@code run()} returns only when the tree is gone and
 * all output was delivered. Interrupting the calling thread cancels at once, without grace, and
 * the interrupt is kept.
 *
 * <p><b>Limits.</b> A process that both replaced its environment and called {@code setsid}, and
 * whose parent has exited, is not found; if it keeps the output open, reading stops two seconds
 * after the tree is gone, with a warning, and its output is dropped. Without /proc only living
 * descendants of the root are found. A program run without the shell is in the JVM's process
 * group: a terminal's Ctrl-C reaches it as well as the JVM, so it may end (130) just before the
 * runner cancels the run. If the JVM itself is killed with SIGKILL, its children are left
 * running: Java cannot ask the kernel to signal them when their parent dies.
 *
 * <p>Commands are immutable and thread-safe; each {@code run()} starts a new process, so one
 * command may run several times, even at once.
 */
final class ShellCommand {
    private static final Logger LOG = LoggerFactory.getLogger(ShellCommand.class);
    private static final List<String> SEARCH_WITHOUT_PATH = List.of("/usr/local/bin", "/usr/bin", "/bin");
    private static final @Nullable String SETSID = onPath("setsid");
    private static final List<String> DEFAULT_SHELL = defaultShell();
    private static final boolean DEFAULT_SHELL_IS_BASH = isBash(DEFAULT_SHELL);
    /** Where the JDK looks up a program named without a {@code /}. */
    private static final @Nullable String JVM_PATH = System.getenv("PATH");
    private static final byte[] NO_INPUT = new byte[0];
    /** How often a command waiting for its root's exit looks at its timeout and stop signal. */
    private static final Duration EXIT_POLL = Duration.ofMillis(50);
    private static final Duration DEFAULT_GRACE = Duration.ofSeconds(5);
    /** How long to wait for the root process's exit status after it was sent KILL. */
    private static final Duration EXIT_STATUS_WAIT = Duration.ofSeconds(2);

    private final String stage;
    private final String script;
    private final List<String> shell;
    private final boolean configuredShell;
    private final Path workingDirectory;
    private final Map<String, String> environment;
    private final Consumer<String> output;
    private final String prefix;
    private final @Nullable Duration timeout;
    private final Duration gracePeriod;
    private final Cancellation cancellation;

    private ShellCommand(Builder b, Path workingDirectory, Consumer<String> output) {
        this.stage = b.stage;
        this.script = b.script;
        this.shell = b.shell;
        this.configuredShell = b.configuredShell;
        this.workingDirectory = workingDirectory;
        this.environment = ImmutableMap.copyOf(b.environment);
        this.output = output;
        this.prefix = b.prefix != null ? b.prefix : "[" + b.stage + "] ";
        this.timeout = b.timeout;
        this.gracePeriod = b.gracePeriod;
        this.cancellation = b.cancellation;
    }

    /**
     * Starts a command of stage {@code stage} running {@code script}, possibly several lines.
     *
     * @throws IllegalArgumentException if the stage is blank
     */
    static Builder builder(String stage, String script) {
        return new Builder(stage, script);
    }

    /** The shell's argv, the script excepted: the configured shell, else the default. */
    List<String> shell() {
        return shell;
    }

    /**
     * Runs the command to its end, its timeout or its cancellation, and returns once its process
     * tree is gone and its output delivered. If the cancellation was requested before, nothing
     * starts and the result is {@code CANCELLED} with {@link Result#NO_EXIT_CODE}.
     *
     * @throws PipewrightException naming the stage if the working directory is missing or not a
     *     directory, if the shell cannot be started, or if the output sink threw (the exception is
     *     the cause; the command was stopped first)
     */
    Result run() {
        long start = System.nanoTime();
        CompletableFuture<Stop> stop = new CompletableFuture<>();
        CompletableFuture<Void> forced = new CompletableFuture<>();
        Cancellation.Registration registration = cancellation.onChange(() -> {
            stop.complete(Stop.CANCELLED);
            if (cancellation.isForced()) {
                forced.complete(null);
            }
        });
        try {
            if (stop.isDone()) {
                LOG.debug("Stage '{}': cancelled before its command started", stage);
                return new Result(Outcome.CANCELLED, Result.NO_EXIT_CODE, Duration.ZERO);
            }
            checkWorkingDirectory();
            Started started = start(ProcessTree.newMarker());
            boolean settled = false;
            try {
                Result result = await(started, stop, forced, start);
                settled = true;
                return result;
            } finally {
                if (!settled) {
                    started.tree().stop(Duration.ZERO, forced); // an exception escaped: leave nothing running
                }
            }
        } finally {
            registration.close();
        }
    }

    private Result await(Started started, CompletableFuture<Stop> stop, CompletableFuture<Void> forced, long start) {
        Process process = started.process();
        ProcessTree tree = started.tree();
        long deadline = timeout == null ? 0 : System.nanoTime() + TimeUnit.NANOSECONDS.convert(timeout);
        ProcessStreams streams = ProcessStreams.start(stage, process, started.input(), prefix, output,
                () -> stop.complete(Stop.SINK_FAILED));
        boolean interrupted = false;
        Stop reason;
        try {
            reason = awaitStop(process, stop, deadline);
        } catch (InterruptedException e) {
            interrupted = true;
            forced.complete(null);
            reason = Stop.CANCELLED;
        }
        int exitCode;
        Outcome outcome;
        if (reason == Stop.EXITED) {
            exitCode = process.exitValue();
            outcome = exitCode == 0 ? Outcome.SUCCEEDED : Outcome.FAILED;
            List<ProcessHandle> left = tree.members();
            if (!left.isEmpty()) {
                LOG.warn("Stage '{}': the command exited with {} but left {} processes running; stopping them",
                        stage, exitCode, left.size());
                tree.stop(gracePeriod, forced);
            }
        } else {
            LOG.debug("Stage '{}': stopping the command's processes ({})", stage, reason);
            tree.stop(gracePeriod, forced);
            exitCode = exitCode(process);
            outcome = reason == Stop.TIMED_OUT ? Outcome.TIMED_OUT : Outcome.CANCELLED;
        }
        streams.awaitEnd();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        RuntimeException failure = streams.failure();
        if (failure != null) {
            // The failure's text stays in the cause: a masking sink's message might quote the line.
            throw new PipewrightException("Stage '" + stage + "': the output sink failed, so the command was"
                    + " stopped and its further output dropped. See the cause.", failure);
        }
        return new Result(outcome, exitCode, Duration.ofNanos(System.nanoTime() - start));
    }

    /**
     * Waits until the root process exits, {@code stop} completes (cancelled, or the sink failed)
     * or the deadline passes ({@code 0}: none). The exit is awaited on the process itself, so this
     * thread wakes as soon as the JDK reaps it; {@code stop} is looked at every 50 ms.
     */
    private Stop awaitStop(Process process, CompletableFuture<Stop> stop, long deadline)
            throws InterruptedException {
        while (true) {
            Stop stopped = stop.getNow(null);
            if (stopped != null) {
                return stopped;
            }
            long wait = EXIT_POLL.toNanos();
            if (timeout != null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return Stop.TIMED_OUT;
                }
                wait = Math.min(wait, left);
            }
            if (process.waitFor(wait, TimeUnit.NANOSECONDS)) {
                return Stop.EXITED;
            }
        }
    }

    private void checkWorkingDirectory() {
        if (!Files.isDirectory(workingDirectory)) {
            String found = Files.exists(workingDirectory) ? "is not a directory" : "does not exist";
            throw new PipewrightException("Stage '" + stage + "' cannot run its command: the working directory "
                    + workingDirectory.toAbsolutePath() + " " + found + ". Create it in an earlier step or fix the"
                    + " path.");
        }
    }

    /**
     * Starts the command with {@code marker} in its environment: without a shell when it is a
     * {@link SimpleCommand} for the default shell and starts, else through the shell.
     */
    private Started start(String marker) {
        if (!configuredShell && DEFAULT_SHELL_IS_BASH) {
            SimpleCommand simple = SimpleCommand.of(script, environment, workingDirectory, JVM_PATH);
            if (simple != null) {
                Process process = startDirectly(simple, marker);
                if (process != null) {
                    return new Started(process, ProcessTree.descendantsOf(process, marker), NO_INPUT);
                }
            }
        }
        Process process = startShell(marker);
        ProcessTree tree = SETSID != null
                ? ProcessTree.sessionOf(process, marker)
                : ProcessTree.descendantsOf(process, marker);
        return new Started(process, tree, ("{ :; " + script + "\n}\n").getBytes(StandardCharsets.UTF_8));
    }

    /** The process of {@code command}, or {@code null} if it did not start: then the shell runs it. */
    private @Nullable Process startDirectly(SimpleCommand command, String marker) {
        ProcessBuilder pb = new ProcessBuilder(command.argv()).directory(workingDirectory.toFile())
                .redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.clear();
        env.putAll(command.environment());
        env.put(ProcessTree.MARKER_VARIABLE, marker);
        if (LOG.isDebugEnabled()) {
            LOG.debug("Stage '{}': running {} ({}) without a shell in {} with variables {}", stage, command.argv(),
                    command.program(), workingDirectory, env.keySet());
        }
        try {
            return pb.start();
        } catch (IOException e) {
            LOG.debug("Stage '{}': cannot start {} directly ({}); running the script through the shell", stage,
                    command.program(), e.toString());
            return null;
        }
    }

    private Process startShell(String marker) {
        List<String> argv = new ArrayList<>();
        if (SETSID != null) {
            argv.add(SETSID);
        }
        argv.add(shellProgram());
        argv.addAll(shell.subList(1, shell.size()));
        ProcessBuilder pb = new ProcessBuilder(argv).directory(workingDirectory.toFile()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.clear();
        env.putAll(environment);
        env.put(ProcessTree.MARKER_VARIABLE, marker);
        LOG.debug("Stage '{}': running {} in {} with variables {}", stage, argv, workingDirectory, env.keySet());
        try {
            return pb.start();
        } catch (IOException e) {
            throw new PipewrightException("Stage '" + stage + "' cannot start its shell " + String.join(" ", shell)
                    + ": " + e.getMessage() + ". Install it or configure another shell.", e);
        }
    }

    /**
     * The shell's program as a path, checked here because {@code setsid} would otherwise be what
     * starts, and its failure to run the shell would read like the script's.
     */
    private String shellProgram() {
        String program = shell.get(0);
        String problem;
        if (program.indexOf('/') < 0) {
            String found = onPath(program);
            if (found != null) {
                return found;
            }
            problem = program + " is not on this JVM's PATH";
        } else {
            Path path = workingDirectory.resolve(program);
            if (Files.isRegularFile(path) && Files.isExecutable(path)) {
                return program;
            }
            problem = path + (Files.exists(path) ? " is not an executable file" : " does not exist");
        }
        throw new PipewrightException("Stage '" + stage + "' cannot start its shell " + String.join(" ", shell)
                + ": " + problem + ". Install it or configure another shell.");
    }

    /** The exit status of a stopped process, waiting for it two seconds at most. Keeps an interrupt. */
    private static int exitCode(Process process) {
        long deadline = System.nanoTime() + EXIT_STATUS_WAIT.toNanos();
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)
                            ? process.exitValue()
                            : Result.NO_EXIT_CODE;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static boolean isBash(List<String> shell) {
        return shell.get(0).endsWith("/bash");
    }

    private static List<String> defaultShell() {
        String bash = onPath("bash");
        return bash != null ? List.of(bash, "-eo", "pipefail", "-s") : List.of("/bin/sh", "-e", "-s");
    }

    /** The first executable {@code name} on this JVM's PATH, or in the usual places without one. */
    private static @Nullable String onPath(String name) {
        String path = System.getenv("PATH");
        List<String> dirs = path != null ? List.of(path.split(File.pathSeparator)) : SEARCH_WITHOUT_PATH;
        for (String dir : dirs) {
            if (dir.isEmpty()) {
                continue; // an empty entry means the current directory: never trust it for a shell
            }
            try {
                Path candidate = Path.of(dir, name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return candidate.toString();
                }
            } catch (InvalidPathException e) {
                // not a directory name; skip it as the shell would
            }
        }
        return null;
    }

    private enum Stop { EXITED, TIMED_OUT, CANCELLED, SINK_FAILED }

    /** A started command: its root process, its tree, and what goes to its standard input. */
    private record Started(Process process, ProcessTree tree, byte[] input) {}

    /** How a command ended. */
    enum Outcome {
        /** It exited with status 0. */
        SUCCEEDED,
        /** It exited with another status. */
        FAILED,
        /** It ran past its timeout and was stopped. */
        TIMED_OUT,
        /** It was cancelled, and stopped if it had started. */
        CANCELLED
    }

    /**
     * How a run ended: the outcome, the root process's exit status (the shell's, or the program's
     * run without it) and how long the run took, from start until its tree was gone and its
     * output delivered.
     *
     * @param outcome how it ended
     * @param exitCode the root process's exit status, 128 plus the signal number if a signal
     *     ended it, or {@link #NO_EXIT_CODE} if it never started or did not end
     * @param duration how long it ran, zero if it never started
     */
    record Result(Outcome outcome, int exitCode, Duration duration) {
        /** The exit code of a command that never started, or did not end even after KILL. */
        static final int NO_EXIT_CODE = -1;

        Result {
            checkNotNull(outcome, "outcome");
            checkNotNull(duration, "duration");
            checkArgument(!duration.isNegative(), "duration must not be negative but was %s", duration);
        }
    }

    /**
     * Builds a {@link ShellCommand}; {@link #build()} checks it. Not thread-safe.
     */
    static final class Builder {
        private final String stage;
        private final String script;
        private List<String> shell = DEFAULT_SHELL;
        private boolean configuredShell;
        private @Nullable Path workingDirectory;
        private Map<String, String> environment = Map.of();
        private @Nullable Consumer<String> output;
        private @Nullable String prefix;
        private @Nullable Duration timeout;
        private Duration gracePeriod = DEFAULT_GRACE;
        private Cancellation cancellation = Cancellation.create();

        private Builder(String stage, String script) {
            checkNotNull(stage, "stage");
            checkArgument(!stage.isBlank(), "stage must not be blank");
            this.stage = stage;
            this.script = checkNotNull(script, "script");
        }

        /**
         * The shell, such as {@code /bin/zsh -e}: words split at whitespace, run as they are, the
         * script on standard input; see the class comment.
         *
         * @throws IllegalArgumentException if blank or ending in {@code -c}
         */
        @CanIgnoreReturnValue
        Builder shell(String shell) {
            checkNotNull(shell, "shell");
            checkArgument(!shell.isBlank(), "shell must not be blank");
            List<String> words = List.of(shell.strip().split("\\s+"));
            checkArgument(!words.get(words.size() - 1).equals("-c"),
                    "shell '%s' ends with -c, but the script goes to the shell's standard input, never into its"
                            + " arguments (which every user can see). Remove -c.", shell);
            this.shell = words;
            this.configuredShell = true;
            return this;
        }

        /** The directory to run in; required, and must exist when the command runs. */
        @CanIgnoreReturnValue
        Builder workingDirectory(Path directory) {
            this.workingDirectory = checkNotNull(directory, "directory");
            return this;
        }

        /**
         * The child's whole environment, nothing else inherited; replaces. Empty by default.
         *
         * @throws IllegalArgumentException if a name is empty or holds {@code =} or NUL, or a value
         *     holds NUL
         */
        @CanIgnoreReturnValue
        Builder environment(Map<String, String> environment) {
            checkNotNull(environment, "environment");
            environment.forEach((k, v) -> {
                checkArgument(k != null && !k.isEmpty() && k.indexOf('=') < 0 && k.indexOf('\0') < 0,
                        "environment variable name '%s' must be non-empty, without '=' or NUL", k);
                checkArgument(v != null && v.indexOf('\0') < 0,
                        "environment variable %s must have a value without NUL", k);
            });
            this.environment = ImmutableMap.copyOf(environment);
            return this;
        }

        /** Where output lines go; required. Called on the command's output thread. */
        @CanIgnoreReturnValue
        Builder output(Consumer<String> sink) {
            this.output = checkNotNull(sink, "sink");
            return this;
        }

        /** What goes before each output line; {@code [<stage>] } by default. */
        @CanIgnoreReturnValue
        Builder prefix(String prefix) {
            this.prefix = checkNotNull(prefix, "prefix");
            return this;
        }

        /**
         * How long the command may run before it is stopped; positive. No limit by default.
         *
         * @throws IllegalArgumentException if not positive
         */
        @CanIgnoreReturnValue
        Builder timeout(Duration timeout) {
            checkNotNull(timeout, "timeout");
            checkArgument(!timeout.isNegative() && !timeout.isZero(), "timeout must be positive but was %s",
                    timeout);
            this.timeout = timeout;
            return this;
        }

        /**
         * How long processes may take to exit after TERM before they get KILL; zero or more, 5 s by
         * default.
         *
         * @throws IllegalArgumentException if negative
         */
        @CanIgnoreReturnValue
        Builder gracePeriod(Duration grace) {
            checkNotNull(grace, "grace");
            checkArgument(!grace.isNegative(), "grace period must not be negative but was %s", grace);
            this.gracePeriod = grace;
            return this;
        }

        /** The cancellation the runner triggers; by default one nobody can trigger. */
        @CanIgnoreReturnValue
        Builder cancellation(Cancellation cancellation) {
            this.cancellation = checkNotNull(cancellation, "cancellation");
            return this;
        }

        /**
         * The command.
         *
         * @throws IllegalStateException if the working directory or the output sink is missing
         */
        ShellCommand build() {
            checkState(workingDirectory != null, "a working directory is required");
            checkState(output != null, "an output sink is required");
            return new ShellCommand(this, workingDirectory, output);
        }
    }
}
