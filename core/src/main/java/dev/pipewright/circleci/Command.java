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
 * A reusable command under {@code commands}: parameters and the steps they are used in, invoked
 * as a step by name ({@link CircleCiStep#command(String)}).
 *
 * <p>Immutable and null-hostile: builder setters reject null, an absent key reads as an empty
 * {@code Optional} or an empty collection, and a list or map that was set (even empty) is written.
 * Keys the model does not know, and known keys whose values do not fit their field, are kept in
 * {@link #extra()} and written after the typed keys.
 *
 * <pre>{@code
 * Command.builder()
 *     .putParameter("target", Parameter.of(ParameterType.STRING))
 *     .addStep(CircleCiStep.run("make << parameters.target >>"))
 *     .build()
 * }</pre>
 *
 * @since 0.1
 */
public final class Command {
    private final @Nullable String description;
    private final @Nullable Map<String, Parameter> parameters;
    private final @Nullable List<CircleCiStep> steps;
    private final Map<String, @Nullable Object> extra;
    private final Map<String, @Nullable Object> data;

    private Command(Builder b) {
        this.description = b.description;
        this.parameters = b.parameters == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(b.parameters));
        this.steps = b.steps == null ? null : List.copyOf(b.steps);
        this.extra = Collections.unmodifiableMap(new LinkedHashMap<>(b.extra));
        this.data = new FieldWriter()
                .put("description", description)
                .putMap("parameters", parameters, Parameter::toData)
                .putList("steps", steps, FieldWriter::data)
                .build(extra);
    }

    /** An empty builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this value's fields. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.description = description;
        b.parameters = parameters == null ? null : new LinkedHashMap<>(parameters);
        b.steps = steps == null ? null : new ArrayList<>(steps);
        b.extra.putAll(extra);
        return b;
    }

    /** {@code description}: what the command does. */
    public Optional<String> description() {
        return Optional.ofNullable(description);
    }

    /** {@code parameters}: declared parameters by name, in order. Empty when absent. */
    public Map<String, Parameter> parameters() {
        return parameters == null ? Map.of() : parameters;
    }

    /** {@code steps}: the steps, in order. Empty when absent. */
    public List<CircleCiStep> steps() {
        return steps == null ? List.of() : steps;
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
    static Command fromData(Map<?, ?> map, String path, Warnings warnings) {
        FieldReader r = new FieldReader(map, path, warnings, "a command");
        Builder b = builder();
        r.read("description", Shape.STRING, b::description);
        r.read("parameters", Parameter.SECTION, b::parameters);
        r.read("steps", Shape.STEPS, b::steps);
        return b.extra(r.extra()).build();
    }

    static final Shape<Command> SHAPE = Shape.mapping("a mapping (a command)", Command::fromData);

    /** A {@code commands} section: commands by name. */
    static final Shape<Map<String, Command>> SECTION = Shape.namedOf("a mapping of command names to commands (mappings)",
            SHAPE);

    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof Command o
                && Objects.equals(description, o.description)
                && Objects.equals(parameters, o.parameters)
                && Objects.equals(steps, o.steps)
                && extra.equals(o.extra);
    }

    @Override
    public int hashCode() {
        return Objects.hash(description, parameters, steps, extra);
    }

    /** The data, for debugging. */
    @Override
    public String toString() {
        return "Command" + toData();
    }

    /** Builds {@link Command}; mutable, not thread-safe. */
    public static final class Builder {
        private @Nullable String description;
        private @Nullable Map<String, Parameter> parameters;
        private @Nullable List<CircleCiStep> steps;
        private final Map<String, @Nullable Object> extra = new LinkedHashMap<>();

        private Builder() {
        }

        /** Sets {@code description}: what the command does. */
        @CanIgnoreReturnValue
        public Builder description(String description) {
            this.description = checkNotNull(description, "description");
            return this;
        }

        /**
         * Replaces {@code parameters}: declared parameters by name, in order; an empty map is
         * written as {@code {}}.
         */
        @CanIgnoreReturnValue
        public Builder parameters(Map<String, ? extends Parameter> parameters) {
            checkNotNull(parameters, "parameters");
            this.parameters = new LinkedHashMap<>();
            parameters.forEach((k, v) -> this.parameters.put(checkNotNull(k, "name"), checkNotNull(v, "parameter")));
            return this;
        }

        /** Adds or replaces one entry of {@code parameters}, keeping the order of first addition. */
        @CanIgnoreReturnValue
        public Builder putParameter(String name, Parameter parameter) {
            if (this.parameters == null) {
                this.parameters = new LinkedHashMap<>();
            }
            this.parameters.put(checkNotNull(name, "name"), checkNotNull(parameter, "parameter"));
            return this;
        }

        /** Replaces {@code steps}: the steps, in order; an empty list is written as {@code []}. */
        @CanIgnoreReturnValue
        public Builder steps(List<? extends CircleCiStep> steps) {
            this.steps = new ArrayList<>(List.copyOf(steps));
            return this;
        }

        /** Appends to {@code steps}. */
        @CanIgnoreReturnValue
        public Builder addStep(CircleCiStep step) {
            if (this.steps == null) {
                this.steps = new ArrayList<>();
            }
            this.steps.add(checkNotNull(step, "step"));
            return this;
        }

        /** Replaces the kept keys; see {@link Command#extra()}. Values are copied as plain data. */
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
        public Command build() {
            return new Command(this);
        }
    }
}
