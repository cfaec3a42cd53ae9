package dev.pipewright.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * A directed graph of named nodes where each node lists the nodes it needs. Edges to unknown
 * nodes are ignored (the validator reports them). Iterative throughout, so deep chains do not
 * overflow the stack.
 */
public final class Graph {
    private final List<String> nodes;
    private final Map<String, Integer> index = new HashMap<>();
    private final List<List<Integer>> needs = new ArrayList<>();

    private Graph(Map<String, List<String>> needsByNode) {
        this.nodes = List.copyOf(needsByNode.keySet());
        for (int i = 0; i < nodes.size(); i++) {
            index.put(nodes.get(i), i);
        }
        for (String node : nodes) {
            List<Integer> out = new ArrayList<>();
            for (String n : needsByNode.get(node)) {
                Integer target = index.get(n);
                if (target != null) {
                    out.add(target);
                }
            }
            needs.add(out);
        }
    }

    /** A graph of {@code needsByNode}'s keys, in its iteration order (the declaration order). */
    public static Graph of(Map<String, List<String>> needsByNode) {
        return new Graph(new LinkedHashMap<>(needsByNode));
    }

    /**
     * Every cycle, one per strongly connected component that has one, each as a path that starts
     * and ends at the same node, such as {@code [a, b, a]}. Self-needs come out as {@code [a, a]}.
     */
    public List<List<String>> cycles() {
        List<List<String>> cycles = new ArrayList<>();
        for (List<Integer> component : stronglyConnectedComponents()) {
            int first = component.get(0);
            if (component.size() > 1 || needs.get(first).contains(first)) {
                cycles.add(cycleWithin(Set.copyOf(component), first));
            }
        }
        cycles.sort((x, y) -> Integer.compare(index.get(x.get(0)), index.get(y.get(0))));
        return cycles;
    }

    /** A path from {@code start} back to itself inside {@code component}, by breadth-first search. */
    private List<String> cycleWithin(Set<Integer> component, int start) {
        Map<Integer, Integer> parent = new HashMap<>();
        Deque<Integer> queue = new ArrayDeque<>();
        queue.add(start);
        while (!queue.isEmpty()) {
            int node = queue.poll();
            for (int next : needs.get(node)) {
                if (!component.contains(next)) {
                    continue;
                }
                if (next == start) {
                    List<String> path = new ArrayList<>();
                    path.add(nodes.get(start));
                    for (int n = node; n != start; n = parent.get(n)) {
                        path.add(1, nodes.get(n));
                    }
                    path.add(nodes.get(start));
                    return path;
                }
                if (!parent.containsKey(next)) {
                    parent.put(next, node);
                    queue.add(next);
                }
            }
        }
        throw new AssertionError("a strongly connected component without a cycle through " + nodes.get(start));
    }

    /** Tarjan's algorithm, iterative; components come out with their lowest-declared node first. */
    private List<List<Integer>> stronglyConnectedComponents() {
        int n = nodes.size();
        int[] order = new int[n];
        int[] low = new int[n];
        boolean[] onStack = new boolean[n];
        java.util.Arrays.fill(order, -1);
        Deque<Integer> stack = new ArrayDeque<>();
        List<List<Integer>> result = new ArrayList<>();
        int counter = 0;
        int[] edge = new int[n];
        Deque<Integer> work = new ArrayDeque<>();
        for (int root = 0; root < n; root++) {
            if (order[root] >= 0) {
                continue;
            }
            work.push(root);
            while (!work.isEmpty()) {
                int v = work.peek();
                if (order[v] < 0) {
                    order[v] = low[v] = counter++;
                    stack.push(v);
                    onStack[v] = true;
                }
                if (edge[v] < needs.get(v).size()) {
                    int w = needs.get(v).get(edge[v]++);
                    if (order[w] < 0) {
                        work.push(w);
                    } else if (onStack[w]) {
                        low[v] = Math.min(low[v], order[w]);
                    }
                    continue;
                }
                work.pop();
                if (!work.isEmpty()) {
                    int parent = work.peek();
                    low[parent] = Math.min(low[parent], low[v]);
                }
                if (low[v] == order[v]) {
                    List<Integer> component = new ArrayList<>();
                    int w;
                    do {
                        w = stack.pop();
                        onStack[w] = false;
                        component.add(w);
                    } while (w != v);
                    component.sort(Integer::compare);
                    result.add(component);
                }
            }
        }
        return result;
    }

    /**
     * The nodes so that every node comes after all it needs, ties broken by declaration order.
     *
     * @throws IllegalStateException if the graph has a cycle (validate with {@link #cycles()} first)
     */
    public List<String> topologicalOrder() {
        int n = nodes.size();
        int[] waiting = new int[n];
        List<List<Integer>> dependents = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            dependents.add(new ArrayList<>());
        }
        for (int i = 0; i < n; i++) {
            for (int need : new LinkedHashSet<>(needs.get(i))) {
                waiting[i]++;
                dependents.get(need).add(i);
            }
        }
        PriorityQueue<Integer> ready = new PriorityQueue<>();
        for (int i = 0; i < n; i++) {
            if (waiting[i] == 0) {
                ready.add(i);
            }
        }
        List<String> order = new ArrayList<>(n);
        while (!ready.isEmpty()) {
            int node = ready.poll();
            order.add(nodes.get(node));
            for (int d : dependents.get(node)) {
                if (--waiting[d] == 0) {
                    ready.add(d);
                }
            }
        }
        if (order.size() != n) {
            throw new IllegalStateException("the stage graph has a cycle: " + cycles());
        }
        return order;
    }

    /** Every node {@code node} needs, directly or through others, in breadth-first order. */
    public Set<String> upstream(String node) {
        Integer start = index.get(node);
        Set<String> seen = new LinkedHashSet<>();
        if (start == null) {
            return seen;
        }
        boolean[] visited = new boolean[nodes.size()];
        Deque<Integer> queue = new ArrayDeque<>(needs.get(start));
        while (!queue.isEmpty()) {
            int next = queue.poll();
            if (!visited[next]) {
                visited[next] = true;
                seen.add(nodes.get(next));
                queue.addAll(needs.get(next));
            }
        }
        seen.remove(node);
        return seen;
    }
}
