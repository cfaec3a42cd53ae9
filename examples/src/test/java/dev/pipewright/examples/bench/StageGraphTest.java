package dev.pipewright.examples.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.pipewright.Pipeline;
import dev.pipewright.Stage;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class StageGraphTest {
    @Test
    void random_sameSeed_sameGraph_otherSeed_otherGraph() {
        StageGraph a = StageGraph.random(200, 7);
        StageGraph b = StageGraph.random(200, 7);
        StageGraph c = StageGraph.random(200, 8);

        boolean differs = false;
        for (int i = 0; i < 200; i++) {
            assertThat(a.needs(i)).isEqualTo(b.needs(i));
            differs |= !Arrays.equals(a.needs(i), c.needs(i));
        }
        assertThat(differs).isTrue();
    }

    @Test
    void random_eachStageNeedsZeroToThreeDistinctEarlierStages_andEveryCountOccurs() {
        StageGraph graph = StageGraph.random(1_000, 1);

        int[] counts = new int[StageGraph.MAX_NEEDS + 1];
        int edges = 0;
        for (int i = 0; i < graph.size(); i++) {
            int[] needs = graph.needs(i);
            counts[needs.length]++;
            edges += needs.length;
            assertThat(needs).doesNotHaveDuplicates().isSorted();
            for (int need : needs) {
                assertThat(need).isBetween(0, i - 1);
            }
        }
        for (int count : counts) {
            assertThat(count).isGreaterThan(100);
        }
        assertThat(graph.needs(0)).isEmpty();
        assertThat(graph.edges()).isEqualTo(edges);
    }

    @Test
    void needs_isACopy() {
        StageGraph graph = StageGraph.random(10, 3);
        int[] needs = graph.needs(9);
        Arrays.fill(needs, -1);

        assertThat(graph.needs(9)).doesNotContain(-1);
    }

    @Test
    void prefix_keepsTheFirstStagesAndTheirNeeds() {
        StageGraph graph = StageGraph.random(50, 3);
        StageGraph prefix = graph.prefix(20);

        assertThat(prefix.size()).isEqualTo(20);
        for (int i = 0; i < 20; i++) {
            assertThat(prefix.needs(i)).isEqualTo(graph.needs(i));
        }
        assertThatIllegalArgumentException().isThrownBy(() -> graph.prefix(51))
                .withMessage("prefix must hold 1 to 50 stages but was 51");
    }

    @Test
    void longestPath_isTheHeaviestChainOfNeeds() {
        StageGraph graph = StageGraph.random(300, 5);
        double[] ones = new double[300];
        Arrays.fill(ones, 1);
        double[] weights = new double[300];
        for (int i = 0; i < 300; i++) {
            weights[i] = i % 7 + 1;
        }

        // Checked against a longest path computed another way: from each stage down its needs.
        double[] memo = new double[300];
        double longest = 0;
        for (int i = 0; i < 300; i++) {
            longest = Math.max(longest, down(graph, weights, memo, i));
        }
        assertThat(graph.longestPath(weights)).isEqualTo(longest);
        assertThat(graph.longestPath(ones)).isBetween(2.0, 300.0);
        assertThatIllegalArgumentException().isThrownBy(() -> graph.longestPath(new double[3]))
                .withMessage("need 300 weights but got 3");
    }

    private static double down(StageGraph graph, double[] weights, double[] memo, int i) {
        if (memo[i] == 0) {
            double before = 0;
            for (int need : graph.needs(i)) {
                before = Math.max(before, down(graph, weights, memo, need));
            }
            memo[i] = before + weights[i];
        }
        return memo[i];
    }

    @Test
    void pipeline_namesEachStage_withItsNeeds_andTheGivenSteps() {
        StageGraph graph = StageGraph.random(30, 9);

        Pipeline pipeline = graph.pipeline("p", (i, s) -> s.run("echo " + i));

        assertThat(pipeline.stages()).hasSize(30);
        for (int i = 0; i < 30; i++) {
            Stage stage = pipeline.stage(StageGraph.name(i)).orElseThrow();
            assertThat(stage.needs()).containsExactly(Arrays.stream(graph.needs(i)).mapToObj(StageGraph::name)
                    .toArray(String[]::new));
            assertThat(stage.steps()).hasSize(1);
        }
        assertThat(StageGraph.name(42)).isEqualTo("s00042");
    }
}
