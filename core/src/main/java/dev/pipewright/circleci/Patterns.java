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
 * Branch or tag patterns, {@code {only, ignore}}: names or {@code /regex/} patterns that
 * must match the whole name. Used by workflow job {@linkplain PatternFilters filters}, schedule
 * filters and the legacy job-level {@code branches}.
 *
 * <p>Immutable and null-hostile: builder setters reject null, an absent key reads as an empty
 * {@code Optional} or an empty collection, and a list or map that was set (even empty) is written.
 * Keys the model does not know, and known keys whose values do not fit their field, are kept in
 * {@link #extra()} and written after the typed keys.
 *
 * <pre>{@code
 * Patterns.only("main", "/release-.+/")
 * }</pre>
 *
 * @since 0.1
 */
public final class Patterns {
    private final @Nullable List<String> only;
    private final @Nullable List<String> ignore;
    private final Map<String, @Nullable Object> extra;
    private final Map<String, @Nullable Object> data;

    private Patterns(Builder b) {
        this.only = b.only == null ? null : List.copyOf(b.only);
        this.ignore = b.ignore == null ? null : List.copyOf(b.ignore);
        this.extra = Collections.unmodifiableMap(new LinkedHashMap<>(b.extra));
        this.data = new FieldWriter()
                .put("only", only)
                .put("ignore", ignore)
                .build(extra);
    }

    /** {@code {only: [patterns]}}. */
    public static Patterns only(String... patterns) {
        return builder().only(List.of(patterns)).build();
    }

    /** {@code {ignore: [patterns]}}. */
    public static Patterns ignore(String... patterns) {
        return builder().ignore(List.of(patterns)).build();
    }

    /** An empty builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this value's fields. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.only = only == null ? null : new ArrayList<>(only);
        b.ignore = ignore == null ? null : new ArrayList<>(ignore);
        b.extra.putAll(extra);
        return b;
    }

    /** {@code only}: the names or patterns to run for. Empty when absent. */
    public List<String> only() {
        return only == null ? List.of() : only;
    }

    /** {@code ignore}: the names or patterns not to run for. Empty when absent. */
    public List<String> ignore() {
        return ignore == null ? List.of() : ignore;
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
    static Patterns fromData(Map<?, ?> map, String path, Warnings warnings) {
        FieldReader r = new FieldReader(map, path, warnings, "branch or tag patterns");
        Builder b = builder();
        r.read("only", Shape.STRINGS, b::only);
        r.read("ignore", Shape.STRINGS, b::ignore);
        return b.extra(r.extra()).build();
    }

    static final Shape<Patterns> SHAPE = Shape.mapping("a mapping (branch or tag patterns)", Patterns::fromData);

    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof Patterns o
                && Objects.equals(only, o.only)
                && Objects.equals(ignore, o.ignore)
                && extra.equals(o.extra);
    }

    @Override
    public int hashCode() {
        return Objects.hash(only, ignore, extra);
    }

    /** The data, for debugging. */
    @Override
    public String toString() {
        return "Patterns" + toData();
    }

    /** Builds {@link Patterns}; mutable, not thread-safe. */
    public static final class Builder {
        private @Nullable List<String> only;
        private @Nullable List<String> ignore;
        private final Map<String, @Nullable Object> extra = new LinkedHashMap<>();

        private Builder() {
        }

        /** Replaces {@code only}: the names or patterns to run for; an empty list is written as {@code []}. */
        @CanIgnoreReturnValue
        public Builder only(List<? extends String> only) {
            this.only = new ArrayList<>(List.copyOf(only));
            return this;
        }

        /** Appends to {@code only}. */
        @CanIgnoreReturnValue
        public Builder addOnly(String only) {
            if (this.only == null) {
                this.only = new ArrayList<>();
            }
            this.only.add(checkNotNull(only, "only"));
            return this;
        }

        /** Replaces {@code ignore}: the names or patterns not to run for; an empty list is written as {@code []}. */
        @CanIgnoreReturnValue
        public Builder ignore(List<? extends String> ignore) {
            this.ignore = new ArrayList<>(List.copyOf(ignore));
            return this;
        }

        /** Appends to {@code ignore}. */
        @CanIgnoreReturnValue
        public Builder addIgnore(String ignore) {
            if (this.ignore == null) {
                this.ignore = new ArrayList<>();
            }
            this.ignore.add(checkNotNull(ignore, "ignore"));
            return this;
        }

        /** Replaces the kept keys; see {@link Patterns#extra()}. Values are copied as plain data. */
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
        public Patterns build() {
            return new Patterns(this);
        }
    }
}
