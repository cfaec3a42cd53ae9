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
 * A named set of workflow job invocations under {@code job-groups}, used as one unit (and
 * serialisable with {@code serial-group}).
 *
 * <p>Immutable and null-hostile: builder setters reject null, an absent key reads as an empty
 * {@code Optional} or an empty collection, and a list or map that was set (even empty) is written.
 * Keys the model does not know, and known keys whose values do not fit their field, are kept in
 * {@link #extra()} and written after the typed keys.
 *
 * <pre>{@code
 * JobGroup.builder().addJob(WorkflowJob.of("deploy-api")).addJob(WorkflowJob.of("deploy-web")).build()
 * }</pre>
 *
 * @since 0.1
 */
public final class JobGroup {
    private final @Nullable List<WorkflowJob> jobs;
    private final Map<String, @Nullable Object> extra;
    private final Map<String, @Nullable Object> data;

    private JobGroup(Builder b) {
        this.jobs = b.jobs == null ? null : List.copyOf(b.jobs);
        this.extra = Collections.unmodifiableMap(new LinkedHashMap<>(b.extra));
        this.data = new FieldWriter()
                .putList("jobs", jobs, WorkflowJob::toData)
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
        b.extra.putAll(extra);
        return b;
    }

    /** {@code jobs}: the job invocations. Empty when absent. */
    public List<WorkflowJob> jobs() {
        return jobs == null ? List.of() : jobs;
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
    static JobGroup fromData(Map<?, ?> map, String path, Warnings warnings) {
        FieldReader r = new FieldReader(map, path, warnings, "a job group");
        Builder b = builder();
        r.read("jobs", WorkflowJob.LIST, b::jobs);
        return b.extra(r.extra()).build();
    }

    static final Shape<JobGroup> SHAPE = Shape.mapping("a mapping (a job group)", JobGroup::fromData);

    /** A {@code job-groups} section: groups by name. */
    static final Shape<Map<String, JobGroup>> SECTION = Shape.namedOf("a mapping of group names to job groups (mappings)",
            SHAPE);

    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof JobGroup o
                && Objects.equals(jobs, o.jobs)
                && extra.equals(o.extra);
    }

    @Override
    public int hashCode() {
        return Objects.hash(jobs, extra);
    }

    /** The data, for debugging. */
    @Override
    public String toString() {
        return "JobGroup" + toData();
    }

    /** Builds {@link JobGroup}; mutable, not thread-safe. */
    public static final class Builder {
        private @Nullable List<WorkflowJob> jobs;
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

        /** Replaces the kept keys; see {@link JobGroup#extra()}. Values are copied as plain data. */
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
        public JobGroup build() {
            return new JobGroup(this);
        }
    }
}
