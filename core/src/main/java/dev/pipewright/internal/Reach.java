package dev.pipewright.internal;

import dev.pipewright.Filter;
import dev.pipewright.Ref;
import dev.pipewright.Stage;
import dev.pipewright.Trigger;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which branches and tags each stage can run for. A stage runs for a ref when a trigger starts the
 * pipeline for it, the stage's own and environment's filters accept it, and every stage it needs
 * runs for it too (CircleCI skips a job whose required job was filtered out).
 *
 * <p>Sets of refs are only enumerated where that is exact: when some filter in play names its
 * branches (or tags) exactly, the set is that list narrowed by every other filter. Where only
 * regular expressions bound a set, it is taken to be unbounded and never reported as empty: the
 * analysis has no false alarms.
 */
public final class Reach {
    private final Map<String, Stage> stages;
    private final List<Trigger> triggers;
    private final Map<String, Set<Filter>> constraints = new HashMap<>();

    private Reach(Map<String, Stage> stages, List<Trigger> triggers) {
        this.stages = stages;
        this.triggers = triggers;
    }

    /**
     * Analysis of {@code stages} (by name; their needs must form no cycle) started by {@code
     * triggers} (none means every push).
     */
    public static Reach of(Map<String, Stage> stages, List<Trigger> triggers) {
        return new Reach(Map.copyOf(stages), triggers.isEmpty() ? List.of(Trigger.push()) : List.copyOf(triggers));
    }

    /** Every filter a run must pass to reach {@code stage}: its own, its environment's, its needs'. */
    public Set<Filter> constraints(String stage) {
        Set<Filter> known = constraints.get(stage);
        if (known != null) {
            return known;
        }
        // Iterative post-order over needs, so a long chain cannot overflow the stack. A node may sit
        // on the stack twice; the lower copy finds it done and is dropped.
        Set<String> expanded = new java.util.HashSet<>();
        java.util.Deque<String> pending = new java.util.ArrayDeque<>();
        pending.push(stage);
        while (!pending.isEmpty()) {
            String current = pending.peek();
            Stage s = stages.get(current);
            if (constraints.containsKey(current)) {
                pending.pop();
            } else if (s == null) {
                constraints.put(current, Set.of());
                pending.pop();
            } else if (expanded.add(current)) {
                for (String need : s.needs()) {
                    if (!constraints.containsKey(need) && !expanded.contains(need)) {
                        pending.push(need);
                    }
                }
            } else {
                Set<Filter> all = new LinkedHashSet<>(s.filters());
                for (String need : s.needs()) {
                    all.addAll(constraints.getOrDefault(need, Set.of()));
                }
                constraints.put(current, Set.copyOf(all));
                pending.pop();
            }
        }
        return constraints.get(stage);
    }

    /** Whether {@code stage} runs for {@code ref}. */
    public boolean runsOn(String stage, Ref ref) {
        return triggers.stream().anyMatch(t -> t.accepts(ref))
                && constraints(stage).stream().allMatch(f -> f.accepts(ref));
    }

    /**
     * The exact set of names of {@code kind} that {@code stage} runs for, when it can be known
     * without enumerating a regular expression; empty when unbounded.
     */
    public Optional<Set<String>> names(String stage, Ref.Kind kind) {
        Set<String> candidates = null;
        for (Filter f : constraints(stage)) {
            Optional<Set<String>> finite = f.finiteNames(kind);
            if (finite.isPresent()) {
                candidates = candidates == null ? new TreeSet<>(finite.get()) : retain(candidates, finite.get());
            }
        }
        Set<String> fromTriggers = new TreeSet<>();
        boolean triggersFinite = true;
        for (Trigger t : triggers) {
            Optional<Set<String>> finite = t.filter().finiteNames(kind);
            if (finite.isEmpty()) {
                triggersFinite = false;
                break;
            }
            fromTriggers.addAll(finite.get());
        }
        if (triggersFinite) {
            candidates = candidates == null ? fromTriggers : retain(candidates, fromTriggers);
        }
        if (candidates == null) {
            return Optional.empty();
        }
        Set<String> result = new TreeSet<>();
        for (String name : candidates) {
            if (runsOn(stage, new Ref(kind, name))) {
                result.add(name);
            }
        }
        return Optional.of(Set.copyOf(result));
    }

    private static Set<String> retain(Set<String> a, Set<String> b) {
        Set<String> both = new TreeSet<>(a);
        both.retainAll(b);
        return both;
    }

    /** False only when it is certain that no branch and no tag can reach {@code stage}. */
    public boolean canRun(String stage) {
        return !isEmpty(names(stage, Ref.Kind.BRANCH)) || !isEmpty(names(stage, Ref.Kind.TAG));
    }

    /**
     * False only when it is certain that no ref reaches both stages; used to tell whether two
     * stages can take part in the same run.
     */
    public boolean mayRunTogether(String a, String b) {
        for (Ref.Kind kind : Ref.Kind.values()) {
            Optional<Set<String>> na = names(a, kind);
            Optional<Set<String>> nb = names(b, kind);
            if (na.isPresent() && nb.isPresent()) {
                if (na.get().stream().anyMatch(nb.get()::contains)) {
                    return true;
                }
            } else if (na.isPresent()) {
                if (na.get().stream().anyMatch(n -> runsOn(b, new Ref(kind, n)))) {
                    return true;
                }
            } else if (nb.isPresent()) {
                if (nb.get().stream().anyMatch(n -> runsOn(a, new Ref(kind, n)))) {
                    return true;
                }
            } else {
                return true;
            }
        }
        return false;
    }

    /** {@code branches [master], no tag} or {@code branches matching its filters, tags [v1]}. */
    public String describe(String stage) {
        return describe(names(stage, Ref.Kind.BRANCH), "branch", "branches")
                + ", " + describe(names(stage, Ref.Kind.TAG), "tag", "tags");
    }

    private static String describe(Optional<Set<String>> names, String one, String many) {
        if (names.isEmpty()) {
            return many + " matching its filters";
        }
        return names.get().isEmpty() ? "no " + one : many + " " + new TreeSet<>(names.get());
    }

    private static boolean isEmpty(Optional<Set<String>> names) {
        return names.isPresent() && names.get().isEmpty();
    }
}
