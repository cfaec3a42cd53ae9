package dev.pipewright.circleci;

import static com.google.common.base.Preconditions.checkArgument;
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
 * A parameter declaration under {@code parameters}: of the configuration (pipeline parameters,
 * read as {@code << pipeline.parameters.x >>}: string, boolean, integer or enum) or of a command, job
 * or executor (read as {@code << parameters.x >>}: any {@link ParameterType}).
 *
 * <p>A default is kept as written: a string, number or boolean, or, for a {@code steps} parameter,
 * a list of {@link CircleCiStep}s.
 *
 * <p>Immutable and null-hostile: builder setters reject null, an absent key reads as an empty
 * {@code Optional} or an empty collection, and a list or map that was set (even empty) is written.
 * Keys the model does not know, and known keys whose values do not fit their field, are kept in
 * {@link #extra()} and written after the typed keys.
 *
 * <pre>{@code
 * Parameter.builder().type(ParameterType.ENUM).enumValues(List.of("dev", "prod")).defaultValue("dev").build()
 * }</pre>
 *
 * @since 0.1
 */
public final class Parameter {
    private final @Nullable ParameterType type;
    private final @Nullable Object defaultValue;
    private final @Nullable String description;
    private final @Nullable List<String> enumValues;
    private final Map<String, @Nullable Object> extra;
    private final Map<String, @Nullable Object> data;

    private Parameter(Builder b) {
        this.type = b.type;
        this.defaultValue = b.defaultValue;
        this.description = b.description;
        this.enumValues = b.enumValues == null ? null : List.copyOf(b.enumValues);
        this.extra = Collections.unmodifiableMap(new LinkedHashMap<>(b.extra));
        checkArgument(!(defaultValue instanceof List) || type == ParameterType.STEPS,
                "a list of steps is the default of a steps parameter only, not of type %s", type);
        this.data = new FieldWriter()
                .put("type", type, ParameterType::keyword)
                .put("default", defaultValue instanceof List<?> steps
                        ? steps.stream().map(s -> FieldWriter.data((CircleCiStep) s)).toList() : defaultValue)
                .put("description", description)
                .put("enum", enumValues)
                .build(extra);
    }

    /** A parameter with only its type. */
    public static Parameter of(ParameterType type) {
        return builder().type(type).build();
    }

    /** An empty builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this value's fields. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.type = type;
        b.defaultValue = defaultValue;
        b.description = description;
        b.enumValues = enumValues == null ? null : new ArrayList<>(enumValues);
        b.extra.putAll(extra);
        return b;
    }

    /** {@code type}: the parameter's type. */
    public Optional<ParameterType> type() {
        return Optional.ofNullable(type);
    }

    /**
     * {@code default}: a {@code String}, {@code Long}, {@code Double}, {@code Boolean} or
     * {@code BigInteger} as written, or, for a {@code steps} parameter, a {@code List<CircleCiStep>}.
     */
    public Optional<Object> defaultValue() {
        return Optional.ofNullable(defaultValue);
    }

    /** {@code description}: what the parameter is for. */
    public Optional<String> description() {
        return Optional.ofNullable(description);
    }

    /** {@code enum}: the allowed values of an {@code enum} parameter. Empty when absent. */
    public List<String> enumValues() {
        return enumValues == null ? List.of() : enumValues;
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
    static Parameter fromData(Map<?, ?> map, String path, Warnings warnings) {
        FieldReader r = new FieldReader(map, path, warnings, "a parameter");
        Builder b = builder();
        r.read("type", ParameterType.SHAPE, b::type);
        r.read("default", b.type == ParameterType.STEPS ? STEPS_DEFAULT : Shape.SCALAR, b::defaultValue);
        r.read("description", Shape.STRING, b::description);
        r.read("enum", Shape.STRINGS, b::enumValues);
        return b.extra(r.extra()).build();
    }

    static final Shape<Parameter> SHAPE = Shape.mapping("a mapping (a parameter)", Parameter::fromData);

    private static final Shape<Object> STEPS_DEFAULT = new Shape<>("a list of steps or a single value",
            (v, p, w) -> v instanceof List ? Shape.STEPS.read(v, p, w) : Shape.SCALAR.read(v, p, w));

    /** A {@code parameters} section: declarations by name. */
    static final Shape<Map<String, Parameter>> SECTION = Shape.namedOf("a mapping of parameter names to declarations",
            Shape.mapping("a mapping", Parameter::fromData));

    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof Parameter o
                && Objects.equals(type, o.type)
                && Objects.equals(defaultValue, o.defaultValue)
                && Objects.equals(description, o.description)
                && Objects.equals(enumValues, o.enumValues)
                && extra.equals(o.extra);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, defaultValue, description, enumValues, extra);
    }

    /** The data, for debugging. */
    @Override
    public String toString() {
        return "Parameter" + toData();
    }

    /** Builds {@link Parameter}; mutable, not thread-safe. */
    public static final class Builder {
        private @Nullable ParameterType type;
        private @Nullable Object defaultValue;
        private @Nullable String description;
        private @Nullable List<String> enumValues;
        private final Map<String, @Nullable Object> extra = new LinkedHashMap<>();

        private Builder() {
        }

        /** Sets {@code type}: the parameter's type. */
        @CanIgnoreReturnValue
        public Builder type(ParameterType type) {
            this.type = checkNotNull(type, "type");
            return this;
        }

        /**
         * Sets {@code default}: a string, number or boolean (numbers are kept as {@code Long} or
         * {@code Double}), or a {@code List<CircleCiStep>} for a {@code steps} parameter.
         *
         * @throws IllegalArgumentException for anything else
         */
        @CanIgnoreReturnValue
        public Builder defaultValue(Object value) {
            checkNotNull(value, "value");
            if (value instanceof List<?> list) {
                checkArgument(list.stream().allMatch(s -> s instanceof CircleCiStep), "a list default is a list of steps");
                this.defaultValue = List.copyOf(list);
            } else {
                checkArgument(PlainData.isScalar(value),
                        "a default is a string, number, boolean or list of steps but was %s", value);
                this.defaultValue = PlainData.copy(value);
            }
            return this;
        }

        /** Sets {@code description}: what the parameter is for. */
        @CanIgnoreReturnValue
        public Builder description(String description) {
            this.description = checkNotNull(description, "description");
            return this;
        }

        /**
         * Replaces {@code enum}: the allowed values of an {@code enum} parameter; an empty list is
         * written as {@code []}.
         */
        @CanIgnoreReturnValue
        public Builder enumValues(List<? extends String> enumValues) {
            this.enumValues = new ArrayList<>(List.copyOf(enumValues));
            return this;
        }

        /** Appends to {@code enum}. */
        @CanIgnoreReturnValue
        public Builder addEnumValue(String enumValue) {
            if (this.enumValues == null) {
                this.enumValues = new ArrayList<>();
            }
            this.enumValues.add(checkNotNull(enumValue, "enumValue"));
            return this;
        }

        /** Replaces the kept keys; see {@link Parameter#extra()}. Values are copied as plain data. */
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
         * @throws IllegalArgumentException when a kept key is also set as a typed field, or when a
         *     list of steps is the default of a parameter that is not of type steps
         */
        public Parameter build() {
            return new Parameter(this);
        }
    }
}
