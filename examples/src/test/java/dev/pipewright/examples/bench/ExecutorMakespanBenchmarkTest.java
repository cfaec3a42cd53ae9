package dev.pipewright.examples.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The makespan benchmark's plumbing at the smoke size: nothing here checks speed. */
class ExecutorMakespanBenchmarkTest {
    @Test
    void run_smoke_reportsTheRatioFirst_andTheCriticalPathOfTheSleeps() {
        Report report = ExecutorMakespanBenchmark.run(ExecutorMakespanBenchmark.Size.SMOKE);

        assertThat(report.results()).extracting(Result::name, Result::metric, Result::unit).containsExactly(
                tuple("executor-makespan", "makespan-vs-critical-path", "x"),
                tuple("executor-makespan", "makespan", "ms"),
                tuple("executor-makespan", "critical-path", "ms"),
                tuple("executor-makespan", "bare-makespan-vs-critical-path", "x"));
        double[] weights = new double[12];
        int[] sleeps = ExecutorMakespanBenchmark.sleeps(12);
        for (int i = 0; i < 12; i++) {
            weights[i] = sleeps[i];
        }
        double critical = StageGraph.random(12, ExecutorMakespanBenchmark.SEED).longestPath(weights);
        assertThat(report.results().get(2).value()).isEqualTo(critical);
        // No schedule beats the critical path: sleeping never takes less than asked.
        assertThat(report.results().get(0).value()).isGreaterThanOrEqualTo(1.0);
        assertThat(report.results().get(3).value()).isGreaterThanOrEqualTo(1.0);
        assertThat(report.summary()).startsWith("executor-makespan: 12 stages sleeping 10 to 50 ms");
    }

    @Test
    void sleeps_are10To50Milliseconds_theSameForTheSeed() {
        int[] sleeps = ExecutorMakespanBenchmark.sleeps(200);

        assertThat(sleeps).contains(10, 50);
        assertThat(Arrays.stream(sleeps).boxed().toList()).allSatisfy(s -> assertThat(s).isBetween(10, 50));
        assertThat(ExecutorMakespanBenchmark.sleeps(200)).isEqualTo(sleeps);
    }
}
