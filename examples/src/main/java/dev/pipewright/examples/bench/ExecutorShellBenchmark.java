package dev.pipewright.examples.bench;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import dev.pipewright.Pipeline;
import dev.pipewright.run.LocalRunner;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code executor-shell}: the local runner against GNU make on the same work. Runs 500 shell
 * stages whose command is {@code true}, in a random graph ({@link StageGraph}), two at a time,
 * with {@link LocalRunner} and with {@code make -j2} on a Makefile of the same graph (each stage a
 * phony target whose recipe is {@code true}, its needs its prerequisites), alternately, round
 * after round. Reports the median ratio of the wall times and each one's median.
 *
 * <p>It measures the runner in its steady state, as JMH would: 40 untimed rounds, and at least
 * 10 s, come first. The runner's time per round keeps falling until about its 30th round (15,000
 * stages) while the JIT compiles the code a stage runs through: its rounds 1 to 10 took 1.2 times
 * as long as in its steady state, rounds 11 to 20 1.1 times. A one-off command-line run of a few
 * stages is that much slower per stage.
 *
 * <p>The runner starts every command the way it starts any shell step of the default shell:
 * {@code true} is a simple command, so, like make, it runs without a shell (see
 * {@code ShellCommand} and {@code SimpleCommand}): the program started directly with what bash
 * would have given it, its output read line by line, its process tree checked for leftovers
 * when it exits (a scan of the few processes created since, by the marker variable every process
 * of a command inherits). {@link dev.pipewright.examples.Main} has the JDK start processes with
 * {@code vfork} as the command line does ({@code Pipewright.configureProcessLaunch()}); without
 * that, on JDK 25 or with another {@code main}, each start costs about twice as much. The first
 * stage also has a Java step that notes the run's temporary folder, to delete it afterwards.
 *
 * <p>A third contender, timed in the same alternation, shows what no executor built on the JDK's
 * process API can beat: the same graph as bare {@link java.util.concurrent.CompletableFuture}s on
 * two threads, each stage only starting {@code true}, reading its output and waiting for it. It is
 * reported against make ({@code jdk-floor-vs-make}) and the runner against it
 * ({@code runner-vs-jdk-floor}).
 *
 * <p>Skipped, with a message, where GNU make is missing.
 */
final class ExecutorShellBenchmark {
    static final String NAME = "executor-shell";
    static final long SEED = 20261128;
    static final int CONCURRENCY = 2;
    /** {@code true} on this JVM's PATH, as the runner finds it. */
    private static final String TRUE = onPath("true");

    private ExecutorShellBenchmark() {
    }

    /**
     * How much to run.
     *
     * @param stages the graph's stages
     * @param warmups untimed rounds first
     * @param warmupAtLeast how long the untimed rounds last at least
     * @param rounds timed rounds
     */
    record Size(int stages, int warmups, Duration warmupAtLeast, int rounds) {
        static final Size FULL = new Size(500, 40, Duration.ofSeconds(10), 15);
        static final Size SMOKE = new Size(10, 0, Duration.ZERO, 1);

        Size {
            checkArgument(stages >= 1, "stages must be positive but was %s", stages);
            checkArgument(warmups >= 0, "warmups must not be negative but was %s", warmups);
            checkArgument(!warmupAtLeast.isNegative(), "warmupAtLeast must not be negative but was %s",
                    warmupAtLeast);
            checkArgument(rounds >= 1, "rounds must be positive but was %s", rounds);
        }
    }

