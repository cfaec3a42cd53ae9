package dev.pipewright.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class GraphTest {

    /** A graph from {@code node, needs...} rows, in the order given. */
    private static Graph graph(String... rows) {
        Map<String, List<String>> needs = new LinkedHashMap<>();
        for (String row : rows) {
            String[] parts = row.split(" ");
            needs.put(parts[0], List.of(parts).subList(1, parts.length));
        }
        return Graph.of(needs);
    }

    @Test
    void cycles_ofAcyclicGraph_areNone() {
        Graph g = graph("build", "test build", "deploy test build");

        assertThat(g.cycles()).isEmpty();
    }

    @Test
    void cycles_withSelfNeed_reportsTwoElementPath() {
        Graph g = graph("build", "test test build");

        assertThat(g.cycles()).containsExactly(List.of("test", "test"));
    }

    @Test
    void cycles_withTwoStages_startsAtTheEarlierDeclared() {
        Graph g = graph("deploy test", "test deploy");

        assertThat(g.cycles()).containsExactly(List.of("deploy", "test", "deploy"));
    }

    @Test
    void cycles_followNeeds_fromStartBackToIt() {
        Graph g = graph("a b", "b c", "c d", "d a", "e a");

        assertThat(g.cycles()).containsExactly(List.of("a", "b", "c", "d", "a"));
    }

    @Test
    void cycles_severalDisjoint_eachReportedOnce_inDeclarationOrder() {
        Graph g = graph("x y", "a b", "b a", "c", "d e", "e f", "f d", "g g", "y");

        assertThat(g.cycles()).containsExactly(
                List.of("a", "b", "a"),
                List.of("d", "e", "f", "d"),
                List.of("g", "g"));
    }

    @Test
    void cycles_componentWithSeveralCycles_reportedOnce_asAShortestCycleThroughItsFirstNode() {
        // a -> b -> a, a -> c -> d -> a and b -> c: one strongly connected component.
        Graph g = graph("a c b", "b a c", "c d", "d a");

        List<List<String>> cycles = g.cycles();

        assertThat(cycles).hasSize(1);
        assertThat(cycles.get(0)).containsExactly("a", "b", "a");
    }

    @Test
    void cycles_orderedByFirstNode_notByDiscovery() {
        // The search starting at 'a' finds the component of 'x' before 'p' is ever visited.
        Graph g = graph("a x", "p q", "q p", "x y", "y x");

        assertThat(g.cycles()).containsExactly(
                List.of("p", "q", "p"),
                List.of("x", "y", "x"));
    }

    @Test
    void cycles_selfNeedInsideLargerComponent_reportsTheComponentOnce() {
        Graph g = graph("a a b", "b a");

        assertThat(g.cycles()).containsExactly(List.of("a", "a"));
    }

    @Test
    void cycles_needsOfUnknownNodes_areIgnored() {
        Graph g = graph("a ghost", "b a");

        assertThat(g.cycles()).isEmpty();
        assertThat(g.topologicalOrder()).containsExactly("a", "b");
    }

    @Test
    void topologicalOrder_putsEveryNodeAfterItsNeeds() {
        Graph g = graph("deploy test", "test build", "build");

        assertThat(g.topologicalOrder()).containsExactly("build", "test", "deploy");
    }

    @Test
    void topologicalOrder_independentNodes_keepDeclarationOrder() {
        Graph g = graph("lint", "build", "docs");

        assertThat(g.topologicalOrder()).containsExactly("lint", "build", "docs");
    }

    @Test
    void topologicalOrder_breaksTiesByDeclarationOrder() {
        // Ready at first: b and c; b was declared first. Then a (needs c) and d, a declared first.
        Graph g = graph("a c", "b", "c", "d b");

        assertThat(g.topologicalOrder()).containsExactly("b", "c", "a", "d");
    }

    @Test
    void topologicalOrder_ofATopologicalDeclaration_isTheDeclaration() {
        Graph g = graph("a", "b a", "c", "d c b", "e a");

        assertThat(g.topologicalOrder()).containsExactly("a", "b", "c", "d", "e");
    }

    @Test
    void topologicalOrder_repeatedNeed_countsOnce() {
        Graph g = graph("b a a", "a");

        assertThat(g.topologicalOrder()).containsExactly("a", "b");
    }

    @Test
    void topologicalOrder_withCycle_throwsNamingIt() {
        Graph g = graph("a b", "b a");

        assertThatThrownBy(g::topologicalOrder).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("[[a, b, a]]");
    }

    @Test
    void upstream_holdsEveryNodeNeededDirectlyOrNot_breadthFirst() {
        Graph g = graph("a", "b a", "c b", "x", "d c a");

        assertThat(g.upstream("d")).containsExactly("c", "a", "b");
        assertThat(g.upstream("a")).isEmpty();
        assertThat(g.upstream("x")).isEmpty();
    }

    @Test
    void upstream_sharedNeed_listedOnce() {
        Graph g = graph("base", "left base", "right base", "top left right");

        assertThat(g.upstream("top")).containsExactly("left", "right", "base");
    }

    @Test
    void upstream_ofUnknownNode_isEmpty() {
        assertThat(graph("a").upstream("ghost")).isEmpty();
    }

    @Test
    void upstream_onACycle_excludesTheNodeItself() {
        Graph g = graph("a b", "b c", "c a");

        assertThat(g.upstream("a")).containsExactly("b", "c");
    }

    @Test
    void chainOf100000_needingThePrevious_doesNotOverflowTheStack() {
        int n = 100_000;
        Map<String, List<String>> needs = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            needs.put("s" + i, i == 0 ? List.of() : List.of("s" + (i - 1)));
        }
        Graph g = Graph.of(needs);

        assertThat(g.cycles()).isEmpty();
        assertThat(g.topologicalOrder()).isEqualTo(List.copyOf(needs.keySet()));
        assertThat(g.upstream("s" + (n - 1))).hasSize(n - 1);
    }

    @Test
    void chainOf100000_needingTheNext_doesNotOverflowTheStack() {
        // Depth-first search from the first node walks the whole chain.
        int n = 100_000;
        Map<String, List<String>> needs = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            needs.put("s" + i, i == n - 1 ? List.of() : List.of("s" + (i + 1)));
        }
        Graph g = Graph.of(needs);

        assertThat(g.cycles()).isEmpty();
        assertThat(g.topologicalOrder()).isEqualTo(
                IntStream.range(0, n).map(i -> n - 1 - i).mapToObj(i -> "s" + i).toList());
        assertThat(g.upstream("s0")).hasSize(n - 1);
    }

    @Test
    void ringOf100000_isOneCycle_withoutOverflowingTheStack() {
        int n = 100_000;
        Map<String, List<String>> needs = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            needs.put("s" + i, List.of("s" + ((i + 1) % n)));
        }

        List<List<String>> cycles = Graph.of(needs).cycles();

        assertThat(cycles).hasSize(1);
        List<String> cycle = cycles.get(0);
        assertThat(cycle).hasSize(n + 1);
        assertThat(cycle.get(0)).isEqualTo("s0");
        assertThat(cycle.get(1)).isEqualTo("s1");
        assertThat(cycle.get(n - 1)).isEqualTo("s" + (n - 1));
        assertThat(cycle.get(n)).isEqualTo("s0");
    }
}
