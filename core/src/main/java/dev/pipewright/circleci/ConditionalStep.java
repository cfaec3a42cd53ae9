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
 * The {@code when} and {@code unless} steps: steps kept or dropped when CircleCI compiles the
 * configuration, by a {@link Condition} on parameters and pipeline values.
 *
 * <p>Its data is {@code {when: {condition, steps}}} or {@code {unless: {...}}}.
 *
 * <p>Immutable and null-hostile: builder setters reject null, an absent key reads as an empty
 * {@code Optional} or an empty collection, and a list or map that was set (even empty) is written.
 * Keys the model does not know, and known keys whose values do not fit their field, are kept in
 * {@link #extra()} and written after the typed keys.
 *
 * <pre>{@code
 * CircleCiStep.when(Condition.literal("<< parameters.deploy >>"), List.of(CircleCiStep.run("./deploy.sh")))
 * }</pre>
 *
 * @since 0.1
 */
public final class ConditionalStep implements CircleCiStep {
    private final boolean unless;
    private final @Nullable Condition condition;
    private final @Nullable List<CircleCiStep> steps;
    private final Map<String, @Nullable Object> extra;
    private final Map<String, @Nullable Object> data;

    private ConditionalStep(Builder b) {
        this.unless = b.unless;
        this.condition = b.condition;
        this.steps = b.steps == null ? null : List.copyOf(b.steps);
        this.extra = Collections.unmodifiableMap(new LinkedHashMap<>(b.extra));
        this.data = new FieldWriter()
                .put("condition", condition, FieldWriter::data)
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
        b.unless = unless;
        b.condition = condition;
        b.steps = steps == null ? null : new ArrayList<>(steps);
        b.extra.putAll(extra);
        return b;
    }

    /** Whether this is an {@code unless} step (steps run when the condition is false) rather than {@code when}. */
    public boolean isUnless() {
        return unless;
    }

    /** {@code condition}: the logic statement. */
    public Optional<Condition> condition() {
        return Optional.ofNullable(condition);
    }

    /** {@code steps}: the steps kept when the condition holds (is false, for {@code unless}). Empty when absent. */
    public List<CircleCiStep> steps() {
        return steps == null ? List.of() : steps;
    }

    /** Keys the model does not know, and known keys whose values did not fit, as written. */
    public Map<String, @Nullable Object> extra() {
        return extra;
    }

    /** The value as data: {@code {<name>: {...}}}. */
    Map<String, @Nullable Object> toData() {
        return Map.of(unless ? "unless" : "when", data);
    }

    /** Reads a mapping; keys that do not fit are kept in {@link #extra()} with a warning. */
    static ConditionalStep fromData(Map<?, ?> map, String path, Warnings warnings) {
        FieldReader r = new FieldReader(map, path, warnings, "a conditional step");
        Builder b = builder();
        r.read("condition", Shape.CONDITION, b::condition);
        r.read("steps", Shape.STEPS, b::steps);
        return b.extra(r.extra()).build();
    }

    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof ConditionalStep o
                && Objects.equals(unless, o.unless)
                && Objects.equals(condition, o.condition)
                && Objects.equals(steps, o.steps)
                && extra.equals(o.extra);
    }

    @Override
    public int hashCode() {
        return Objects.hash(unless, condition, steps, extra);
    }

    /** The data, for debugging. */
    @Override
    public String toString() {
        return "ConditionalStep" + toData();
    }

    /** Builds {@link ConditionalStep}; mutable, not thread-safe. */
    public static final class Builder {
        private boolean unless;
        private @Nullable Condition condition;
        private @Nullable List<CircleCiStep> steps;
        private final Map<String, @Nullable Object> extra = new LinkedHashMap<>();

        private Builder() {
        }

        /** Makes this an {@code unless} step; it is a {@code when} step otherwise. */
        @CanIgnoreReturnValue
        public Builder unless() {
            this.unless = true;
            return this;
        }

        /** Sets {@code condition}: the logic statement. */
        @CanIgnoreReturnValue
        public Builder condition(Condition condition) {
            this.condition = checkNotNull(condition, "condition");
            return this;
        }

        /**
         * Replaces {@code steps}: the steps kept when the condition holds (is false, for {@code
         * unless}); an empty list is written as {@code []}.
         */
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

        /** Replaces the kept keys; see {@link ConditionalStep#extra()}. Values are copied as plain data. */
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
        public ConditionalStep build() {
            return new ConditionalStep(this);
        }
    }
}
