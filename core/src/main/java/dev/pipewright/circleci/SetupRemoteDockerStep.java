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
 * The {@code setup_remote_docker} step: a remote Docker engine for a Docker-executor job.
 *
 * <p>Its data is {@code {setup_remote_docker: {...}}}; build one with {@link
 * CircleCiStep#setupRemoteDocker()} or the builder.
 *
 * <p>Immutable and null-hostile: builder setters reject null, an absent key reads as an empty
 * {@code Optional} or an empty collection, and a list or map that was set (even empty) is written.
 * Keys the model does not know, and known keys whose values do not fit their field, are kept in
 * {@link #extra()} and written after the typed keys.
 *
 * <pre>{@code
 * CircleCiStep.setupRemoteDocker()
 * }</pre>
 *
 * @since 0.1
 */
public final class SetupRemoteDockerStep implements CircleCiStep {
    private final @Nullable Version version;
    private final @Nullable Interpolable<Boolean> dockerLayerCaching;
    private final Map<String, @Nullable Object> extra;
    private final Map<String, @Nullable Object> data;

    private SetupRemoteDockerStep(Builder b) {
        this.version = b.version;
        this.dockerLayerCaching = b.dockerLayerCaching;
        this.extra = Collections.unmodifiableMap(new LinkedHashMap<>(b.extra));
        this.data = new FieldWriter()
                .put("version", version)
                .put("docker_layer_caching", dockerLayerCaching)
                .build(extra);
    }

    /** An empty builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this value's fields. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.version = version;
        b.dockerLayerCaching = dockerLayerCaching;
        b.extra.putAll(extra);
        return b;
    }

    /** {@code version}: the Docker version, as written. */
    public Optional<Version> version() {
        return Optional.ofNullable(version);
    }

    /** {@code docker_layer_caching}: whether to cache Docker layers between jobs. */
    public Optional<Interpolable<Boolean>> dockerLayerCaching() {
        return Optional.ofNullable(dockerLayerCaching);
    }

    /** Keys the model does not know, and known keys whose values did not fit, as written. */
    public Map<String, @Nullable Object> extra() {
        return extra;
    }

    /** The value as data: {@code {setup_remote_docker: {...}}}. */
    Map<String, @Nullable Object> toData() {
        return Map.of("setup_remote_docker", data);
    }

    /** Reads a mapping; keys that do not fit are kept in {@link #extra()} with a warning. */
    static SetupRemoteDockerStep fromData(Map<?, ?> map, String path, Warnings warnings) {
        FieldReader r = new FieldReader(map, path, warnings, "a setup_remote_docker step");
        Builder b = builder();
        r.read("version", Shape.VERSION, b::version);
        r.read("docker_layer_caching", Shape.BOOLEAN, b::dockerLayerCaching);
        return b.extra(r.extra()).build();
    }

    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof SetupRemoteDockerStep o
                && Objects.equals(version, o.version)
                && Objects.equals(dockerLayerCaching, o.dockerLayerCaching)
                && extra.equals(o.extra);
    }

    @Override
    public int hashCode() {
        return Objects.hash(version, dockerLayerCaching, extra);
    }

    /** The data, for debugging. */
    @Override
    public String toString() {
        return "SetupRemoteDockerStep" + toData();
    }

    /** Builds {@link SetupRemoteDockerStep}; mutable, not thread-safe. */
    public static final class Builder {
        private @Nullable Version version;
        private @Nullable Interpolable<Boolean> dockerLayerCaching;
        private final Map<String, @Nullable Object> extra = new LinkedHashMap<>();

        private Builder() {
        }

        /** Sets {@code version}: the Docker version, as written. */
        @CanIgnoreReturnValue
        public Builder version(Version version) {
            this.version = checkNotNull(version, "version");
            return this;
        }

        /** Sets {@code docker_layer_caching} to {@code true}. */
        @CanIgnoreReturnValue
        public Builder dockerLayerCaching() {
            this.dockerLayerCaching = Interpolable.of(true);
            return this;
        }

        /** Sets {@code docker_layer_caching} as written: {@code true}, {@code false} or an interpolation. */
        @CanIgnoreReturnValue
        public Builder dockerLayerCaching(Interpolable<Boolean> dockerLayerCaching) {
            this.dockerLayerCaching = checkNotNull(dockerLayerCaching, "dockerLayerCaching");
            return this;
        }

        /** Replaces the kept keys; see {@link SetupRemoteDockerStep#extra()}. Values are copied as plain data. */
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
        public SetupRemoteDockerStep build() {
            return new SetupRemoteDockerStep(this);
        }
    }
}
