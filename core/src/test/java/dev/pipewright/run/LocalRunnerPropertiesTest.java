package dev.pipewright.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipewright.Pipeline;
import dev.pipewright.Ref;
import dev.pipewright.Stage;
import dev.pipewright.spi.RunResult;
import dev.pipewright.spi.RunStatus;
import dev.pipewright.spi.StageOutcome;
import dev.pipewright.spi.StageResult;
import dev.pipewright.spi.StepContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import org.jspecify.annotations.Nullable;

/**
 * The scheduler over generated stage graphs and concurrency bounds: every stage runs once, none
 * before all it needs has ended, never more at once than the bound; a failure anywhere stops what
 * depends on it. Stages are Java steps that note when they start and end, and the temporary run
 * folder a run without journal makes, to delete it.
 */
class LocalRunnerPropertiesTest {
    private static final Path WORKSPACE = Path.of(System.getProperty("java.io.tmpdir"));

    private final Set<Path> runFolders = ConcurrentHashMap.newKeySet();

    @AfterProperty
    void deleteRunFolders() throws IOException {
        for (Path folder : runFolders) {
            Files.deleteIfExists(folder);
        }
        runFolders.clear();
    }

    /** Stage {@code i} needs the stages {@code needs.get(i)}, each below {@code i}. */
    record Graph(List<List<Integer>> needs, int concurrency) {
        int size() {
            return needs.size();
        }
    }

    @Provide
    Arbitrary<Graph> graphs() {
        Arbitrary<List<List<Integer>>> needs = Arbitraries.integers().between(1, 40).flatMap(size -> {
            List<Arbitrary<List<Integer>>> each = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                each.add(i == 0 ? Arbitraries.just(List.of())
                        : Arbitraries.integers().between(0, i - 1).list().ofMaxSize(Math.min(3, i)).uniqueElements());
            }
            return Combinators.combine(each).as(List::copyOf);
        });
        return Combinators.combine(needs, Arbitraries.integers().between(1, 5)).as(Graph::new);
    }

    private static String name(int i) {
        return "s" + i;
    }

    private Pipeline pipeline(Graph graph, AtomicInteger clock, AtomicIntegerArray starts,
            AtomicIntegerArray ends, AtomicInteger running, AtomicInteger most, int failing) {
        Pipeline.@Nullable Builder b = null;
        for (int i = 0; i < graph.size(); i++) {
            int stage = i;
            Stage s = Stage.named(name(i))
                    .needs(graph.needs().get(i).stream().map(LocalRunnerPropertiesTest::name).toArray(String[]::new))
                    .java("work", c -> {
                        runFolders.add(((StepContext) c).runDirectory());
                        most.accumulateAndGet(running.incrementAndGet(), Math::max);
                        starts.set(stage, clock.incrementAndGet());
                        Thread.yield();
                        ends.set(stage, clock.incrementAndGet());
                        running.decrementAndGet();
                        if (stage == failing) {
                            throw new IllegalStateException("stage " + stage + " fails");
                        }
                    })
                    .build();
            b = b == null ? Pipeline.named("generated").stage(s) : b.stage(s);
        }
        return b.build();
    }

    private static RunResult run(Graph graph, Pipeline pipeline) {
        return LocalRunner.builder()
                .workspace(WORKSPACE)
                .environment(Map.of())
                .ref(Ref.branch("main"))
                .concurrency(graph.concurrency())
                .discover(false)
                .build()
                .run(pipeline);
    }

    @Property(tries = 60)
    void everyStageRunsOnce_afterItsNeeds_withinTheBound(@ForAll("graphs") Graph graph) {
        AtomicInteger clock = new AtomicInteger();
        AtomicIntegerArray starts = new AtomicIntegerArray(graph.size());
        AtomicIntegerArray ends = new AtomicIntegerArray(graph.size());
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();

        RunResult result = run(graph, pipeline(graph, clock, starts, ends, running, most, -1));

        assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(result.stages()).extracting(StageResult::attempts).containsOnly(1);
        assertThat(clock.get()).isEqualTo(2 * graph.size()); // each stage started and ended once
        assertThat(most.get()).isBetween(1, graph.concurrency());
        for (int i = 0; i < graph.size(); i++) {
            for (int need : graph.needs().get(i)) {
                assertThat(starts.get(i)).as("start of %s against the end of %s, which it needs", name(i), name(need))
                        .isGreaterThan(ends.get(need));
            }
        }
    }

    @Property(tries = 40)
    void aFailure_neverStartsWhatDependsOnIt(@ForAll("graphs") Graph graph) {
        int failing = graph.size() / 2;
        AtomicInteger clock = new AtomicInteger();
        AtomicIntegerArray starts = new AtomicIntegerArray(graph.size());
        AtomicIntegerArray ends = new AtomicIntegerArray(graph.size());

        RunResult result = run(graph, pipeline(graph, clock, starts, ends, new AtomicInteger(), new AtomicInteger(),
                failing));

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.stage(name(failing)).orElseThrow().outcome()).isEqualTo(StageOutcome.FAILED);
        boolean[] downstream = new boolean[graph.size()];
        downstream[failing] = true;
        for (int i = failing + 1; i < graph.size(); i++) {
            for (int need : graph.needs().get(i)) {
                downstream[i] |= downstream[need];
            }
            if (downstream[i]) {
                assertThat(starts.get(i)).as("start of %s, downstream of the failure", name(i)).isZero();
                assertThat(result.stage(name(i)).orElseThrow().outcome()).isEqualTo(StageOutcome.CANCELLED);
            }
        }
    }
}
