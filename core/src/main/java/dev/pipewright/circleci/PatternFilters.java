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
 * Filters as a mapping, {@code {branches: {only, ignore}, tags: {only, ignore}}}. A job with
 * no tag filter does not run for tags; CircleCI's configuration reference now prefers
 * {@linkplain ExpressionFilter expressions}.
 *
 * <p>Immutable and null-hostile: builder setters reject null, an absent key reads as an empty
 * {@code Optional} or an empty collection, and a list or map that was set (even empty) is written.
 * Keys the model does not know, and known keys whose values do not fit their field, are kept in
 * {@link #extra()} and written after the typed keys.
 *
 * <pre>{@code
 * Filters.branches(Patterns.only("main"))
 * }</pre>
 *
 * @since 0.1
 */
public final class PatternFilters implements Filters {
    private final @Nullable Patterns branches;
    private final @Nullable Patterns tags;
    private final Map<String, @Nullable Object> extra;
    private final Map<String, @Nullable Object> data;

    private PatternFilters(Builder b) {
        this.branches = b.branches;
        this.tags = b.tags;
        this.extra = Collections.unmodifiableMap(new LinkedHashMap<>(b.extra));
        this.data = new FieldWriter()
                .put("branches", branches, Patterns::toData)
                .put("tags", tags, Patterns::toData)
                .build(extra);
    }

    /** An empty builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this value's fields. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.branches = branches;
        b.tags = tags;
        b.extra.putAll(extra);
        return b;
    }

    /** {@code branches}: the branches to run for or not. */
    public Optional<Patterns> branches() {
        return Optional.ofNullable(branches);
    }

    /** {@code tags}: the tags to run for or not. */
    public Optional<Patterns> tags() {
        return Optional.ofNullable(tags);
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
    static PatternFilters fromData(Map<?, ?> map, String path, Warnings warnings) {
        FieldReader r = new FieldReader(map, path, warnings, "branch and tag filters");
        Builder b = builder();
        r.read("branches", Patterns.SHAPE, b::branches);
        r.read("tags", Patterns.SHAPE, b::tags);
        return b.extra(r.extra()).build();
    }

    static final Shape<PatternFilters> SHAPE = Shape.mapping(
            "a mapping (branch and tag filters)", PatternFilters::fromData);

    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof PatternFilters o
                && Objects.equals(branches, o.branches)
                && Objects.equals(tags, o.tags)
                && extra.equals(o.extra);
    }

    @Override
    public int hashCode() {
        return Objects.hash(branches, tags, extra);
    }

    /** The data, for debugging. */
    @Override
    public String toString() {
        return "PatternFilters" + toData();
    }

    /** Builds {@link PatternFilters}; mutable, not thread-safe. */
    public static final class Builder {
        private @Nullable Patterns branches;
        private @Nullable Patterns tags;
        private final Map<String, @Nullable Object> extra = new LinkedHashMap<>();

        private Builder() {
        }

        /** Sets {@code branches}: the branches to run for or not. */
        @CanIgnoreReturnValue
        public Builder branches(Patterns branches) {
            this.branches = checkNotNull(branches, "branches");
            return this;
        }

        /** Sets {@code tags}: the tags to run for or not. */
        @CanIgnoreReturnValue
        public Builder tags(Patterns tags) {
            this.tags = checkNotNull(tags, "tags");
            return this;
        }

        /** Replaces the kept keys; see {@link PatternFilters#extra()}. Values are copied as plain data. */
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
        public PatternFilters build() {
            return new PatternFilters(this);
        }
    }
}