    /**
     * Runs the benchmark with {@code make} as the make command; without GNU make, writes why it
     * was skipped to {@code err} and returns nothing.
     */
    static Optional<Report> run(Size size, String make, PrintWriter err) {
        checkNotNull(make, "make");
        Optional<String> missing = missing(make);
        if (missing.isPresent()) {
            err.println(NAME + ": skipped: " + missing.get() + " It compares the runner with GNU make; install"
                    + " make (Debian and Ubuntu: apt-get install make) to run it.");
            return Optional.empty();
        }
        StageGraph graph = StageGraph.random(size.stages(), SEED);
        Queue<Path> runFolders = new ConcurrentLinkedQueue<>();
        LongAdder noted = new LongAdder();
        try (Scratch scratch = Scratch.create("pipewright-bench-")) {
            Path makefile = scratch.folder().resolve("Makefile");
            write(makefile, makefile(graph));
            Pipeline pipeline = graph.pipeline(NAME, (i, s) -> {
                if (i == 0) {
                    s.java("note-run-folder", ExecutorOverheadBenchmark.notingRunFolder(runFolders,
                            c -> noted.increment()));
                }
                s.run("true");
            });
            LocalRunner runner = ExecutorOverheadBenchmark.runner(scratch.folder()).concurrency(CONCURRENCY).build();
            List<String> command = List.of(make, "-j" + CONCURRENCY, "-s", "-f", makefile.toString(), "all");
            int[][] needs = ExecutorOverheadBenchmark.needs(graph);
            Runnable[] starts = new Runnable[graph.size()];
            Arrays.fill(starts, (Runnable) () -> startTrue(scratch.folder()));
            ExecutorService pool = Executors.newFixedThreadPool(CONCURRENCY);
            List<Harness.Samples> samples;
            try {
                samples = Rounds.run(size.warmups(), size.warmupAtLeast(), size.rounds(), List.of(
                        () -> {
                            noted.reset();
                            ExecutorOverheadBenchmark.check(runner.run(pipeline), noted, 1);
                        },
                        () -> make(command, scratch.folder()),
                        () -> ExecutorOverheadBenchmark.bare(needs, starts, pool)));
            } finally {
                pool.shutdownNow();
            }
            runFolders.forEach(Scratch::delete);
            Harness.Samples local = samples.get(0);
            Harness.Samples made = samples.get(1);
            Harness.Samples floor = samples.get(2);
            double ratio = Rounds.medianRatio(local, made);
            double floorRatio = Rounds.medianRatio(floor, made);
            double overFloor = Rounds.medianRatio(local, floor);
            return Optional.of(new Report(String.format("%s: %d shell stages running 'true', needing %d others in"
                            + " all, %d at once; median of %d alternating rounds after %d warm-up rounds (%.1f s):"
                            + " LocalRunner %.0f ms (%.2f ms a stage), make -j%d %.0f ms (%.2f ms a stage), median"
                            + " ratio %.2fx (goal 1.3x); the JDK's floor, a bare graph that only starts each"
                            + " process, %.0f ms: %.2fx make, the runner %.2fx it", NAME, graph.size(), graph.edges(),
                            CONCURRENCY, local.count(), local.warmups(), local.warmupNanos() / 1e9, local.medianNanos() / 1e6,
                            local.medianNanos() / 1e6 / graph.size(), CONCURRENCY, made.medianNanos() / 1e6,
                            made.medianNanos() / 1e6 / graph.size(), ratio, floor.medianNanos() / 1e6, floorRatio,
                            overFloor),
                    List.of(new Result(NAME, "runner-vs-make", ratio, "x"),
                            new Result(NAME, "runner", local.medianNanos() / 1e6, "ms"),
                            new Result(NAME, "make", made.medianNanos() / 1e6, "ms"),
                            new Result(NAME, "jdk-floor-vs-make", floorRatio, "x"),
                            new Result(NAME, "runner-vs-jdk-floor", overFloor, "x"))));
        }
    }

    /**
     * What the JDK alone costs a stage: starts {@code true} in {@code folder}, as the runner
     * does (its path, output piped, error merged, launched as this JVM launches processes), reads
     * its output and waits for it.
     */
    private static void startTrue(Path folder) {
        try {
            Process p = new ProcessBuilder(TRUE).directory(folder.toFile()).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (p.waitFor() != 0) {
                throw new IllegalStateException(TRUE + " exited with " + p.exitValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + TRUE + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static String onPath(String program) {
        String path = System.getenv("PATH");
        for (String dir : (path == null ? "/usr/bin:/bin" : path).split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return Path.of(dir, program).toString();
            }
        }
        return program;
    }

    /** Why {@code make} cannot serve, if it cannot: not found, or not GNU make. */
    static Optional<String> missing(String make) {
        try {
            Process p = new ProcessBuilder(make, "--version").redirectErrorStream(true).start();
            String version = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0 || !version.startsWith("GNU Make")) {
                p.destroyForcibly();
                return Optional.of("'" + make + " --version' does not report GNU Make.");
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("'" + make + "' cannot be run (" + e.getMessage() + ").");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted while asking '" + make + "' for its version.");
        }
    }

    /** The graph as a Makefile: target {@code all} needs every stage; each stage is phony and runs {@code true}. */
    static String makefile(StageGraph graph) {
        StringBuilder all = new StringBuilder("all:");
        StringBuilder phony = new StringBuilder(".PHONY: all");
        StringBuilder rules = new StringBuilder();
        for (int i = 0; i < graph.size(); i++) {
            String name = StageGraph.name(i);
            all.append(' ').append(name);
            phony.append(' ').append(name);
            rules.append(name).append(':');
            for (int need : graph.needs(i)) {
                rules.append(' ').append(StageGraph.name(need));
            }
            rules.append("\n\ttrue\n");
        }
        return phony + "\n" + all + "\n" + rules;
    }

    private static void make(List<String> command, Path folder) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(folder.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed with exit code " + p.exitValue()
                    + ":\n" + output);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
