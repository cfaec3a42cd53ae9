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
 * The {@code store_artifacts} step: keeps files as the job's artifacts.
 *
 * <p>Its data is {@code {store_artifacts: {...}}}; build one with {@link
 * CircleCiStep#storeArtifacts(String)} or the builder.
 *
 * <p>Immutable and null-hostile: builder setters reject null, an absent key reads as an empty
 * {@code Optional} or an empty collection, and a list or map that was set (even empty) is written.
 * Keys the model does not know, and known keys whose values do not fit their field, are kept in
 * {@link #extra()} and written after the typed keys.
 *
 * <pre>{@code
 * CircleCiStep.storeArtifacts("target/site")
 * }</pre>
 *
 * @since 0.1
 */
public final class StoreArtifactsStep implements CircleCiStep {
    private final @Nullable String path;
    private final @Nullable String destination;
    private final @Nullable String name;
    private final Map<String, @Nullable Object> extra;
    private final Map<String, @Nullable Object> data;

    private StoreArtifactsStep(Builder b) {
        this.path = b.path;
        this.destination = b.destination;
        this.name = b.name;
        this.extra = Collections.unmodifiableMap(new LinkedHashMap<>(b.extra));
        this.data = new FieldWriter()
                .put("path", path)
                .put("destination", destination)
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
        b.path = path;
        b.destination = destination;
        b.name = name;
        b.extra.putAll(extra);
        return b;
    }

    /** {@code path}: the file or directory to keep. */
    public Optional<String> path() {
        return Optional.ofNullable(path);
    }

    /** {@code destination}: the prefix of the artifacts' paths. */
    public Optional<String> destination() {
        return Optional.ofNullable(destination);
    }

    /** {@code name}: the step's title in the CircleCI UI. */
    public Optional<String> name() {
        return Optional.ofNullable(name);
    }

    /** Keys the model does not know, and known keys whose values did not fit, as written. */
    public Map<String, @Nullable Object> extra() {
        return extra;
    }

    /** The value as data: {@code {store_artifacts: {...}}}. */
    Map<String, @Nullable Object> toData() {
        return Map.of("store_artifacts", data);
    }

    /** Reads a mapping; keys that do not fit are kept in {@link #extra()} with a warning. */
    static StoreArtifactsStep fromData(Map<?, ?> map, String path, Warnings warnings) {
        FieldReader r = new FieldReader(map, path, warnings, "a store_artifacts step");
        Builder b = builder();
        r.read("path", Shape.STRING, b::path);
        r.read("destination", Shape.STRING, b::destination);
        r.read("name", Shape.STRING, b::name);
        return b.extra(r.extra()).build();
    }

    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof StoreArtifactsStep o
                && Objects.equals(path, o.path)
                && Objects.equals(destination, o.destination)
                && Objects.equals(name, o.name)
                && extra.equals(o.extra);
    }

    @Override
    public int hashCode() {
        return Objects.hash(path, destination, name, extra);
    }

    /** The data, for debugging. */
    @Override
    public String toString() {
        return "StoreArtifactsStep" + toData();
    }

    /** Builds {@link StoreArtifactsStep}; mutable, not thread-safe. */
    public static final class Builder {
        private @Nullable String path;
        private @Nullable String destination;
        private @Nullable String name;
        private final Map<String, @Nullable Object> extra = new LinkedHashMap<>();

        private Builder() {
        }

        /** Sets {@code path}: the file or directory to keep. */
        @CanIgnoreReturnValue
        public Builder path(String path) {
            this.path = checkNotNull(path, "path");
            return this;
        }

        /** Sets {@code destination}: the prefix of the artifacts' paths. */
        @CanIgnoreReturnValue
        public Builder destination(String destination) {
            this.destination = checkNotNull(destination, "destination");
            return this;
        }

        /** Sets {@code name}: the step's title in the CircleCI UI. */
        @CanIgnoreReturnValue
        public Builder name(String name) {
            this.name = checkNotNull(name, "name");
            return this;
        }

        /** Replaces the kept keys; see {@link StoreArtifactsStep#extra()}. Values are copied as plain data. */
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
        public StoreArtifactsStep build() {
            return new StoreArtifactsStep(this);
        }
    }
}
