package dev.pipewright.circleci;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.errorprone.annotations.CanIgnoreReturnValue;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The {@code machine} executor: a Linux, Windows, GPU or Android VM. Written as a mapping
 * ({@code {image: ubuntu-2404:current, docker_layer_caching: true}}) or, in the legacy short form,
 * as {@code machine: true} (the default image), which the model keeps as {@link #shorthand()}.
 *
 * <p>A machine has either a shorthand or mapping keys, never both.
 *
 * <p>Immutable and null-hostile: builder setters reject null, an absent key reads as an empty
 * {@code Optional} or an empty collection, and a list or map that was set (even empty) is written.
 * Keys the model does not know, and known keys whose values do not fit their field, are kept in
 * {@link #extra()} and written after the typed keys.
 *
 * <pre>{@code
 * Machine.image("ubuntu-2404:current")
 * }</pre>
 *
 * @since 0.1
 */
public final class Machine {
    private final @Nullable Interpolable<Boolean> shorthand;
    private final @Nullable String image;
    private final @Nullable Interpolable<Boolean> dockerLayerCaching;
    private final @Nullable String resourceClass;
    private final @Nullable String shell;
    private final @Nullable Interpolable<Boolean> enabled;
    private final Map<String, @Nullable Object> extra;
    private final Map<String, @Nullable Object> data;

    private Machine(Builder b) {
        this.shorthand = b.shorthand;
        this.image = b.image;
        this.dockerLayerCaching = b.dockerLayerCaching;
        this.resourceClass = b.resourceClass;
        this.shell = b.shell;
        this.enabled = b.enabled;
        this.extra = Collections.unmodifiableMap(new LinkedHashMap<>(b.extra));
        checkArgument(shorthand == null || (image == null && dockerLayerCaching == null && resourceClass == null
                && shell == null && enabled == null && extra.isEmpty()),
                "a machine written as a single value (%s) has no other keys", shorthand);
        this.data = new FieldWriter()
                .put("image", image)
                .put("docker_layer_caching", dockerLayerCaching)
                .put("resource_class", resourceClass)
                .put("shell", shell)
                .put("enabled", enabled)
                .build(extra);
    }

    /** {@code machine: {image: image}}. */
    public static Machine image(String image) {
        return builder().image(image).build();
    }

    /** The legacy {@code machine: true}: the default machine image. */
    public static Machine defaultImage() {
        return builder().shorthand(Interpolable.of(true)).build();
    }

    /** An empty builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this value's fields. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.shorthand = shorthand;
        b.image = image;
        b.dockerLayerCaching = dockerLayerCaching;
        b.resourceClass = resourceClass;
        b.shell = shell;
        b.enabled = enabled;
        b.extra.putAll(extra);
        return b;
    }

    /**
     * The short form, {@code machine: true} (or {@code false}, or an interpolation); present
     * only when the machine is written as that single value.
     */
    public Optional<Interpolable<Boolean>> shorthand() {
        return Optional.ofNullable(shorthand);
    }

    /** {@code image}: the VM image, such as {@code ubuntu-2404:current}. */
    public Optional<String> image() {
        return Optional.ofNullable(image);
    }

    /** {@code docker_layer_caching}: whether to cache Docker layers between jobs. */
    public Optional<Interpolable<Boolean>> dockerLayerCaching() {
        return Optional.ofNullable(dockerLayerCaching);
    }

    /** {@code resource_class}: the VM size, legacy here (set it on the job or executor). */
    public Optional<String> resourceClass() {
        return Optional.ofNullable(resourceClass);
    }

    /** {@code shell}: the shell for run steps. */
    public Optional<String> shell() {
        return Optional.ofNullable(shell);
    }

    /** {@code enabled}: legacy: whether the machine executor is used. */
    public Optional<Interpolable<Boolean>> enabled() {
        return Optional.ofNullable(enabled);
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
    static Machine fromData(Map<?, ?> map, String path, Warnings warnings) {
        FieldReader r = new FieldReader(map, path, warnings, "a machine executor");
        Builder b = builder();
        r.read("image", Shape.STRING, b::image);
        r.read("docker_layer_caching", Shape.BOOLEAN, b::dockerLayerCaching);
        r.read("resource_class", Shape.STRING, b::resourceClass);
        r.read("shell", Shape.STRING, b::shell);
        r.read("enabled", Shape.BOOLEAN, b::enabled);
        return b.extra(r.extra()).build();
    }

    /** The data: the shorthand value, or the mapping. */
    Object toValue() {
        return shorthand == null ? data : FieldWriter.data(shorthand);
    }

    /** A machine written as a mapping, or as a boolean or interpolation. */
    static final Shape<Machine> VALUE = new Shape<>("a mapping, true, false or a << parameters.x >> interpolation",
            (v, p, w) -> {
                if (v instanceof Map<?, ?> m) {
                    return fromData(m, p, w);
                }
                Interpolable<Boolean> shorthand = Shape.BOOLEAN.read(v, p, w);
                return shorthand == null ? null : builder().shorthand(shorthand).build();
            });

    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof Machine o
                && Objects.equals(shorthand, o.shorthand)
                && Objects.equals(image, o.image)
                && Objects.equals(dockerLayerCaching, o.dockerLayerCaching)
                && Objects.equals(resourceClass, o.resourceClass)
                && Objects.equals(shell, o.shell)
                && Objects.equals(enabled, o.enabled)
                && extra.equals(o.extra);
    }

    @Override
    public int hashCode() {
        return Objects.hash(shorthand, image, dockerLayerCaching, resourceClass, shell, enabled, extra);
    }

    /** The data, for debugging. */
    @Override
    public String toString() {
        return "Machine" + toValue();
    }

    /** Builds {@link Machine}; mutable, not thread-safe. */
    public static final class Builder {
        private @Nullable Interpolable<Boolean> shorthand;
        private @Nullable String image;
        private @Nullable Interpolable<Boolean> dockerLayerCaching;
        private @Nullable String resourceClass;
        private @Nullable String shell;
        private @Nullable Interpolable<Boolean> enabled;
        private final Map<String, @Nullable Object> extra = new LinkedHashMap<>();

        private Builder() {
        }

        /** Writes the machine as {@code machine: value} instead of a mapping; see {@link Machine#shorthand()}. */
        @CanIgnoreReturnValue
        public Builder shorthand(Interpolable<Boolean> value) {
            this.shorthand = checkNotNull(value, "value");
            return this;
        }

        /** Sets {@code image}: the VM image, such as {@code ubuntu-2404:current}. */
        @CanIgnoreReturnValue
        public Builder image(String image) {
            this.image = checkNotNull(image, "image");
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

        /** Sets {@code resource_class}: the VM size, legacy here (set it on the job or executor). */
        @CanIgnoreReturnValue
        public Builder resourceClass(String resourceClass) {
            this.resourceClass = checkNotNull(resourceClass, "resourceClass");
            return this;
        }

        /** Sets {@code shell}: the shell for run steps. */
        @CanIgnoreReturnValue
        public Builder shell(String shell) {
            this.shell = checkNotNull(shell, "shell");
            return this;
        }

        /** Sets {@code enabled} to {@code true}. */
        @CanIgnoreReturnValue
        public Builder enabled() {
            this.enabled = Interpolable.of(true);
            return this;
        }

        /** Sets {@code enabled} as written: {@code true}, {@code false} or an interpolation. */
        @CanIgnoreReturnValue
        public Builder enabled(Interpolable<Boolean> enabled) {
            this.enabled = checkNotNull(enabled, "enabled");
            return this;
        }

        /** Replaces the kept keys; see {@link Machine#extra()}. Values are copied as plain data. */
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
         *     shorthand machine has mapping keys too
         */
        public Machine build() {
            return new Machine(this);
        }
    }
}
