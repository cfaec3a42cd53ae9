package dev.pipewright.circleci;

import static com.google.common.base.Preconditions.checkNotNull;

import com.google.errorprone.annotations.CanIgnoreReturnValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A workflow under {@code workflows}: job invocations, ordered by their {@code requires}, run
 * when its condition allows, and (legacy) on a schedule.
 *
 * <p>Immutable and null-hostile: builder setters reject null, an absent key reads as an empty
 * {@code Optional} or an empty collection, and a list or map that was set (even empty) is written.
 * Keys the model does not know, and known keys whose values do not fit their field, are kept in
 * {@link #extra()} and written after the typed keys.
 *
 * <pre>{@code
 * Workflow.builder()
 *     .addJob(WorkflowJob.of("build"))
 *     .addJob(WorkflowJob.builder("deploy").addRequires("build").context("prod").build())
 *     .build()
 * }</pre>
 *
 * @since 0.1
 */
public final class Workflow {
    private final @Nullable List<WorkflowJob> jobs;
    private final @Nullable Condition when;
    private final @Nullable Condition unless;
    private final @Nullable List<WorkflowTrigger> triggers;
    private final @Nullable Interpolable<Integer> maxAutoReruns;
    private final Map<String, @Nullable Object> extra;
    private final Map<String, @Nullable Object> data;

    private Workflow(Builder b) {
        this.jobs = b.jobs == null ? null : List.copyOf(b.jobs);
        this.when = b.when;
        this.unless = b.unless;
        this.triggers = b.triggers == null ? null : List.copyOf(b.triggers);
        this.maxAutoReruns = b.maxAutoReruns;
        this.extra = Collections.unmodifiableMap(new LinkedHashMap<>(b.extra));
        this.data = new FieldWriter()
                .putList("jobs", jobs, WorkflowJob::toData)
                .put("when", when, FieldWriter::data)
                .put("unless", unless, FieldWriter::data)
                .putList("triggers", triggers, WorkflowTrigger::toData)
                .put("max_auto_reruns", maxAutoReruns)
                .build(extra);
    }

    /** An empty builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this value's fields. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.jobs = jobs == null ? null : new ArrayList<>(jobs);
        b.when = when;
        b.unless = unless;
        b.triggers = triggers == null ? null : new ArrayList<>(triggers);
        b.maxAutoReruns = maxAutoReruns;
        b.extra.putAll(extra);
        return b;
    }

    /** {@code jobs}: the job invocations. Empty when absent. */
    public List<WorkflowJob> jobs() {
        return jobs == null ? List.of() : jobs;
    }

    /** {@code when}: run the workflow only when this holds. */
    public Optional<Condition> when() {
        return Optional.ofNullable(when);
    }

    /** {@code unless}: run the workflow only when this does not hold. */
    public Optional<Condition> unless() {
        return Optional.ofNullable(unless);
    }

    /** {@code triggers}: legacy scheduled triggers. Empty when absent. */
    public List<WorkflowTrigger> triggers() {
        return triggers == null ? List.of() : triggers;
    }

    /** {@code max_auto_reruns}: how often failed jobs are rerun automatically, 1 to 5. */
    public Optional<Interpolable<Integer>> maxAutoReruns() {
        return Optional.ofNullable(maxAutoReruns);
    }

    /** Keys the model does not know, and known keys whose values did not fit, as written. */
    public Map<String, @Nullable Object> extra() {
        return extra;
    }

    /** The value as data: an ordered, unmodifiable mapping. */
    Map<String, @Nullable Object> toData() {
        return data;
    }

    /** Reads a mapping; keys that do not fit are kept in {@link #extra()} with a warning. */
    static Workflow fromData(Map<?, ?> map, String path, Warnings warnings) {
        FieldReader r = new FieldReader(map, path, warnings, "a workflow");
        Builder b = builder();
        r.read("jobs", WorkflowJob.LIST, b::jobs);
        r.read("when", Shape.CONDITION, b::when);
        r.read("unless", Shape.CONDITION, b::unless);
        r.read("triggers", WorkflowTrigger.LIST, b::triggers);
        r.read("max_auto_reruns", Shape.INTEGER, b::maxAutoReruns);
        return b.extra(r.extra()).build();
    }

    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof Workflow o
                && Objects.equals(jobs, o.jobs)
                && Objects.equals(when, o.when)
                && Objects.equals(unless, o.unless)
                && Objects.equals(triggers, o.triggers)
                && Objects.equals(maxAutoReruns, o.maxAutoReruns)
                && extra.equals(o.extra);
    }

    @Override
    public int hashCode() {
        return Objects.hash(jobs, when, unless, triggers, maxAutoReruns, extra);
    }

    /** The data, for debugging. */
    @Override
    public String toString() {
        return "Workflow" + toData();
    }

    /** Builds {@link Workflow}; mutable, not thread-safe. */
    public static final class Builder {
        private @Nullable List<WorkflowJob> jobs;
        private @Nullable Condition when;
        private @Nullable Condition unless;
        private @Nullable List<WorkflowTrigger> triggers;
        private @Nullable Interpolable<Integer> maxAutoReruns;
        private final Map<String, @Nullable Object> extra = new LinkedHashMap<>();

        private Builder() {
        }

        /** Replaces {@code jobs}: the job invocations; an empty list is written as {@code []}. */
        @CanIgnoreReturnValue
        public Builder jobs(List<? extends WorkflowJob> jobs) {
            this.jobs = new ArrayList<>(List.copyOf(jobs));
            return this;
        }

        /** Appends to {@code jobs}. */
        @CanIgnoreReturnValue
        public Builder addJob(WorkflowJob job) {
            if (this.jobs == null) {
                this.jobs = new ArrayList<>();
            }
            this.jobs.add(checkNotNull(job, "job"));
            return this;
        }

        /** Sets {@code when}: run the workflow only when this holds. */
        @CanIgnoreReturnValue
        public Builder when(Condition when) {
            this.when = checkNotNull(when, "when");
            return this;
        }

        /** Sets {@code unless}: run the workflow only when this does not hold. */
        @CanIgnoreReturnValue
        public Builder unless(Condition unless) {
            this.unless = checkNotNull(unless, "unless");
            return this;
        }

        /** Replaces {@code triggers}: legacy scheduled triggers; an empty list is written as {@code []}. */
        @CanIgnoreReturnValue
        public Builder triggers(List<? extends WorkflowTrigger> triggers) {
            this.triggers = new ArrayList<>(List.copyOf(triggers));
            return this;
        }

        /** Appends to {@code triggers}. */
        @CanIgnoreReturnValue
        public Builder addTrigger(WorkflowTrigger trigger) {
            if (this.triggers == null) {
                this.triggers = new ArrayList<>();
            }
            this.triggers.add(checkNotNull(trigger, "trigger"));
            return this;
        }

        /** Sets {@code max_auto_reruns}: how often failed jobs are rerun automatically, 1 to 5. */
        @CanIgnoreReturnValue
        public Builder maxAutoReruns(int maxAutoReruns) {
            this.maxAutoReruns = Interpolable.of(maxAutoReruns);
            return this;
        }

        /** Sets {@code max_auto_reruns} as written: an integer or an interpolation. */
        @CanIgnoreReturnValue
        public Builder maxAutoReruns(Interpolable<Integer> maxAutoReruns) {
            this.maxAutoReruns = checkNotNull(maxAutoReruns, "maxAutoReruns");
            return this;
        }

        /** Appends an invocation of the job {@code name}, with no further keys. */
        @CanIgnoreReturnValue
        public Builder addJob(String name) {
            return addJob(WorkflowJob.of(name));
        }

        /** Replaces the kept keys; see {@link Workflow#extra()}. Values are copied as plain data. */
        @CanIgnoreReturnValue
        public Builder extra(Map<String, ?> extra) {
            this.extra.clear();
            this.extra.putAll(PlainData.copyMap(extra));
            return this;
        }

        /** Adds a kept key, written after the typed ones; the value is copied as plain data. */
        @CanIgnoreReturnValue
        public Builder putExtra(String key, @Nullable Object value) {
            this.extra.put(checkNotNull(key, "key"), PlainData.copy(value));
            return this;
        }

        /**
         * The value.
         *
         * @throws IllegalArgumentException when a kept key is also set as a typed field
         */
        public Workflow build() {
            return new Workflow(this);
        }
    }
}
