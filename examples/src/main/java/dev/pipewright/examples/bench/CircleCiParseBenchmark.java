package dev.pipewright.examples.bench;

import dev.pipewright.circleci.CircleCiConfig;
import dev.pipewright.circleci.InvalidConfigException;
import java.util.List;

/**
 * {@code circleci-parse}: reads every corpus configuration with {@link CircleCiConfig#parse}, round
 * after round (100 in the full size), from text already in memory. Reports the YAML read per
 * second over all measured rounds.
 */
final class CircleCiParseBenchmark {
    static final String NAME = "circleci-parse";
    static final int ROUNDS = 100;

    private CircleCiParseBenchmark() {
    }

    /**
     * @throws UsageException when a file does not parse, naming it
     */
    static Report run(List<Corpus.Input> inputs, Harness.Budget budget) {
        long bytes = 0;
        for (Corpus.Input input : inputs) {
            try {
                CircleCiConfig.parse(input.text(), input.name());
            } catch (InvalidConfigException e) {
                throw new UsageException(input.name() + " does not parse, so it cannot be benchmarked: "
                        + e.getMessage() + " Leave it out with --only.");
            }
            bytes += input.bytes();
        }
        Blackhole blackhole = new Blackhole();
        Harness.Samples rounds = Harness.run(budget, blackhole, () -> {
            for (Corpus.Input input : inputs) {
                blackhole.consume(CircleCiConfig.parse(input.text(), input.name()));
            }
            return inputs;
        });
        double seconds = rounds.totalNanos() / 1e9;
        return new Report(String.format("%s: %d file%s, %.1f KB of YAML, parsed %d times (median round %.2f ms,"
                        + " min %.2f ms, max %.2f ms) after %d warm-up rounds in %.1f s", NAME, inputs.size(),
                        inputs.size() == 1 ? "" : "s", bytes / 1e3, rounds.count(), rounds.medianNanos() / 1e6,
                        rounds.minNanos() / 1e6, rounds.maxNanos() / 1e6, rounds.warmups(), rounds.warmupNanos() / 1e9),
                List.of(new Result(NAME, "parse-throughput", bytes * rounds.count() / 1e6 / seconds, "MB/s"),
                        new Result(NAME, "parse-round-median-ms", rounds.medianNanos() / 1e6, "ms"),
                        new Result(NAME, "corpus-files", inputs.size(), "files"),
                        new Result(NAME, "corpus-size", bytes / 1e3, "KB")));
    }
}
