package dev.pipewright.examples.bench;

import java.io.PrintWriter;
import java.util.Optional;

/**
 * The executor benchmarks by name: {@code executor-overhead}, {@code executor-makespan} and
 * {@code executor-shell}. They keep their full and smoke sizes themselves.
 */
final class ExecutorBenchmarks {
    private ExecutorBenchmarks() {
    }

    /**
     * Runs benchmark {@code name} at its full size, or its smoke size for tests; nothing when it is
     * skipped, with the reason written to {@code err}.
     *
     * @throws IllegalArgumentException if {@code name} is not an executor benchmark
     */
    static Optional<Report> run(String name, boolean full, PrintWriter err) {
        return switch (name) {
            case ExecutorOverheadBenchmark.NAME -> Optional.of(ExecutorOverheadBenchmark.run(full
                    ? ExecutorOverheadBenchmark.Size.FULL : ExecutorOverheadBenchmark.Size.SMOKE));
            case ExecutorMakespanBenchmark.NAME -> Optional.of(ExecutorMakespanBenchmark.run(full
                    ? ExecutorMakespanBenchmark.Size.FULL : ExecutorMakespanBenchmark.Size.SMOKE));
            case ExecutorShellBenchmark.NAME -> ExecutorShellBenchmark.run(full
                    ? ExecutorShellBenchmark.Size.FULL : ExecutorShellBenchmark.Size.SMOKE, "make", err);
            default -> throw new IllegalArgumentException("'" + name + "' is not an executor benchmark");
        };
    }
}
