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
 * The {@code attach_workspace} step: copies the workflow's workspace into a directory.
 *
 * <p>Its data is {@code {attach_workspace: {...}}}; build one with {@link
 * CircleCiStep#attachWorkspace(String)} or the builder.
 *
 * <p>Immutable and null-hostile: builder setters reject null, an absent key reads as an empty
 * {@code Optional} or an empty collection, and a list or map that was set (even empty) is written.
 * Keys the model does not know, and known keys whose values do not fit their field, are kept in
 * {@link #extra()} and written after the typed keys.
 *
 * <pre>{@code
 * CircleCiStep.attachWorkspace(".")
 * }</pre>
 *
 * @since 0.1
 */
public final class AttachWorkspaceStep implements CircleCiStep {
    private final @Nullable String at;
    private final @Nullable String name;
    private final Map<String, @Nullable Object> extra;
    private final Map<String, @Nullable Object> data;

    private AttachWorkspaceStep(Builder b) {
        this.at = b.at;
        this.name = b.name;
        this.extra = Collections.unmodifiableMap(new LinkedHashMap<>(b.extra));
        this.data = new FieldWriter()
                .put("at", at)
                .put("name", name)
                .build(extra);
    }

    /** An empty builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this value's fields. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.at = at;
        b.name = name;
        b.extra.putAll(extra);
        return b;
    }

    /** {@code at}: the directory to attach the workspace at. */
    public Optional<String> at() {
        return Optional.ofNullable(at);
    }

    /** {@code name}: the step's title in the CircleCI UI. */
    public Optional<String> name() {
        return Optional.ofNullable(name);
    }

    /** Keys the model does not know, and known keys whose values did not fit, as written. */
    public Map<String, @Nullable Object> extra() {
        return extra;
    }

    /** The value as data: {@code {attach_workspace: {...}}}. */
    Map<String, @Nullable Object> toData() {
        return Map.of("attach_workspace", data);
    }

    /** Reads a mapping; keys that do not fit are kept in {@link #extra()} with a warning. */
    static AttachWorkspaceStep fromData(Map<?, ?> map, String path, Warnings warnings) {
        FieldReader r = new FieldReader(map, path, warnings, "a attach_workspace step");
        Builder b = builder();
        r.read("at", Shape.STRING, b::at);
        r.read("name", Shape.STRING, b::name);
        return b.extra(r.extra()).build();
    }

    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof AttachWorkspaceStep o
                && Objects.equals(at, o.at)
                && Objects.equals(name, o.name)
                && extra.equals(o.extra);
    }

    @Override
    public int hashCode() {
        return Objects.hash(at, name, extra);
    }

    /** The data, for debugging. */
    @Override
    public String toString() {
        return "AttachWorkspaceStep" + toData();
    }

    /** Builds {@link AttachWorkspaceStep}; mutable, not thread-safe. */
    public static final class Builder {
        private @Nullable String at;
        private @Nullable String name;
        private final Map<String, @Nullable Object> extra = new LinkedHashMap<>();

        private Builder() {
        }

        /** Sets {@code at}: the directory to attach the workspace at. */
        @CanIgnoreReturnValue
        public Builder at(String at) {
            this.at = checkNotNull(at, "at");
            return this;
        }

        /** Sets {@code name}: the step's title in the CircleCI UI. */
        @CanIgnoreReturnValue
        public Builder name(String name) {
            this.name = checkNotNull(name, "name");
            return this;
        }

        /** Replaces the kept keys; see {@link AttachWorkspaceStep#extra()}. Values are copied as plain data. */
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
        public AttachWorkspaceStep build() {
            return new AttachWorkspaceStep(this);
        }
    }
}
