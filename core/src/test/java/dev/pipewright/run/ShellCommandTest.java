package dev.pipewright.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.common.util.concurrent.Uninterruptibles;
import dev.pipewright.PipewrightException;
import dev.pipewright.run.ShellCommand.Outcome;
import dev.pipewright.run.ShellCommand.Result;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs real processes: bash, sleep, cat and friends, as on any Linux CI machine. */
class ShellCommandTest {
    private static final Path PROC = Path.of("/proc");
    private static final Pattern PID = Pattern.compile("\\[test\\] (\\w+) (\\d+)");
    /** Generous: the machine is shared, and a stopped tree is usually gone within milliseconds. */
    private static final Duration PROMPTLY = Duration.ofSeconds(3);

    @TempDir
    Path dir;

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Cancellation cancellation = Cancellation.create();

    @AfterEach
    void noOutputThreadLeft() {
        assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
                .noneMatch(name -> name.startsWith("pipewright-out-"));
    }

    @Test
    void run_echo_succeedsWithPrefixedLine() {
        Result result = run("echo hello");

        assertThat(result.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(result.exitCode()).isZero();
        assertThat(lines).containsExactly("[test] hello");
    }

    @Test
    void run_exitStatus_reportedAsFailed() {
        Result result = run("exit 3");

        assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(result.exitCode()).isEqualTo(3);
    }

    @Test
    void run_failingCommand_endsScript() {
        Result result = run("echo before\nfalse\necho after");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(lines).containsExactly("[test] before");
    }

    @Test
    void run_failingPipelineStage_failsPipeline() {
        Result result = run("false | cat\necho after");

        assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(lines).isEmpty();
    }

    @Test
    void run_stdoutAndStderr_arriveInOrderWithPrefix() {
        run("echo out\necho err >&2\necho out again\nls /no-such-file-here");

        assertThat(lines).hasSize(4);
        assertThat(lines.subList(0, 3)).containsExactly("[test] out", "[test] err", "[test] out again");
        assertThat(lines.get(3)).startsWith("[test] ").contains("/no-such-file-here");
    }

    @Test
    void run_multiLineScript_runsEveryLine() {
        Result result = run("""
                #!/usr/bin/env bash
                greet() {
                  echo "hi $1"
                }
                for name in ann bob; do greet "$name"; done
                cat <<EOF
                  here-doc
                EOF
                printf 'last'""");

        assertThat(result.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(lines).containsExactly("[test] hi ann", "[test] hi bob", "[test]   here-doc", "[test] last");
    }

    @Test
    void run_commentsOnly_succeeds() {
        assertThat(run("# nothing to do yet").outcome()).isEqualTo(Outcome.SUCCEEDED);
    }

    @Test
    void run_commandReadingStdin_seesEndOfInputNotTheScript() {
        Result result = run("cat\nread -r line || echo \"end of input\"\necho after");

        assertThat(result.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(lines).containsExactly("[test] end of input", "[test] after");
    }

    @Test
    void run_syntaxErrorAnywhere_runsNothing() {
        Result result = run("touch started\nif then");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(dir.resolve("started")).doesNotExist();
        assertThat(lines).anyMatch(l -> l.contains("syntax error"));
    }

    @Test
    void run_environment_exactlyTheGivenVariables() {
        Map<String, String> parent = System.getenv();
        assumeTrue(parent.containsKey("HOME"), "HOME is set for this JVM");
        Map<String, String> given = Map.of("PATH", parent.getOrDefault("PATH", "/usr/bin:/bin"),
                "GREETING", "hi there");

        Result result = command("env").environment(given).build().run();

        assertThat(result.outcome()).isEqualTo(Outcome.SUCCEEDED);
        Map<String, String> seen = lines.stream().map(l -> l.substring("[test] ".length()))
                .filter(l -> l.indexOf('=') > 0)
                .collect(Collectors.toMap(l -> l.substring(0, l.indexOf('=')), l -> l.substring(l.indexOf('=') + 1),
                        (a, b) -> b));
        assertThat(seen).containsAllEntriesOf(given);
        assertThat(seen.keySet()).isSubsetOf(union(given.keySet(), List.of("PWD", "OLDPWD", "SHLVL", "_",
                ProcessTree.MARKER_VARIABLE)));
        // Surefire sets AWS_CONFIG_FILE, XDG_CONFIG_HOME and friends for this JVM: none leaks.
        assertThat(seen.keySet()).doesNotContain("HOME", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE");
    }

    @Test
    void run_noEnvironment_stillFindsShellAndLeavesHomeUnset() {
        Result result = ShellCommand.builder("test", "echo \"home=${HOME-unset}\"").workingDirectory(dir)
                .output(lines::add).build().run();

        assertThat(result.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(lines).containsExactly("[test] home=unset");
    }

    @Test
    void run_workingDirectory_isTheShellsDirectory() throws IOException {
        run("pwd -P");

        assertThat(lines).containsExactly("[test] " + dir.toRealPath());
    }

    @Test
    void run_missingWorkingDirectory_errorNamesIt() {
        Path missing = dir.resolve("no-such-dir");

        assertThatThrownBy(() -> ShellCommand.builder("build", "true").workingDirectory(missing).output(lines::add)
                .build().run())
                .isInstanceOf(PipewrightException.class)
                .hasMessageContaining("Stage 'build'")
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("does not exist");
    }

    @Test
    void run_fileAsWorkingDirectory_errorSaysNotADirectory() throws IOException {
        Path file = Files.writeString(dir.resolve("file"), "x");

        assertThatThrownBy(() -> ShellCommand.builder("build", "true").workingDirectory(file).output(lines::add)
                .build().run())
                .isInstanceOf(PipewrightException.class)
                .hasMessageContaining(file.toString() + " is not a directory");
    }

    @Test
    void run_scriptText_notInTheShellsArguments() {
        assumeTrue(Files.exists(PROC.resolve("self/cmdline")), "/proc exists");

        Result result = run("""
                # the-secret-is-hunter2
                tr '\\0' ' ' </proc/$$/cmdline; echo
                tr '\\0' '\\n' </proc/$$/environ | grep -c hunter2 || true""");

        assertThat(result.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).contains("bash").doesNotContain("hunter2");
        assertThat(lines.get(1)).isEqualTo("[test] 0");
    }

    @Test
    void run_timeout_stopsShellChildAndOrphan() {
        assumeSessions();

        Result result = command("""
                sleep 30 & echo "background $!"
                (sleep 30 & echo "orphan $!")
                bash -c 'echo "foreground $$"; exec sleep 30'
                wait""").timeout(Duration.ofSeconds(1)).build().run();

        assertThat(result.outcome()).isEqualTo(Outcome.TIMED_OUT);
        assertThat(result.duration()).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(1).plus(PROMPTLY));
        Map<String, Long> pids = pids();
        assertThat(pids).containsOnlyKeys("background", "orphan", "foreground");
        assertThat(pids.values()).allMatch(ShellCommandTest::gone, "gone");
    }

    @Test
    void run_cancelledFromAnotherThread_stopsWholeTree() throws InterruptedException {
        assumeSessions();
        CountDownLatch ready = new CountDownLatch(1);
        Thread canceller = cancelWhen(ready, () -> {
            cancellation.cancel();
            cancellation.cancel();
        });

        Result result = command("""
                echo "shell $$"
                sleep 30 & echo "background $!"
                (sleep 30 & echo "orphan $!")
                echo ready
                sleep 30""").output(signalOn("ready", ready)).build().run();

        canceller.join();
        assertThat(result.outcome()).isEqualTo(Outcome.CANCELLED);
        assertThat(result.exitCode()).isEqualTo(128 + 15);
        assertThat(result.duration()).isLessThan(PROMPTLY);
        assertThat(pids()).containsOnlyKeys("shell", "background", "orphan");
        assertThat(pids().values()).allMatch(ShellCommandTest::gone, "gone");
    }

    @Test
    void run_processIgnoringTerm_killedAfterGracePeriod() throws InterruptedException {
        CountDownLatch ready = new CountDownLatch(1);
        Thread canceller = cancelWhen(ready, cancellation::cancel);
        Duration grace = Duration.ofMillis(300);

        Result result = command("""
                trap '' TERM
                sleep 30 & echo "child $!"
                echo ready
                wait""").gracePeriod(grace).output(signalOn("ready", ready)).build().run();

        canceller.join();
        assertThat(result.outcome()).isEqualTo(Outcome.CANCELLED);
        assertThat(result.exitCode()).isEqualTo(128 + 9);
        assertThat(result.duration()).isBetween(grace, grace.plus(PROMPTLY));
        assertThat(pids().values()).singleElement().matches(ShellCommandTest::gone, "gone");
    }

    @Test
    void run_cancelNow_skipsGracePeriod() throws InterruptedException {
        CountDownLatch ready = new CountDownLatch(1);
        Thread canceller = cancelWhen(ready, () -> {
            cancellation.cancel();
            cancellation.cancelNow();
        });

        Result result = command("trap '' TERM\necho ready\nsleep 30").gracePeriod(Duration.ofMinutes(1))
                .output(signalOn("ready", ready)).build().run();

        canceller.join();
        assertThat(result.outcome()).isEqualTo(Outcome.CANCELLED);
        assertThat(result.duration()).isLessThan(PROMPTLY);
    }

    @Test
    void run_interrupted_cancelsAtOnceAndKeepsInterrupt() throws InterruptedException {
        CountDownLatch ready = new CountDownLatch(1);
        Thread caller = Thread.currentThread();
        Thread interrupter = cancelWhen(ready, caller::interrupt);

        Result result = command("trap '' TERM\necho ready\nsleep 30").gracePeriod(Duration.ofMinutes(1))
                .output(signalOn("ready", ready)).build().run();

        boolean interrupted = Thread.interrupted();
        interrupter.join();
        assertThat(interrupted).isTrue();
        assertThat(result.outcome()).isEqualTo(Outcome.CANCELLED);
        assertThat(result.duration()).isLessThan(PROMPTLY);
    }

    @Test
    void run_cancelledBeforeStart_startsNothing() {
        cancellation.cancel();

        Result result = run("touch started");

        assertThat(result).isEqualTo(new Result(Outcome.CANCELLED, Result.NO_EXIT_CODE, Duration.ZERO));
        assertThat(dir.resolve("started")).doesNotExist();
        assertThat(lines).isEmpty();
    }

    @Test
    void run_backgroundProcessLeftRunning_stoppedWhenShellExits() {
        assumeSessions();

        Result result = run("sleep 30 >/dev/null 2>&1 & echo \"background $!\"");

        assertThat(result.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(result.duration()).isLessThan(PROMPTLY);
        assertThat(pids().values()).singleElement().matches(ShellCommandTest::gone, "gone");
    }

    @Test
    void run_hugeLine_cutIntoMarkedPieces() {
        int size = 200_000;

        Result result = run("head -c " + size + " /dev/zero | tr '\\0' a; echo; echo next");

        assertThat(result.outcome()).isEqualTo(Outcome.SUCCEEDED);
        int max = OutputLines.MAX_LINE_BYTES;
        assertThat(lines).hasSize(size / max + 2);
        assertThat(lines.get(0)).isEqualTo("[test] " + "a".repeat(max));
        assertThat(lines.subList(1, lines.size() - 1)).allMatch(l -> l.startsWith("[test] " + OutputLines.CONTINUED));
        assertThat(lines.subList(0, lines.size() - 1).stream()
                .map(l -> l.replace("[test] ", "").replace(OutputLines.CONTINUED, ""))
                .collect(Collectors.joining())).isEqualTo("a".repeat(size));
        assertThat(lines.get(lines.size() - 1)).isEqualTo("[test] next");
    }

    @Test
    void run_invalidUtf8AndBinary_replacedNotRejected() {
        Result result = run("printf 'ok \\377\\376 end\\n'; printf 'nul\\0byte\\n'; printf 'caf\\303\\251\\r\\n'");

        assertThat(result.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(lines).containsExactly("[test] ok \uFFFD\uFFFD end", "[test] nul\0byte", "[test] café");
    }

    @Test
    void run_lastLineWithoutNewline_delivered() {
        run("printf 'first\\nno newline'");

        assertThat(lines).containsExactly("[test] first", "[test] no newline");
    }

    @Test
    void run_customPrefix_usedForEveryLine() {
        command("echo a; echo b >&2").prefix("deploy | ").build().run();

        assertThat(lines).containsExactly("deploy | a", "deploy | b");
    }

    @Test
    void run_configuredShell_runsAsWrittenWithScriptOnStdin() {
        Result strict = command("false\necho after").shell("/bin/sh -e").build().run();
        Result lenient = command("false\necho after").shell("bash").build().run();

        assertThat(strict.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(lenient.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(lines).containsExactly("[test] after");
    }

    @Test
    void shell_endingInDashC_rejected() {
        assertThatThrownBy(() -> ShellCommand.builder("test", "true").shell("/bin/bash -eo pipefail -c"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("standard input")
                .hasMessageContaining("Remove -c");
    }

    @Test
    void shell_default_isBashWithErrexitAndPipefail() {
        List<String> shell = ShellCommand.builder("test", "true").workingDirectory(dir).output(lines::add).build()
                .shell();

        assertThat(shell.get(0)).endsWith("/bash");
        assertThat(shell.subList(1, shell.size())).containsExactly("-eo", "pipefail", "-s");
    }

    @Test
    void run_missingShell_errorNamesIt() {
        assertThatThrownBy(() -> command("true").shell("/no/such/shell -e").build().run())
                .isInstanceOf(PipewrightException.class)
                .hasMessageContaining("Stage 'test' cannot start its shell /no/such/shell -e:")
                .hasMessageContaining("/no/such/shell does not exist");
        assertThatThrownBy(() -> command("true").shell("no-such-shell -e").build().run())
                .isInstanceOf(PipewrightException.class)
                .hasMessageContaining("no-such-shell is not on this JVM's PATH");
    }

    @Test
    void run_sinkThrows_commandStoppedAndFailureRethrown() {
        IllegalStateException broken = new IllegalStateException("console closed");
        Consumer<String> sink = line -> {
            throw broken;
        };

        long start = System.nanoTime();
        assertThatThrownBy(() -> command("echo one\nsleep 30").output(sink).build().run())
                .isInstanceOf(PipewrightException.class)
                .hasMessageContaining("Stage 'test'")
                .hasCause(broken);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(PROMPTLY);
    }

    @Test
    void run_twice_runsTwice() {
        ShellCommand once = command("echo run").build();

        assertThat(once.run().outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(once.run().outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(lines).containsExactly("[test] run", "[test] run");
    }

    // Simple commands run without a shell: same output, exit code, environment and directory.

    @Test
    void run_simpleCommand_runsWithoutShell() throws IOException {
        script("parent.sh", "#!/bin/sh\necho \"parent $PPID\"\n");

        Result direct = run("./parent.sh");
        Result shelled = command("./parent.sh").shell("bash -e").build().run();

        assertThat(direct.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(shelled.outcome()).isEqualTo(Outcome.SUCCEEDED);
        long jvm = ProcessHandle.current().pid();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).isEqualTo("[test] parent " + jvm);
        assertThat(lines.get(1)).isNotEqualTo("[test] parent " + jvm); // a configured shell is always used
    }

    @Test
    void run_simpleCommand_environmentAsUnderTheShell() {
        assertSameEnvironment(Map.of());
    }

    @Test
    void run_simpleCommand_environmentAsUnderTheShell_withInheritedShellVariables() throws IOException {
        Path sub = Files.createDirectories(dir.resolve("sub"));
        assertSameEnvironment(Map.of("PWD", dir + "/", "OLDPWD", sub.toString(), "SHLVL", "3", "_", "/old",
                "EMPTY", "", "ODD-NAME", "x", "LANG", "xx_YY.UTF-8"));
        lines.clear();
        assertSameEnvironment(Map.of("PWD", sub.toString(), "OLDPWD", "/no/such/dir", "SHLVL", ""));
    }

    @Test
    void run_simpleCommand_sameOutputExitCodeAndDirectoryAsUnderTheShell() throws IOException {
        script("seven.sh", "#!/bin/sh\necho \"out $1\"; echo \"err $2\" >&2; exit 7\n");
        script("killed.sh", "#!/bin/sh\nkill -KILL $$\n");
        assertSame("echo hello   world", "echo hello world | cat");
        assertSame("false", "false | cat");
        assertSame("./seven.sh a b", "./seven.sh a b 2>&1 | cat");
        assertSame("readlink /proc/self/cwd", "readlink /proc/self/cwd | cat");
        assertThat(run("./killed.sh").exitCode()).isEqualTo(128 + 9).isEqualTo(run("(./killed.sh)").exitCode());
    }

    @Test
    void run_programNotFound_bashReportsIt() {
        Result result = run("no-such-program-here --flag");

        assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(result.exitCode()).isEqualTo(127);
        assertThat(lines).singleElement().asString().contains("no-such-program-here: command not found");
    }

    @Test
    void run_fileWithoutShebang_runByBashAsUnderTheShell() throws IOException {
        script("plain.sh", "echo \"bash ${BASH_VERSION:+yes}\"\n");

        Result result = run("./plain.sh");

        assertThat(result.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(lines).containsExactly("[test] bash yes");
    }

    @Test
    void run_simpleCommandLeavingAnOrphan_orphanStoppedWhenItExits() throws IOException {
        script("leaves-orphan.sh", "#!/bin/sh\nsleep 60 &\necho \"orphan $!\"\n");

        Result result = run("./leaves-orphan.sh");

        assertThat(result.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(result.duration()).isLessThan(PROMPTLY);
        assertThat(pids()).containsOnlyKeys("orphan");
        assertThat(pids().values()).allMatch(ShellCommandTest::gone, "gone");
    }

    @Test
    void run_simpleCommandLeavingAQuietOrphan_orphanStoppedWhenItExits() throws IOException {
        script("leaves-orphan.sh", "#!/bin/sh\nsleep 60 >/dev/null 2>&1 &\necho \"orphan $!\"\n");

        Result result = run("./leaves-orphan.sh");

        assertThat(result.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(pids().values()).singleElement().matches(ShellCommandTest::gone, "gone");
    }

    @Test
    void run_cancelledSimpleCommand_stoppedWithinGracePeriod() throws InterruptedException {
        Thread canceller = new Thread(() -> {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline && sleepChild().isEmpty()) {
                Uninterruptibles.sleepUninterruptibly(5, TimeUnit.MILLISECONDS);
            }
            cancellation.cancel();
        }, "test-canceller");
        canceller.start();

        Result result = command("sleep 60").gracePeriod(Duration.ofMinutes(1)).build().run();

        canceller.join();
        assertThat(result.outcome()).isEqualTo(Outcome.CANCELLED);
        assertThat(result.exitCode()).isEqualTo(128 + 15);
        assertThat(result.duration()).isLessThan(PROMPTLY);
        assertThat(sleepChild()).isEmpty();
    }

    @Test
    void run_simpleCommandPastItsTimeout_stopped() {
        Result result = command("sleep 60").timeout(Duration.ofMillis(300)).build().run();

        assertThat(result.outcome()).isEqualTo(Outcome.TIMED_OUT);
        assertThat(result.exitCode()).isEqualTo(128 + 15);
        assertThat(result.duration()).isLessThan(Duration.ofMillis(300).plus(PROMPTLY));
    }

    @Test
    void run_marker_sameForEveryProcessOfARunAndNewForEachRun() {
        command("env\nenv | cat").environment(Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"),
                ProcessTree.MARKER_VARIABLE, "inherited")).build().run();
        run("env");

        List<String> markers = lines.stream().filter(l -> l.startsWith("[test] " + ProcessTree.MARKER_VARIABLE + "="))
                .toList();
        assertThat(markers).hasSize(3);
        assertThat(markers.get(0)).isEqualTo(markers.get(1)).isNotEqualTo(markers.get(2))
                .doesNotContain("inherited");
    }

    private Result run(String script) {
        return command(script).build().run();
    }

    private ShellCommand.Builder command(String script) {
        return ShellCommand.builder("test", script).workingDirectory(dir)
                .environment(Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin")))
                .output(lines::add).cancellation(cancellation);
    }

    /**
     * Runs {@code env} without a shell and {@code env | cat} through it, with {@code extra} over
     * the usual environment: the same variables, the same values but for {@code _}.
     */
    private void assertSameEnvironment(Map<String, String> extra) {
        Map<String, String> given = new HashMap<>(extra);
        given.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        ShellCommand direct = command("env").environment(given).build();
        ShellCommand shelled = command("env | cat").environment(given).build();
        assertThat(direct.run().outcome()).isEqualTo(Outcome.SUCCEEDED);
        Map<String, String> fast = variables();
        lines.clear();
        assertThat(shelled.run().outcome()).isEqualTo(Outcome.SUCCEEDED);
        Map<String, String> slow = variables();

        assertThat(fast.keySet()).containsExactlyInAnyOrderElementsOf(slow.keySet());
        fast.keySet().removeAll(List.of("_", ProcessTree.MARKER_VARIABLE));
        slow.keySet().removeAll(List.of("_", ProcessTree.MARKER_VARIABLE));
        assertThat(fast).isEqualTo(slow);
    }

    /** {@code env}'s output lines as variables. */
    private Map<String, String> variables() {
        return lines.stream().map(l -> l.substring("[test] ".length())).filter(l -> l.indexOf('=') > 0)
                .collect(Collectors.toMap(l -> l.substring(0, l.indexOf('=')), l -> l.substring(l.indexOf('=') + 1),
                        (a, b) -> b, HashMap::new));
    }

    /** Runs {@code direct}, then {@code shelled}: same outcome, exit code and output. */
    private void assertSame(String direct, String shelled) {
        lines.clear();
        Result fast = run(direct);
        List<String> fastLines = List.copyOf(lines);
        lines.clear();
        Result slow = run(shelled);

        assertThat(fast.outcome()).as(direct).isEqualTo(slow.outcome());
        assertThat(fast.exitCode()).as(direct).isEqualTo(slow.exitCode());
        assertThat(fastLines).as(direct).isEqualTo(lines);
    }

    /** The JVM's child running {@code sleep 60}, if any. */
    private static Optional<ProcessHandle> sleepChild() {
        return ProcessHandle.current().children().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().orElse("").endsWith("/sleep")
                        && List.of(p.info().arguments().orElse(new String[0])).equals(List.of("60")))
                .findFirst();
    }

    private void script(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** Collects lines, and opens {@code latch} once {@code marker} was printed. */
    private Consumer<String> signalOn(String marker, CountDownLatch latch) {
        return line -> {
            lines.add(line);
            if (line.equals("[test] " + marker)) {
                latch.countDown();
            }
        };
    }

    private static Thread cancelWhen(CountDownLatch ready, Runnable action) {
        Thread t = new Thread(() -> {
            try {
                if (ready.await(10, TimeUnit.SECONDS)) {
                    action.run();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "test-canceller");
        t.start();
        return t;
    }

    /** The pids the script printed as {@code <name> <pid>} lines. */
    private Map<String, Long> pids() {
        Map<String, Long> pids = new HashMap<>();
        for (String line : lines) {
            Matcher m = PID.matcher(line);
            if (m.matches()) {
                pids.put(m.group(1), Long.parseLong(m.group(2)));
            }
        }
        return pids;
    }

    /** Whether the process has exited; a zombie has, it only waits for a parent to reap it. */
    static boolean gone(long pid) {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !handle.get().isAlive()) {
            return true;
        }
        try {
            String stat = Files.readString(PROC.resolve(pid + "/stat"), StandardCharsets.ISO_8859_1);
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException e) {
            return true;
        }
    }

    private static void assumeSessions() {
        assumeTrue(Files.exists(PROC.resolve("self/stat")), "/proc exists");
        assumeTrue(Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(d -> !d.isEmpty() && Files.isExecutable(Path.of(d, "setsid"))), "setsid is on the PATH");
    }

    private static List<String> union(java.util.Collection<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
