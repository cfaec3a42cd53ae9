package dev.pipewright.examples.bench;

import java.time.Duration;

/**
 * How big and how long: {@link #FULL} for the command line, {@link #SMOKE} for tests, which check
 * that each benchmark runs and reports, never how fast.
 *
 * @param emitSize the configuration the emit benchmark writes
 * @param emit the emit benchmark's warm-up and measurement
 * @param parse the parse benchmark's warm-up and rounds
 */
record Scale(CircleCiEmitBenchmark.Size emitSize, Harness.Budget emit, Harness.Budget parse) {
    /** 5,000 jobs emitted for 5 s of warm-up and 10 s of measurement; the corpus parsed 100 times after 3 s. */
    static final Scale FULL = new Scale(CircleCiEmitBenchmark.Size.FULL,
            new Harness.Budget(Duration.ofSeconds(5), 3, Duration.ofSeconds(10), 10, 500),
            Harness.Budget.fixed(Duration.ofSeconds(3), 5, CircleCiParseBenchmark.ROUNDS));

    /** A few dozen jobs, emitted twice; the corpus parsed twice; no warm-up. */
    static final Scale SMOKE = new Scale(CircleCiEmitBenchmark.Size.SMOKE,
            Harness.Budget.fixed(Duration.ZERO, 1, 2),
            Harness.Budget.fixed(Duration.ZERO, 0, 2));
}
