package dev.pipewright;

import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What a run of a pipeline for one branch or tag would do: which stages run, in which order,
 * behind which gates and as which roles, and why the others are skipped. Computed from the
 * pipeline alone: nothing runs.
 *
 * <pre>{@code
 * Plan plan = Plan.of(pipeline, Ref.branch("master"));
 * plan.running().forEach(e -> System.out.println(e.stage().name() + " as " + e.stage().roles()));
 * }</pre>
 *
 * <p>Plans are immutable and thread-safe.
 *
 * @since 0.1
 */
public final class Plan {

    /**
     * One stage's decision.
     *
     * @param stage the stage
     * @param runs whether it runs
     * @param reason why it is skipped; empty when it runs
     * @since 0.1
     */
    public record Entry(Stage stage, boolean runs, Optional<String> reason) {
        /**
         * Checks that the stage and the reason are present; an empty reason is allowed.
         *
         * @throws NullPointerException if {@code stage} or {@code reason} is null
         */
        public Entry {
            checkNotNull(stage, "stage");
            checkNotNull(reason, "reason");
        }
    }

    private final Pipeline pipeline;
    private final Ref ref;
    private final List<Entry> entries;

    private Plan(Pipeline pipeline, Ref ref, List<Entry> entries) {
        this.pipeline = pipeline;
        this.ref = ref;
        this.entries = ImmutableList.copyOf(entries);
    }

    /**
     * The plan of {@code pipeline} for a run on {@code ref}. A stage is skipped when no trigger
     * starts the pipeline for {@code ref}, when its own or its environment's filter excludes
     * {@code ref}, or when a stage it needs is skipped.
     *
     * @throws NullPointerException if {@code pipeline} or {@code ref} is null
     */
    public static Plan of(Pipeline pipeline, Ref ref) {
        return plan(pipeline, ref, null);
    }

    /**
     * The plan of {@code pipeline} for a run on {@code ref} that changed {@code changed} (paths
     * relative to the repository). Besides what {@link #of(Pipeline, Ref)} skips, a stage with
     * {@link Stage#whenChanged()} patterns is skipped when none of the changed paths is selected
     * by them, and so is every stage that needs it.
     *
     * @throws NullPointerException if an argument is null
     */
    public static Plan of(Pipeline pipeline, Ref ref, Collection<String> changed) {
        checkNotNull(changed, "changed");
        return plan(pipeline, ref, List.copyOf(changed));
    }

    private static Plan plan(Pipeline pipeline, Ref ref, @Nullable Collection<String> changed) {
        checkNotNull(pipeline, "pipeline");
        checkNotNull(ref, "ref");
        boolean triggered = pipeline.triggers().stream().anyMatch(t -> t.accepts(ref));
        Set<String> skipped = new HashSet<>();
        ImmutableList.Builder<Entry> entries = ImmutableList.builder();
        for (Stage s : pipeline.stages()) {
            Optional<String> reason = triggered ? why(s, ref, skipped) : Optional.of("no trigger starts the pipeline for " + ref);
            if (reason.isEmpty() && changed != null && !s.whenChanged().isEmpty()
                    && !PathPattern.selects(s.whenChanged(), changed)) {
                reason = Optional.of("none of the " + changed.size() + " changed paths matches its whenChanged "
                        + s.whenChanged().stream().map(PathPattern::text).toList());
            }
            reason.ifPresent(r -> skipped.add(s.name()));
            entries.add(new Entry(s, reason.isEmpty(), reason));
        }
        return new Plan(pipeline, ref, entries.build());
    }

    private static Optional<String> why(Stage s, Ref ref, Set<String> skipped) {
        if (ref.kind() == Ref.Kind.TAG && !s.filter().hasTagFilter()) {
            return Optional.of("it has no tag filter, and tag pushes run only stages that have one");
        }
        if (!s.filter().accepts(ref)) {
            return Optional.of("its filter (" + s.filter() + ") excludes " + ref);
        }
        if (s.environment().isPresent() && !s.environment().get().filter().accepts(ref)) {
            Environment e = s.environment().get();
            return Optional.of("environment '" + e.name() + "' (" + e.filter() + ") excludes " + ref);
        }
        if (skipped.isEmpty()) {
            return Optional.empty(); // most runs skip nothing: looking each need up would cost a cache miss per need
        }
        for (String need : s.needs()) { // a loop, not a stream: plans of big pipelines are on the hot path
            if (skipped.contains(need)) {
                return Optional.of("it needs '" + need + "', which is skipped");
            }
        }
        return Optional.empty();
    }

    /** The pipeline planned. */
    public Pipeline pipeline() {
        return pipeline;
    }

    /** The branch or tag the run is for. */
    public Ref ref() {
        return ref;
    }

    /** Every stage's decision, in the pipeline's topological order. */
    public List<Entry> entries() {
        return entries;
    }

    /** The entries of the stages that run. */
    public List<Entry> running() {
        return entries.stream().filter(Entry::runs).toList();
    }

    /** The entries of the stages that are skipped. */
    public List<Entry> skipped() {
        return entries.stream().filter(e -> !e.runs()).toList();
    }

    /** Whether the stage called {@code name} runs; false when the pipeline has no such stage. */
    public boolean runs(String name) {
        return entries.stream().anyMatch(e -> e.runs() && e.stage().name().equals(name));
    }
}
