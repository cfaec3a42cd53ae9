package dev.pipewright.examples.bench;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import dev.pipewright.Pipeline;
import dev.pipewright.Stage;
import java.util.Arrays;
import java.util.Random;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * The random stage graph the executor benchmarks run: stage {@code i} needs 0 to 3 distinct
 * stages before it, chosen with a seeded {@link Random}, so the same seed gives the same graph.
 * A prefix of the graph is a graph too. Immutable.
 */
final class StageGraph {
    /** The most stages one stage needs. */
    static final int MAX_NEEDS = 3;

    private final int[][] needs;

    private StageGraph(int[][] needs) {
        this.needs = needs;
    }

    /**
     * A graph of {@code stages} stages drawn with {@code seed}.
     *
     * @throws IllegalArgumentException if {@code stages} is not positive
     */
    static StageGraph random(int stages, long seed) {
        checkArgument(stages >= 1, "stages must be positive but was %s", stages);
        Random random = new Random(seed);
        int[][] needs = new int[stages][];
        for (int i = 0; i < stages; i++) {
            int count = Math.min(i, random.nextInt(MAX_NEEDS + 1));
            int[] chosen = new int[count];
            for (int k = 0; k < count; k++) {
                int candidate;
                do {
                    candidate = random.nextInt(i);
                } while (contains(chosen, k, candidate));
                chosen[k] = candidate;
            }
            Arrays.sort(chosen);
            needs[i] = chosen;
        }
        return new StageGraph(needs);
    }

    private static boolean contains(int[] values, int length, int value) {
        for (int i = 0; i < length; i++) {
            if (values[i] == value) {
                return true;
            }
        }
        return false;
    }

    /** How many stages. */
    int size() {
        return needs.length;
    }

    /** The first {@code stages} stages, which need only each other. */
    StageGraph prefix(int stages) {
        checkArgument(stages >= 1 && stages <= size(), "prefix must hold 1 to %s stages but was %s", size(), stages);
        return new StageGraph(Arrays.copyOf(needs, stages));
    }

    /** Stage {@code i}'s name: {@code s00042}. */
    static String name(int i) {
        return String.format("s%05d", i);
    }

    /** The stages stage {@code i} needs, in ascending order; each is below {@code i}. */
    int[] needs(int i) {
        return needs[i].clone();
    }

    /** How many edges the graph has. */
    int edges() {
        return Arrays.stream(needs).mapToInt(n -> n.length).sum();
    }

    /**
     * The pipeline {@code name} of this graph's stages, each named by {@link #name(int)} with its
     * needs, its steps and details given by {@code stage}.
     */
    Pipeline pipeline(String name, BiConsumer<Integer, Stage.Builder> stage) {
        checkNotNull(stage, "stage");
        Pipeline.@Nullable Builder b = null;
        for (int i = 0; i < needs.length; i++) {
            Stage.Builder s = Stage.named(name(i)).needs(Arrays.stream(needs[i]).mapToObj(StageGraph::name)
                    .toArray(String[]::new));
            stage.accept(i, s);
            b = b == null ? Pipeline.named(name).stage(s.build()) : b.stage(s.build());
        }
        return checkNotNull(b).build();
    }

    /**
     * The longest path through the graph when stage {@code i} takes {@code weights[i]}: the
     * makespan with unbounded parallelism and no overhead.
     */
    double longestPath(double[] weights) {
        checkArgument(weights.length == needs.length, "need %s weights but got %s", needs.length, weights.length);
        double[] finish = new double[needs.length];
        double longest = 0;
        for (int i = 0; i < needs.length; i++) {
            double start = 0;
            for (int need : needs[i]) {
                start = Math.max(start, finish[need]);
            }
            finish[i] = start + weights[i];
            longest = Math.max(longest, finish[i]);
        }
        return longest;
    }
}
