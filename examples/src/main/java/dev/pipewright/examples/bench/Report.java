package dev.pipewright.examples.bench;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.io.PrintWriter;
import java.util.List;

/**
 * What a benchmark run measured: a sentence for people and the results.
 *
 * @param summary what ran, how much, how often
 * @param results the primary result first
 */
record Report(String summary, List<Result> results) {
    Report {
        checkNotNull(summary, "summary");
        results = List.copyOf(results);
        checkArgument(!results.isEmpty(), "a report needs at least one result");
    }

    /** One JSON object a line, or the summary and one aligned line a result. */
    void print(PrintWriter out, boolean json) {
        if (json) {
            results.forEach(r -> out.println(r.json()));
            return;
        }
        out.println(summary);
        int width = results.stream().mapToInt(r -> r.metric().length()).max().orElseThrow();
        for (Result r : results) {
            out.printf("  %-" + width + "s  %12s %s%n", r.metric(), r.number(), r.unit());
        }
    }
}
