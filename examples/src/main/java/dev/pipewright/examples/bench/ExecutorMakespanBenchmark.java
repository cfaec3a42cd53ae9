package dev.pipewright.examples.bench;

import static com.google.common.base.Preconditions.checkArgument;

import dev.pipewright.JavaStep;
import dev.pipewright.Pipeline;
import dev.pipewright.run.LocalRunner;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code executor-makespan}: how close the local runner comes to the best possible schedule.
 * Runs 200 Java stages that sleep 10 to 50 ms each (drawn with a fixed seed) in a random graph
 * ({@link StageGraph}) with no bound on how many run at once; the best any scheduler can do is
 * the graph's critical path, the longest path of sleeps. Reports the median of the makespan
 * divided by the critical path over several runs.
 *
 * <p>An informational metric follows: the same ratio for the graph as bare {@link
 * java.util.concurrent.CompletableFuture}s on an unbounded pool, run alternately with the
 * runner. Neither can beat the critical path; how far the bare graph stays above it is what the
 * machine (timer slack, a busy scheduler) costs, not the runner.
 */
final class ExecutorMakespanBenchmark {
    static final String NAME = "executor-makespan";
    static final long SEED = 20261127;
    static final int MIN_SLEEP_MILLIS = 10;
    static final int MAX_SLEEP_MILLIS = 50;

    private ExecutorMakespanBenchmark() {
    }

    /**
     * How much to run.
     *
     * @param stages the graph's stages
     * @param warmups untimed runs first
     * @param rounds timed runs
     */
    record Size(int stages, int warmups, int rounds) {
        static final Size FULL = new Size(200, 2, 7);
        static final Size SMOKE = new Size(12, 0, 1);

        Size {
            checkArgument(stages >= 1, "stages must be positive but was %s", stages);
            checkArgument(warmups >= 0, "warmups must not be negative but was %s", warmups);
            checkArgument(rounds >= 1, "rounds must be positive but was %s", rounds);
        }
    }

    /** Each stage's sleep in milliseconds, 10 to 50, drawn with {@link #SEED}. */
    static int[] sleeps(int stages) {
        Random random = new Random(SEED);
        int[] sleeps = new int[stages];
        for (int i = 0; i < stages; i++) {
            sleeps[i] = MIN_SLEEP_MILLIS + random.nextInt(MAX_SLEEP_MILLIS - MIN_SLEEP_MILLIS + 1);
        }
        return sleeps;
    }

    private static void sleepUninterruptibly(int millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sleeping in a stage", e);
        }
    }

    static Report run(Size size) {
        StageGraph graph = StageGraph.random(size.stages(), SEED);
        int[] sleeps = sleeps(graph.size());
        double[] weights = new double[sleeps.length];
        for (int i = 0; i < sleeps.length; i++) {
            weights[i] = sleeps[i];
        }
        double criticalMillis = graph.longestPath(weights);
        LongAdder done = new LongAdder();
        Queue<Path> runFolders = new ConcurrentLinkedQueue<>();
        try (Scratch scratch = Scratch.create("pipewright-bench-")) {
            Pipeline pipeline = graph.pipeline(NAME, (i, s) -> {
                JavaStep.Action sleep = c -> {
                    Thread.sleep(sleeps[i]);
                    done.increment();
                };
                s.java("sleep", i == 0 ? ExecutorOverheadBenchmark.notingRunFolder(runFolders, sleep) : sleep);
            });
            LocalRunner runner = ExecutorOverheadBenchmark.runner(scratch.folder())
                    .concurrency(Integer.MAX_VALUE).build();
            int[][] needs = ExecutorOverheadBenchmark.needs(graph);
            Runnable[] work = new Runnable[graph.size()];
            for (int i = 0; i < work.length; i++) {
                int millis = sleeps[i];
                work[i] = () -> {
                    sleepUninterruptibly(millis);
                    done.increment();
                };
            }
            List<Harness.Samples> samples = Rounds.run(size.warmups(), size.rounds(), List.of(
                    () -> {
                        done.reset();
                        ExecutorOverheadBenchmark.check(runner.run(pipeline), done, graph.size());
                    },
                    () -> {
                        done.reset();
                        ExecutorService pool = Executors.newCachedThreadPool();
                        try {
                            ExecutorOverheadBenchmark.bare(needs, work, pool);
                        } finally {
                            pool.shutdown();
                        }
                        ExecutorOverheadBenchmark.check(null, done, graph.size());
                    }));
            runFolders.forEach(Scratch::delete);
            Harness.Samples makespans = samples.get(0);
            Harness.Samples bare = samples.get(1);
            double makespanMillis = makespans.medianNanos() / 1e6;
            double ratio = makespanMillis / criticalMillis;
            double bareRatio = bare.medianNanos() / 1e6 / criticalMillis;
            return new Report(String.format("%s: %d stages sleeping %d to %d ms (%,d ms in all) in a random graph,"
                            + " no bound on stages at once; critical path %.0f ms; median makespan of %d runs"
                            + " %.1f ms (min %.1f, max %.1f) after %d warm-up runs: %.3fx (goal 1.05x). The same"
                            + " graph as bare CompletableFutures on an unbounded pool, alternating with the runner:"
                            + " %.1f ms, %.3fx.", NAME, graph.size(), MIN_SLEEP_MILLIS, MAX_SLEEP_MILLIS,
                            Arrays.stream(sleeps).sum(), criticalMillis, makespans.count(), makespanMillis,
                            makespans.minNanos() / 1e6, makespans.maxNanos() / 1e6, size.warmups(), ratio,
                            bare.medianNanos() / 1e6, bareRatio),
                    List.of(new Result(NAME, "makespan-vs-critical-path", ratio, "x"),
                            new Result(NAME, "makespan", makespanMillis, "ms"),
                            new Result(NAME, "critical-path", criticalMillis, "ms"),
                            new Result(NAME, "bare-makespan-vs-critical-path", bareRatio, "x")));
        }
    }
}
