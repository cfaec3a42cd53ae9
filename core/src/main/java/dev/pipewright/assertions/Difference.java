package dev.pipewright.assertions;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * How a set of names found differs from the set expected: {@code missing} in the order expected,
 * {@code unexpected} sorted, so messages do not depend on hash order.
 */
record Difference(List<String> missing, List<String> unexpected) {

    Difference {
        missing = List.copyOf(missing);
        unexpected = List.copyOf(unexpected);
    }

    static Difference between(Collection<String> expected, Collection<String> found) {
        List<String> missing = expected.stream().filter(e -> !found.contains(e)).distinct().toList();
        List<String> unexpected = new ArrayList<>(new TreeSet<>(found));
        unexpected.removeAll(expected);
        return new Difference(missing, unexpected);
    }

    boolean isEmpty() {
        return missing.isEmpty() && unexpected.isEmpty();
    }

    /** {@code missing: [a], unexpected: [b]}, leaving out an empty part. */
    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        if (!missing.isEmpty()) {
            parts.add("missing: " + missing);
        }
        if (!unexpected.isEmpty()) {
            parts.add("unexpected: " + unexpected);
        }
        return String.join(", ", parts);
    }
}
