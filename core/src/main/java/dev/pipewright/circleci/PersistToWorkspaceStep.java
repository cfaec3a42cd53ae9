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
 * The {@code persist_to_workspace} step: adds files to the workflow's workspace for later jobs.
 *
 * <p>Its data is {@code {persist_to_workspace: {...}}}; build one with {@link
 * CircleCiStep#persistToWorkspace(String, List)} or the builder.
 *
 * <p>Immutable and null-hostile: builder setters reject null, an absent key reads as an empty
 * {@code Optional} or an empty collection, and a list or map that was set (even empty) is written.
 * Keys the model does not know, and known keys whose values do not fit their field, are kept in
 * {@link #extra()} and written after the typed keys.
 *
 * <pre>{@code
 * CircleCiStep.persistToWorkspace(".", List.of("target"))
 * }</pre>
 *
 * @since 0.1
 */
public final class PersistToWorkspaceStep implements CircleCiStep {
    private final @Nullable String root;
    private final @Nullable List<String> paths;
    private final @Nullable String name;
    private final Map<String, @Nullable Object> extra;
    private final Map<String, @Nullable Object> data;

    private PersistToWorkspaceStep(Builder b) {
        this.root = b.root;
        this.paths = b.paths == null ? null : List.copyOf(b.paths);
        this.name = b.name;
        this.extra = Collections.unmodifiableMap(new LinkedHashMap<>(b.extra));
        this.data = new FieldWriter()
                .put("root", root)
                .put("paths", paths)
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
        b.root = root;
        b.paths = paths == null ? null : new ArrayList<>(paths);
        b.name = name;
        b.extra.putAll(extra);
        return b;
    }

    /** {@code root}: the directory the paths are relative to. */
    public Optional<String> root() {
        return Optional.ofNullable(root);
    }

    /** {@code paths}: the files or globs to add. Empty when absent. */
    public List<String> paths() {
        return paths == null ? List.of() : paths;
    }

    /** {@code name}: the step's title in the CircleCI UI. */
    public Optional<String> name() {
        return Optional.ofNullable(name);
    }

    /** Keys the model does not know, and known keys whose values did not fit, as written. */
    public Map<String, @Nullable Object> extra() {
        return extra;
    }

    /** The value as data: {@code {persist_to_workspace: {...}}}. */
    Map<String, @Nullable Object> toData() {
        return Map.of("persist_to_workspace", data);
    }

    /** Reads a mapping; keys that do not fit are kept in {@link #extra()} with a warning. */
    static PersistToWorkspaceStep fromData(Map<?, ?> map, String path, Warnings warnings) {
        FieldReader r = new FieldReader(map, path, warnings, "a persist_to_workspace step");
        Builder b = builder();
        r.read("root", Shape.STRING, b::root);
        r.read("paths", Shape.STRINGS, b::paths);
        r.read("name", Shape.STRING, b::name);
        return b.extra(r.extra()).build();
    }

    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof PersistToWorkspaceStep o
                && Objects.equals(root, o.root)
                && Objects.equals(paths, o.paths)
                && Objects.equals(name, o.name)
                && extra.equals(o.extra);
    }

    @Override
    public int hashCode() {
        return Objects.hash(root, paths, name, extra);
    }

    /** The data, for debugging. */
    @Override
    public String toString() {
        return "PersistToWorkspaceStep" + toData();
    }

    /** Builds {@link PersistToWorkspaceStep}; mutable, not thread-safe. */
    public static final class Builder {
        private @Nullable String root;
        private @Nullable List<String> paths;
        private @Nullable String name;
        private final Map<String, @Nullable Object> extra = new LinkedHashMap<>();

        private Builder() {
        }

        /** Sets {@code root}: the directory the paths are relative to. */
        @CanIgnoreReturnValue
        public Builder root(String root) {
            this.root = checkNotNull(root, "root");
            return this;
        }

        /** Replaces {@code paths}: the files or globs to add; an empty list is written as {@code []}. */
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

        /** Sets {@code name}: the step's title in the CircleCI UI. */
        @CanIgnoreReturnValue
        public Builder name(String name) {
            this.name = checkNotNull(name, "name");
            return this;
        }

        /** Replaces the kept keys; see {@link PersistToWorkspaceStep#extra()}. Values are copied as plain data. */
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
        public PersistToWorkspaceStep build() {
            return new PersistToWorkspaceStep(this);
        }
    }
}
