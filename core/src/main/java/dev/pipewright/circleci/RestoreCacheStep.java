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
 * The {@code restore_cache} step: restores the newest cache whose key starts with one of the keys, tried in order.
 *
 * <p>Its data is {@code {restore_cache: {...}}}; build one with {@link CircleCiStep#restoreCache(List)} or
 * the builder.
 *
 * <p>Immutable and null-hostile: builder setters reject null, an absent key reads as an empty
 * {@code Optional} or an empty collection, and a list or map that was set (even empty) is written.
 * Keys the model does not know, and known keys whose values do not fit their field, are kept in
 * {@link #extra()} and written after the typed keys.
 *
 * <pre>{@code
 * CircleCiStep.restoreCache(List.of("m2-{{ checksum \"pom.xml\" }}", "m2-"))
 * }</pre>
 *
 * @since 0.1
 */
public final class RestoreCacheStep implements CircleCiStep {
    private final @Nullable String key;
    private final @Nullable List<String> keys;
    private final @Nullable String name;
    private final Map<String, @Nullable Object> extra;
    private final Map<String, @Nullable Object> data;

    private RestoreCacheStep(Builder b) {
        this.key = b.key;
        this.keys = b.keys == null ? null : List.copyOf(b.keys);
        this.name = b.name;
        this.extra = Collections.unmodifiableMap(new LinkedHashMap<>(b.extra));
        this.data = new FieldWriter()
                .put("key", key)
                .put("keys", keys)
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
        b.key = key;
        b.keys = keys == null ? null : new ArrayList<>(keys);
        b.name = name;
        b.extra.putAll(extra);
        return b;
    }

    /** {@code key}: the one key to restore. */
    public Optional<String> key() {
        return Optional.ofNullable(key);
    }

    /** {@code keys}: keys or key prefixes, tried in order. Empty when absent. */
    public List<String> keys() {
        return keys == null ? List.of() : keys;
    }

    /** {@code name}: the step's title in the CircleCI UI. */
    public Optional<String> name() {
        return Optional.ofNullable(name);
    }

    /** Keys the model does not know, and known keys whose values did not fit, as written. */
    public Map<String, @Nullable Object> extra() {
        return extra;
    }

    /** The value as data: {@code {restore_cache: {...}}}. */
    Map<String, @Nullable Object> toData() {
        return Map.of("restore_cache", data);
    }

    /** Reads a mapping; keys that do not fit are kept in {@link #extra()} with a warning. */
    static RestoreCacheStep fromData(Map<?, ?> map, String path, Warnings warnings) {
        FieldReader r = new FieldReader(map, path, warnings, "a restore_cache step");
        Builder b = builder();
        r.read("key", Shape.STRING, b::key);
        r.read("keys", Shape.STRINGS, b::keys);
        r.read("name", Shape.STRING, b::name);
        return b.extra(r.extra()).build();
    }

    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof RestoreCacheStep o
                && Objects.equals(key, o.key)
                && Objects.equals(keys, o.keys)
                && Objects.equals(name, o.name)
                && extra.equals(o.extra);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, keys, name, extra);
    }

    /** The data, for debugging. */
    @Override
    public String toString() {
        return "RestoreCacheStep" + toData();
    }

    /** Builds {@link RestoreCacheStep}; mutable, not thread-safe. */
    public static final class Builder {
        private @Nullable String key;
        private @Nullable List<String> keys;
        private @Nullable String name;
        private final Map<String, @Nullable Object> extra = new LinkedHashMap<>();

        private Builder() {
        }

        /** Sets {@code key}: the one key to restore. */
        @CanIgnoreReturnValue
        public Builder key(String key) {
            this.key = checkNotNull(key, "key");
            return this;
        }

        /** Replaces {@code keys}: keys or key prefixes, tried in order; an empty list is written as {@code []}. */
        @CanIgnoreReturnValue
        public Builder keys(List<? extends String> keys) {
            this.keys = new ArrayList<>(List.copyOf(keys));
            return this;
        }

        /** Appends to {@code keys}. */
        @CanIgnoreReturnValue
        public Builder addKey(String key) {
            if (this.keys == null) {
                this.keys = new ArrayList<>();
            }
            this.keys.add(checkNotNull(key, "key"));
            return this;
        }

        /** Sets {@code name}: the step's title in the CircleCI UI. */
        @CanIgnoreReturnValue
        public Builder name(String name) {
            this.name = checkNotNull(name, "name");
            return this;
        }

        /** Replaces the kept keys; see {@link RestoreCacheStep#extra()}. Values are copied as plain data. */
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
        public RestoreCacheStep build() {
            return new RestoreCacheStep(this);
        }
    }
}
