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
 * The {@code save_cache} step: saves paths under a cache key, which is immutable once saved.
 *
 * <p>Its data is {@code {save_cache: {...}}}; build one with {@link CircleCiStep#saveCache(String, List)}
 * or the builder.
 *
 * <p>Immutable and null-hostile: builder setters reject null, an absent key reads as an empty
 * {@code Optional} or an empty collection, and a list or map that was set (even empty) is written.
 * Keys the model does not know, and known keys whose values do not fit their field, are kept in
 * {@link #extra()} and written after the typed keys.
 *
 * <pre>{@code
 * CircleCiStep.saveCache("m2-{{ checksum \"pom.xml\" }}", List.of("~/.m2"))
 * }</pre>
 *
 * @since 0.1
 */
public final class SaveCacheStep implements CircleCiStep {
    private final @Nullable List<String> paths;
    private final @Nullable String key;
    private final @Nullable String name;
    private final @Nullable String when;
    private final Map<String, @Nullable Object> extra;
    private final Map<String, @Nullable Object> data;

    private SaveCacheStep(Builder b) {
        this.paths = b.paths == null ? null : List.copyOf(b.paths);
        this.key = b.key;
        this.name = b.name;
        this.when = b.when;
        this.extra = Collections.unmodifiableMap(new LinkedHashMap<>(b.extra));
        this.data = new FieldWriter()
                .put("paths", paths)
                .put("key", key)
                .put("name", name)
                .put("when", when)
                .build(extra);
    }

    /** An empty builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this value's fields. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.paths = paths == null ? null : new ArrayList<>(paths);
        b.key = key;
        b.name = name;
        b.when = when;
        b.extra.putAll(extra);
        return b;
    }

    /** {@code paths}: the directories and files to save. Empty when absent. */
    public List<String> paths() {
        return paths == null ? List.of() : paths;
    }

    /** {@code key}: the cache key, with templates such as <code>{{ checksum "pom.xml" }}</code>. */
    public Optional<String> key() {
        return Optional.ofNullable(key);
    }

    /** {@code name}: the step's title in the CircleCI UI. */
    public Optional<String> name() {
        return Optional.ofNullable(name);
    }

    /** {@code when}: when the step runs: {@code on_success} (the default), {@code on_fail} or {@code always}. */
    public Optional<String> when() {
        return Optional.ofNullable(when);
    }

    /** Keys the model does not know, and known keys whose values did not fit, as written. */
    public Map<String, @Nullable Object> extra() {
        return extra;
    }

    /** The value as data: {@code {save_cache: {...}}}. */
    Map<String, @Nullable Object> toData() {
        return Map.of("save_cache", data);
    }

    /** Reads a mapping; keys that do not fit are kept in {@link #extra()} with a warning. */
    static SaveCacheStep fromData(Map<?, ?> map, String path, Warnings warnings) {
        FieldReader r = new FieldReader(map, path, warnings, "a save_cache step");
        Builder b = builder();
        r.read("paths", Shape.STRINGS, b::paths);
        r.read("key", Shape.STRING, b::key);
        r.read("name", Shape.STRING, b::name);
        r.read("when", Shape.STRING, b::when);
        return b.extra(r.extra()).build();
    }

    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof SaveCacheStep o
                && Objects.equals(paths, o.paths)
                && Objects.equals(key, o.key)
                && Objects.equals(name, o.name)
                && Objects.equals(when, o.when)
                && extra.equals(o.extra);
    }

    @Override
    public int hashCode() {
        return Objects.hash(paths, key, name, when, extra);
    }

    /** The data, for debugging. */
    @Override
    public String toString() {
        return "SaveCacheStep" + toData();
    }

    /** Builds {@link SaveCacheStep}; mutable, not thread-safe. */
    public static final class Builder {
        private @Nullable List<String> paths;
        private @Nullable String key;
        private @Nullable String name;
        private @Nullable String when;
        private final Map<String, @Nullable Object> extra = new LinkedHashMap<>();

        private Builder() {
        }

        /** Replaces {@code paths}: the directories and files to save; an empty list is written as {@code []}. */
        @CanIgnoreReturnValue
        public Builder paths(List<? extends String> paths) {
            this.paths = new ArrayList<>(List.copyOf(paths));
            return this;
        }

        /** Appends to {@code paths}. */
        @CanIgnoreReturnValue
        public Builder addPath(String path) {
            if (this.paths == null) {
                this.paths = new ArrayList<>();
            }
            this.paths.add(checkNotNull(path, "path"));
            return this;
        }

        /** Sets {@code key}: the cache key, with templates such as <code>{{ checksum "pom.xml" }}</code>. */
        @CanIgnoreReturnValue
        public Builder key(String key) {
            this.key = checkNotNull(key, "key");
            return this;
        }

        /** Sets {@code name}: the step's title in the CircleCI UI. */
        @CanIgnoreReturnValue
        public Builder name(String name) {
            this.name = checkNotNull(name, "name");
            return this;
        }

        /**
         * Sets {@code when}: when the step runs: {@code on_success} (the default), {@code on_fail}
         * or {@code always}.
         */
        @CanIgnoreReturnValue
        public Builder when(String when) {
            this.when = checkNotNull(when, "when");
            return this;
        }

        /** Replaces the kept keys; see {@link SaveCacheStep#extra()}. Values are copied as plain data. */
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
        public SaveCacheStep build() {
            return new SaveCacheStep(this);
        }
    }
}
