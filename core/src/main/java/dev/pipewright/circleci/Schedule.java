package dev.pipewright.circleci;

import static com.google.common.base.Preconditions.checkNotNull;

import com.google.errorprone.annotations.CanIgnoreReturnValue;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A scheduled trigger's {@code schedule}: a {@code cron} line in UTC and the branches it runs
 * for. Legacy: CircleCI replaces it with scheduled pipelines set up in the project settings.
 *
 * <p>Immutable and null-hostile: builder setters reject null, an absent key reads as an empty
 * {@code Optional} or an empty collection, and a list or map that was set (even empty) is written.
 * Keys the model does not know, and known keys whose values do not fit their field, are kept in
 * {@link #extra()} and written after the typed keys.
 *
 * <pre>{@code
 * Schedule.builder().cron("0 4 * * *").filters(Filters.branches(Patterns.only("main"))).build()
 * }</pre>
 *
 * @since 0.1
 */
public final class Schedule {
    private final @Nullable String cron;
    private final @Nullable PatternFilters filters;
    private final Map<String, @Nullable Object> extra;
    private final Map<String, @Nullable Object> data;

    private Schedule(Builder b) {
        this.cron = b.cron;
        this.filters = b.filters;
        this.extra = Collections.unmodifiableMap(new LinkedHashMap<>(b.extra));
        this.data = new FieldWriter()
                .put("cron", cron)
                .put("filters", filters, PatternFilters::toData)
                .build(extra);
    }

    /** An empty builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this value's fields. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.cron = cron;
        b.filters = filters;
        b.extra.putAll(extra);
        return b;
    }

    /** {@code cron}: when to run, as a five-field cron line in UTC. */
    public Optional<String> cron() {
        return Optional.ofNullable(cron);
    }

    /** {@code filters}: the branches to run on. */
    public Optional<PatternFilters> filters() {
        return Optional.ofNullable(filters);
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
    static Schedule fromData(Map<?, ?> map, String path, Warnings warnings) {
        FieldReader r = new FieldReader(map, path, warnings, "a schedule");
        Builder b = builder();
        r.read("cron", Shape.STRING, b::cron);
        r.read("filters", PatternFilters.SHAPE, b::filters);
        return b.extra(r.extra()).build();
    }

    static final Shape<Schedule> SHAPE = Shape.mapping("a mapping (a schedule)", Schedule::fromData);

    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof Schedule o
                && Objects.equals(cron, o.cron)
                && Objects.equals(filters, o.filters)
                && extra.equals(o.extra);
    }

    @Override
    public int hashCode() {
        return Objects.hash(cron, filters, extra);
    }

    /** The data, for debugging. */
    @Override
    public String toString() {
        return "Schedule" + toData();
    }

    /** Builds {@link Schedule}; mutable, not thread-safe. */
    public static final class Builder {
        private @Nullable String cron;
        private @Nullable PatternFilters filters;
        private final Map<String, @Nullable Object> extra = new LinkedHashMap<>();

        private Builder() {
        }

        /** Sets {@code cron}: when to run, as a five-field cron line in UTC. */
        @CanIgnoreReturnValue
        public Builder cron(String cron) {
            this.cron = checkNotNull(cron, "cron");
            return this;
        }

        /** Sets {@code filters}: the branches to run on. */
        @CanIgnoreReturnValue
        public Builder filters(PatternFilters filters) {
            this.filters = checkNotNull(filters, "filters");
            return this;
        }

        /** Replaces the kept keys; see {@link Schedule#extra()}. Values are copied as plain data. */
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
        public Schedule build() {
            return new Schedule(this);
        }
    }
}
