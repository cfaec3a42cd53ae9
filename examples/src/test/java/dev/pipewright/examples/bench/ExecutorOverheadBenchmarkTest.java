package dev.pipewright.examples.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.tuple;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/** The overhead benchmark's plumbing at the smoke size: nothing here checks speed. */
class ExecutorOverheadBenchmarkTest {
    @Test
    void run_smoke_reportsTheRatioFirst_thenTimesPerStage() {
        Report report = ExecutorOverheadBenchmark.run(ExecutorOverheadBenchmark.Size.SMOKE);

        assertThat(report.results()).extracting(Result::name, Result::metric, Result::unit).containsExactly(
                tuple("executor-overhead", "runner-vs-bare", "x"),
                tuple("executor-overhead", "runner-per-stage", "us"),
                tuple("executor-overhead", "bare-per-stage", "us"),
                tuple("executor-overhead", "journal-per-stage", "us"));
        assertThat(report.results()).allSatisfy(r -> assertThat(r.value()).isPositive());
        assertThat(report.summary()).startsWith("executor-overhead: 40 no-op Java stages needing ")
                .contains("With a journal, fsync per event: 8 stages in");
    }

    @Test
    void bare_runsEveryStageOnce_afterAllItNeeds() {
        StageGraph graph = StageGraph.random(300, 11);
        int[][] needs = ExecutorOverheadBenchmark.needs(graph);
        AtomicInteger clock = new AtomicInteger();
        AtomicIntegerArray starts = new AtomicIntegerArray(300);
        AtomicIntegerArray ends = new AtomicIntegerArray(300);
        Runnable[] work = new Runnable[300];
        for (int i = 0; i < 300; i++) {
            int stage = i;
            work[i] = () -> {
                starts.set(stage, clock.incrementAndGet());
                ends.set(stage, clock.incrementAndGet());
            };
        }
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            ExecutorOverheadBenchmark.bare(needs, work, pool);
        } finally {
            pool.shutdown();
        }

        assertThat(clock.get()).isEqualTo(600);
        for (int i = 0; i < 300; i++) {
            for (int need : needs[i]) {
                assertThat(starts.get(i)).isGreaterThan(ends.get(need));
            }
        }
    }

    @Test
    void needs_areTheGraphs() {
        StageGraph graph = StageGraph.random(20, 2);

        int[][] needs = ExecutorOverheadBenchmark.needs(graph);

        assertThat(needs).hasNumberOfRows(20);
        for (int i = 0; i < 20; i++) {
            assertThat(needs[i]).isEqualTo(graph.needs(i));
        }
    }

    @Test
    void check_failsWhenAStageDidNotRun() {
        LongAdder done = new LongAdder();
        done.add(9);

        assertThatIllegalStateException().isThrownBy(() -> ExecutorOverheadBenchmark.check(null, done, 10))
                .withMessage("a benchmark run ran 9 stages, not 10");
        done.increment();
        assertThatCode(() -> ExecutorOverheadBenchmark.check(null, done, 10)).doesNotThrowAnyException();
    }
}
