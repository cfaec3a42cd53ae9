package dev.pipewright.examples.bench;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Times operations that are compared with each other in alternation: each round runs every
 * operation once, in order, so that a change in the machine's load (other processes share its
 * cores) hits all of them alike. Ratios are taken round by round, and their median reported.
 */
final class Rounds {
    private Rounds() {
    }

    /** One operation of a comparison; it throws if what it ran went wrong. */
    @FunctionalInterface
    interface Operation {
        void run() throws Exception;
    }

    /**
     * Runs {@code warmups} untimed rounds, then {@code rounds} timed ones; returns each
     * operation's times in the order given.
     *
     * @throws IllegalStateException wrapping what an operation threw
     */
    static List<Harness.Samples> run(int warmups, int rounds, List<Operation> operations) {
        return run(warmups, Duration.ZERO, rounds, operations);
    }

    /**
     * As {@link #run(int, int, List)}, warming up for at least {@code warmupAtLeast} too: a
     * warm-up counted in rounds alone shrinks as the operations get faster, and on a machine of
     * two cores the JIT compilers, which share them, may not have caught up when timing starts.
     * The samples say how many warm-up rounds ran.
     */
    static List<Harness.Samples> run(int warmups, Duration warmupAtLeast, int rounds, List<Operation> operations) {
        checkArgument(warmups >= 0, "warmups must not be negative but was %s", warmups);
        checkArgument(!warmupAtLeast.isNegative(), "warmupAtLeast must not be negative but was %s", warmupAtLeast);
        checkArgument(rounds >= 1, "rounds must be positive but was %s", rounds);
        checkArgument(!operations.isEmpty(), "nothing to time");
        long warmupStart = System.nanoTime();
        long warmupEnd = warmupStart + warmupAtLeast.toNanos();
        int warmed = 0;
        while (warmed < warmups || System.nanoTime() - warmupEnd < 0) {
            for (Operation operation : operations) {
                time(operation);
            }
            warmed++;
        }
        long warmupNanos = System.nanoTime() - warmupStart;
        long[][] nanos = new long[operations.size()][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int o = 0; o < operations.size(); o++) {
                nanos[o][r] = time(operations.get(o));
            }
        }
        List<Harness.Samples> samples = new ArrayList<>();
        for (long[] n : nanos) {
            samples.add(new Harness.Samples(n, warmed, warmupNanos));
        }
        return samples;
    }

    private static long time(Operation operation) {
        checkNotNull(operation, "operation");
        long start = System.nanoTime();
        try {
            operation.run();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        return Math.max(1, System.nanoTime() - start);
    }

    /** The median over rounds of {@code a}'s time divided by {@code b}'s in the same round. */
    static double medianRatio(Harness.Samples a, Harness.Samples b) {
        checkArgument(a.count() == b.count(), "the samples come from different comparisons: %s and %s rounds",
                a.count(), b.count());
        long[] x = a.nanos();
        long[] y = b.nanos();
        double[] ratios = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            ratios[i] = (double) x[i] / Math.max(1, y[i]);
        }
        Arrays.sort(ratios);
        int mid = ratios.length / 2;
        return ratios.length % 2 == 1 ? ratios[mid] : (ratios[mid - 1] + ratios[mid]) / 2;
    }
}
