package dev.pipewright.examples.bench;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.time.Duration;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * Runs an operation for a warm-up, untimed, then times each measured iteration with
 * {@link System#nanoTime()}. Each result goes to a {@link Blackhole}.
 */
final class Harness {
    private Harness() {
    }

    /**
     * How long to warm up and to measure.
     *
     * @param warmup the warm-up lasts at least this long
     * @param minWarmups and at least this many iterations
     * @param measure measuring lasts at least this long, unless {@code maxIterations} come first
     * @param minIterations at least this many measured iterations
     * @param maxIterations at most this many measured iterations
     */
    record Budget(Duration warmup, int minWarmups, Duration measure, int minIterations, int maxIterations) {
        Budget {
            checkNotNull(warmup, "warmup");
            checkNotNull(measure, "measure");
            checkArgument(minWarmups >= 0, "minWarmups must not be negative but was %s", minWarmups);
            checkArgument(minIterations >= 1, "minIterations must be positive but was %s", minIterations);
            checkArgument(maxIterations >= minIterations, "maxIterations must be at least minIterations (%s) but was %s",
                    minIterations, maxIterations);
        }

        /** Exactly {@code iterations} measured iterations after the warm-up. */
        static Budget fixed(Duration warmup, int minWarmups, int iterations) {
            return new Budget(warmup, minWarmups, Duration.ZERO, iterations, iterations);
        }
    }

    /**
     * The measured iterations' times.
     *
     * @param nanos each measured iteration's time, in order
     * @param warmups how many warm-up iterations ran
     * @param warmupNanos how long the warm-up took
     */
    record Samples(long[] nanos, int warmups, long warmupNanos) {
        Samples {
            checkArgument(nanos.length > 0, "no samples");
            nanos = nanos.clone();
        }

        int count() {
            return nanos.length;
        }

        /** The median iteration time; the mean of the middle two for an even count. At least 1 ns. */
        double medianNanos() {
            long[] sorted = nanos.clone();
            Arrays.sort(sorted);
            int mid = sorted.length / 2;
            double median = sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2.0;
            return Math.max(1, median);
        }

        /** All measured iterations together. At least 1 ns. */
        long totalNanos() {
            return Math.max(1, Arrays.stream(nanos).sum());
        }

        long minNanos() {
            return Arrays.stream(nanos).min().orElseThrow();
        }

        long maxNanos() {
            return Arrays.stream(nanos).max().orElseThrow();
        }
    }

    static Samples run(Budget budget, Blackhole blackhole, Supplier<?> operation) {
        long warmupStart = System.nanoTime();
        long warmupEnd = warmupStart + budget.warmup().toNanos();
        int warmups = 0;
        while (warmups < budget.minWarmups() || System.nanoTime() - warmupEnd < 0) {
            blackhole.consume(operation.get());
            warmups++;
        }
        long warmupNanos = System.nanoTime() - warmupStart;

        long[] nanos = new long[budget.maxIterations()];
        int n = 0;
        long end = System.nanoTime() + budget.measure().toNanos();
        while (n < budget.minIterations() || (n < budget.maxIterations() && System.nanoTime() - end < 0)) {
            long start = System.nanoTime();
            Object result = operation.get();
            nanos[n++] = System.nanoTime() - start;
            blackhole.consume(result);
        }
        return new Samples(Arrays.copyOf(nanos, n), warmups, warmupNanos);
    }
}
