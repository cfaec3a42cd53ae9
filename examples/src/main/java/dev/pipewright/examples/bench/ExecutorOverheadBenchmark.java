package dev.pipewright.examples.bench;

import static com.google.common.base.Preconditions.checkArgument;

import dev.pipewright.JavaStep;
import dev.pipewright.Pipeline;
import dev.pipewright.Ref;
import dev.pipewright.run.LocalRunner;
import dev.pipewright.spi.RunResult;
import dev.pipewright.spi.RunStatus;
import dev.pipewright.spi.StepContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * {@code executor-overhead}: what the local runner costs per stage. Runs 10,000 Java stages that
 * do nothing, in a random graph ({@link StageGraph}), with {@link LocalRunner} (no journal, no
 * listeners, one stage per core at once), and the same graph as bare {@link CompletableFuture}s
 * (each stage {@code allOf(needs).thenRunAsync(noop, pool)} on a fixed pool of one thread per
 * core), alternately, round after round. Reports the median ratio of the two and each one's
 * median time per stage.
 *
 * <p>An informational metric follows: the time per stage with a journal, which writes and
 * {@code fsync}s a line before and after each stage. Its rounds run a prefix of the graph (300
 * stages): at several milliseconds per {@code fsync} on common disks, 10,000 stages would take
 * minutes.
 */
final class ExecutorOverheadBenchmark {
    static final String NAME = "executor-overhead";
    /** The graph's seed: every run measures the same graph. */
    static final long SEED = 20261126;

    private ExecutorOverheadBenchmark() {
    }

    /**
     * How much to run.
     *
     * @param stages the graph's stages
     * @param journalStages the stages of the prefix run with a journal
     * @param warmups untimed rounds first
     * @param warmupAtLeast how long they take at least: 30 rounds of a fast runner took under a
     *     second, after which the bare graph still ran a third slower than in the steady state
     * @param rounds timed rounds of the runner and the bare graph
     * @param journalRounds timed rounds with a journal, after one untimed
     */
    record Size(int stages, int journalStages, int warmups, Duration warmupAtLeast, int rounds, int journalRounds) {
        static final Size FULL = new Size(10_000, 300, 30, Duration.ofSeconds(3), 21, 3);
        static final Size SMOKE = new Size(40, 8, 0, Duration.ZERO, 1, 1);

        Size {
            checkArgument(stages >= 1, "stages must be positive but was %s", stages);
            checkArgument(journalStages >= 1 && journalStages <= stages,
                    "journalStages must be 1 to stages (%s) but was %s", stages, journalStages);
            checkArgument(warmups >= 0, "warmups must not be negative but was %s", warmups);
            checkArgument(rounds >= 1 && journalRounds >= 1, "rounds must be positive but were %s and %s", rounds,
                    journalRounds);
        }
    }

    static Report run(Size size) {
        StageGraph graph = StageGraph.random(size.stages(), SEED);
        int threads = Runtime.getRuntime().availableProcessors();
        LongAdder done = new LongAdder();
        Queue<Path> runFolders = new ConcurrentLinkedQueue<>();
        try (Scratch scratch = Scratch.create("pipewright-bench-")) {
            Pipeline pipeline = noops(graph, done, runFolders);
            LocalRunner runner = runner(scratch.folder()).concurrency(threads).build();
            int[][] needs = needs(graph);
            Runnable[] noops = new Runnable[graph.size()];
            Arrays.fill(noops, (Runnable) done::increment);
            List<Harness.Samples> samples = Rounds.run(size.warmups(), size.warmupAtLeast(), size.rounds(), List.of(
                    () -> {
                        done.reset();
                        check(runner.run(pipeline), done, graph.size());
                    },
                    () -> {
                        done.reset();
                        ExecutorService pool = Executors.newFixedThreadPool(threads);
                        try {
                            bare(needs, noops, pool);
                        } finally {
                            pool.shutdown(); // as the runner does with its pools: no waiting for idle threads
                        }
                        check(null, done, graph.size());
                    }));
            Harness.Samples local = samples.get(0);
            Harness.Samples bare = samples.get(1);

            StageGraph prefix = graph.prefix(size.journalStages());
            Pipeline journaled = noops(prefix, done, runFolders);
            LocalRunner journaling = runner(scratch.folder()).concurrency(threads)
                    .journal(scratch.folder().resolve("journal")).build();
            Harness.Samples journal = Rounds.run(1, size.journalRounds(), List.of(() -> {
                done.reset();
                check(journaling.run(journaled), done, prefix.size());
            })).get(0);
            runFolders.forEach(Scratch::delete);

            double ratio = Rounds.medianRatio(local, bare);
            double localMicros = local.medianNanos() / 1e3 / graph.size();
            double bareMicros = bare.medianNanos() / 1e3 / graph.size();
            double journalMicros = journal.medianNanos() / 1e3 / prefix.size();
            return new Report(String.format("%s: %,d no-op Java stages needing %,d others in all, %d at once;"
                            + " median of %d alternating rounds after %d warm-up rounds (%.1f s): LocalRunner %.1f ms"
                            + " (%.2f us a stage), bare CompletableFuture graph %.1f ms (%.2f us a stage), median"
                            + " ratio %.2fx (goals: 2x, 50 us a stage). With a journal, fsync per event: %,d stages in"
                            + " %.0f ms, median of %d.", NAME, graph.size(), graph.edges(), threads, local.count(),
                            local.warmups(), local.warmupNanos() / 1e9, local.medianNanos() / 1e6, localMicros,
                            bare.medianNanos() / 1e6, bareMicros, ratio, prefix.size(), journal.medianNanos() / 1e6,
                            journal.count()),
                    List.of(new Result(NAME, "runner-vs-bare", ratio, "x"),
                            new Result(NAME, "runner-per-stage", localMicros, "us"),
                            new Result(NAME, "bare-per-stage", bareMicros, "us"),
                            new Result(NAME, "journal-per-stage", journalMicros, "us")));
        }
    }

