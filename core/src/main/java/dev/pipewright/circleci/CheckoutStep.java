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
 * The {@code checkout} step: checks out the project's source.
 *
 * <p>Its data is {@code {checkout: {...}}}; build one with {@link CircleCiStep#checkout()} or the builder.
 *
 * <p>Immutable and null-hostile: builder setters reject null, an absent key reads as an empty
 * {@code Optional} or an empty collection, and a list or map that was set (even empty) is written.
 * Keys the model does not know, and known keys whose values do not fit their field, are kept in
 * {@link #extra()} and written after the typed keys.
 *
 * <pre>{@code
 * CircleCiStep.checkout()
 * }</pre>
 *
 * @since 0.1
 */
public final class CheckoutStep implements CircleCiStep {
    private final @Nullable String path;
    private final @Nullable String method;
    private final @Nullable Interpolable<Integer> depth;
    private final Map<String, @Nullable Object> extra;
    private final Map<String, @Nullable Object> data;

    private CheckoutStep(Builder b) {
        this.path = b.path;
        this.method = b.method;
        this.depth = b.depth;
        this.extra = Collections.unmodifiableMap(new LinkedHashMap<>(b.extra));
        this.data = new FieldWriter()
                .put("path", path)
                .put("method", method)
                .put("depth", depth)
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
        b.method = method;
        b.depth = depth;
        b.extra.putAll(extra);
        return b;
    }

    /** {@code path}: where to check out; the working directory when absent. */
    public Optional<String> path() {
        return Optional.ofNullable(path);
    }

    /** {@code method}: how to clone: {@code full}, {@code blobless} or {@code shallow}. */
    public Optional<String> method() {
        return Optional.ofNullable(method);
    }

    /** {@code depth}: the depth of a shallow clone. */
    public Optional<Interpolable<Integer>> depth() {
        return Optional.ofNullable(depth);
    }

    /** Keys the model does not know, and known keys whose values did not fit, as written. */
    public Map<String, @Nullable Object> extra() {
        return extra;
    }

    /** The value as data: {@code {checkout: {...}}}. */
    Map<String, @Nullable Object> toData() {
        return Map.of("checkout", data);
    }

    /** Reads a mapping; keys that do not fit are kept in {@link #extra()} with a warning. */
    static CheckoutStep fromData(Map<?, ?> map, String path, Warnings warnings) {
        FieldReader r = new FieldReader(map, path, warnings, "a checkout step");
        Builder b = builder();
        r.read("path", Shape.STRING, b::path);
        r.read("method", Shape.STRING, b::method);
        r.read("depth", Shape.INTEGER, b::depth);
        return b.extra(r.extra()).build();
    }

    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof CheckoutStep o
                && Objects.equals(path, o.path)
                && Objects.equals(method, o.method)
                && Objects.equals(depth, o.depth)
                && extra.equals(o.extra);
    }

    @Override
    public int hashCode() {
        return Objects.hash(path, method, depth, extra);
    }

    /** The data, for debugging. */
    @Override
    public String toString() {
        return "CheckoutStep" + toData();
    }

    /** Builds {@link CheckoutStep}; mutable, not thread-safe. */
    public static final class Builder {
        private @Nullable String path;
        private @Nullable String method;
        private @Nullable Interpolable<Integer> depth;
        private final Map<String, @Nullable Object> extra = new LinkedHashMap<>();

        private Builder() {
        }

        /** Sets {@code path}: where to check out; the working directory when absent. */
        @CanIgnoreReturnValue
        public Builder path(String path) {
            this.path = checkNotNull(path, "path");
            return this;
        }

        /** Sets {@code method}: how to clone: {@code full}, {@code blobless} or {@code shallow}. */
        @CanIgnoreReturnValue
        public Builder method(String method) {
            this.method = checkNotNull(method, "method");
            return this;
        }

        /** Sets {@code depth}: the depth of a shallow clone. */
        @CanIgnoreReturnValue
        public Builder depth(int depth) {
            this.depth = Interpolable.of(depth);
            return this;
        }

        /** Sets {@code depth} as written: an integer or an interpolation. */
        @CanIgnoreReturnValue
        public Builder depth(Interpolable<Integer> depth) {
            this.depth = checkNotNull(depth, "depth");
            return this;
        }

        /** Replaces the kept keys; see {@link CheckoutStep#extra()}. Values are copied as plain data. */
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
        public CheckoutStep build() {
            return new CheckoutStep(this);
        }
    }
}
