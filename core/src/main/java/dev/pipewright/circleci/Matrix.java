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
 * A workflow job's {@code matrix}: runs the job once per combination of parameter values, less
 * the combinations {@code exclude} lists; the invocations are named with {@code << matrix.p >>} and
 * {@code requires: [alias]} waits for all of them.
 *
 * <p>Immutable and null-hostile: builder setters reject null, an absent key reads as an empty
 * {@code Optional} or an empty collection, and a list or map that was set (even empty) is written.
 * Keys the model does not know, and known keys whose values do not fit their field, are kept in
 * {@link #extra()} and written after the typed keys.
 *
 * <pre>{@code
 * Matrix.builder().putParameter("jdk", List.of("17", "21")).alias("test-all").build()
 * }</pre>
 *
 * @since 0.1
 */
public final class Matrix {
    private final @Nullable Map<String, List<@Nullable Object>> parameters;
    private final @Nullable List<Map<String, @Nullable Object>> exclude;
    private final @Nullable String alias;
    private final Map<String, @Nullable Object> extra;
    private final Map<String, @Nullable Object> data;

    private Matrix(Builder b) {
        this.parameters = b.parameters == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(b.parameters));
        this.exclude = b.exclude == null ? null : Collections.unmodifiableList(new ArrayList<>(b.exclude));
        this.alias = b.alias;
        this.extra = Collections.unmodifiableMap(new LinkedHashMap<>(b.extra));
        this.data = new FieldWriter()
                .put("parameters", parameters)
                .put("exclude", exclude)
                .put("alias", alias)
                .build(extra);
    }

    /** An empty builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this value's fields. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.parameters = parameters == null ? null : new LinkedHashMap<>(parameters);
        b.exclude = exclude == null ? null : new ArrayList<>(exclude);
        b.alias = alias;
        b.extra.putAll(extra);
        return b;
    }

    /**
     * {@code parameters}: each parameter's values, in order, as plain data (strings, numbers,
     * booleans...). Empty when absent.
     */
    public Map<String, List<@Nullable Object>> parameters() {
        return parameters == null ? Map.of() : parameters;
    }

    /** {@code exclude}: combinations not to run, each a map of parameter values. Empty when absent. */
    public List<Map<String, @Nullable Object>> exclude() {
        return exclude == null ? List.of() : exclude;
    }

    /** {@code alias}: the name that stands for every invocation, for {@code requires}. */
    public Optional<String> alias() {
        return Optional.ofNullable(alias);
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
    static Matrix fromData(Map<?, ?> map, String path, Warnings warnings) {
        FieldReader r = new FieldReader(map, path, warnings, "a matrix");
        Builder b = builder();
        r.read("parameters", PARAMETERS, b::parameters);
        r.read("exclude", EXCLUDE, b::exclude);
        r.read("alias", Shape.STRING, b::alias);
        return b.extra(r.extra()).build();
    }

    static final Shape<Matrix> SHAPE = Shape.mapping("a mapping (a matrix)", Matrix::fromData);

    @SuppressWarnings("unchecked")
    private static final Shape<Map<String, List<@Nullable Object>>> PARAMETERS = new Shape<>(
            "a mapping of parameter names to lists of values",
            (v, p, w) -> v instanceof Map<?, ?> m && m.values().stream().allMatch(l -> l instanceof List)
                    ? (Map<String, List<@Nullable Object>>) (Map<?, ?>) PlainData.copyMap(m) : null);

    private static final Shape<List<Map<String, @Nullable Object>>> EXCLUDE = Shape.listOf("a list of mappings",
            Shape.DATA_MAP);

    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof Matrix o
                && Objects.equals(parameters, o.parameters)
                && Objects.equals(exclude, o.exclude)
                && Objects.equals(alias, o.alias)
                && extra.equals(o.extra);
    }

    @Override
    public int hashCode() {
        return Objects.hash(parameters, exclude, alias, extra);
    }

    /** The data, for debugging. */
    @Override
    public String toString() {
        return "Matrix" + toData();
    }

    /** Builds {@link Matrix}; mutable, not thread-safe. */
    public static final class Builder {
        private @Nullable Map<String, List<@Nullable Object>> parameters;
        private @Nullable List<Map<String, @Nullable Object>> exclude;
        private @Nullable String alias;
        private final Map<String, @Nullable Object> extra = new LinkedHashMap<>();

        private Builder() {
        }

        /** Replaces {@code parameters}; the values are copied as plain data. */
        @CanIgnoreReturnValue
        public Builder parameters(Map<String, ? extends List<?>> parameters) {
            checkNotNull(parameters, "parameters");
            this.parameters = new LinkedHashMap<>();
            parameters.forEach(this::putParameter);
            return this;
        }

        /** Adds or replaces one parameter's values; the values are copied as plain data. */
        @CanIgnoreReturnValue
        @SuppressWarnings("unchecked")
        public Builder putParameter(String name, List<?> values) {
            if (this.parameters == null) {
                this.parameters = new LinkedHashMap<>();
            }
            List<@Nullable Object> copy = (List<@Nullable Object>) PlainData.copy(checkNotNull(values, "values"));
            this.parameters.put(checkNotNull(name, "name"), copy);
            return this;
        }

        /** Replaces {@code exclude}; the combinations are copied as plain data. */
        @CanIgnoreReturnValue
        public Builder exclude(List<? extends Map<String, ?>> exclude) {
            checkNotNull(exclude, "exclude");
            this.exclude = new ArrayList<>();
            exclude.forEach(this::addExclude);
            return this;
        }

        /** Appends a combination to {@code exclude}. */
        @CanIgnoreReturnValue
        public Builder addExclude(Map<String, ?> combination) {
            if (this.exclude == null) {
                this.exclude = new ArrayList<>();
            }
            this.exclude.add(PlainData.copyMap(checkNotNull(combination, "combination")));
            return this;
        }

        /** Sets {@code alias}: the name that stands for every invocation, for {@code requires}. */
        @CanIgnoreReturnValue
        public Builder alias(String alias) {
            this.alias = checkNotNull(alias, "alias");
            return this;
        }

        /** Replaces the kept keys; see {@link Matrix#extra()}. Values are copied as plain data. */
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
        public Matrix build() {
            return new Matrix(this);
        }
    }
}