    /** The graph as a pipeline of Java stages that count themselves. */
    private static Pipeline noops(StageGraph graph, LongAdder done, Queue<Path> runFolders) {
        JavaStep.Action noop = c -> done.increment();
        JavaStep.Action first = notingRunFolder(runFolders, noop);
        return graph.pipeline(NAME, (i, s) -> s.java("noop", i == 0 ? first : noop));
    }

    /**
     * {@code action}, after adding the run's folder to {@code runFolders}: a run without a journal
     * leaves an empty temporary folder behind, which the benchmarks delete.
     */
    static JavaStep.Action notingRunFolder(Queue<Path> runFolders, JavaStep.Action action) {
        return c -> {
            runFolders.add(((StepContext) c).runDirectory());
            action.run(c);
        };
    }

    /**
     * A runner of the benchmarks' pipelines: {@code workspace} as workspace and home, nothing
     * inherited but {@code PATH}, no plugins, branch {@code main}.
     */
    static LocalRunner.Builder runner(Path workspace) {
        String path = Objects.requireNonNullElse(System.getenv("PATH"), "/usr/local/bin:/usr/bin:/bin");
        return LocalRunner.builder()
                .workspace(workspace)
                .locks(workspace.resolve("locks"))
                .environment(Map.of("PATH", path, "HOME", workspace.toString()))
                .ref(Ref.branch("main"))
                .discover(false);
    }

    /**
     * The bare graph: stage {@code i} runs {@code work[i]} on {@code pool} once every stage in
     * {@code needs[i]} has; returns when all have.
     */
    static void bare(int[][] needs, Runnable[] work, ExecutorService pool) {
        CompletableFuture<?>[] stages = new CompletableFuture<?>[needs.length];
        for (int i = 0; i < needs.length; i++) {
            CompletableFuture<?>[] before = new CompletableFuture<?>[needs[i].length];
            for (int k = 0; k < before.length; k++) {
                before[k] = stages[needs[i][k]];
            }
            stages[i] = CompletableFuture.allOf(before).thenRunAsync(work[i], pool);
        }
        CompletableFuture.allOf(stages).join();
    }

    /** Each stage's needs, as {@link #bare} takes them. */
    static int[][] needs(StageGraph graph) {
        int[][] needs = new int[graph.size()][];
        for (int i = 0; i < needs.length; i++) {
            needs[i] = graph.needs(i);
        }
        return needs;
    }

    /** Fails the benchmark unless the run succeeded and every stage ran once. */
    static void check(@Nullable RunResult result, LongAdder done, int stages) {
        if (result != null && result.status() != RunStatus.SUCCEEDED) {
            throw new IllegalStateException("a benchmark run ended " + result.status() + ": "
                    + result.message().orElse("no message"));
        }
        if (done.sum() != stages) {
            throw new IllegalStateException("a benchmark run ran " + done.sum() + " stages, not " + stages);
        }
    }
}
