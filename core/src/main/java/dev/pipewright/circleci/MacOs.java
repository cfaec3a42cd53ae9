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
 * The {@code macos} executor: a macOS VM with the given Xcode version.
 *
 * <p>Immutable and null-hostile: builder setters reject null, an absent key reads as an empty
 * {@code Optional} or an empty collection, and a list or map that was set (even empty) is written.
 * Keys the model does not know, and known keys whose values do not fit their field, are kept in
 * {@link #extra()} and written after the typed keys.
 *
 * <pre>{@code
 * MacOs.xcode(Version.string("15.4.0"))
 * }</pre>
 *
 * @since 0.1
 */
public final class MacOs {
    private final @Nullable Version xcode;
    private final @Nullable String resourceClass;
    private final @Nullable String shell;
    private final Map<String, @Nullable Object> extra;
    private final Map<String, @Nullable Object> data;

    private MacOs(Builder b) {
        this.xcode = b.xcode;
        this.resourceClass = b.resourceClass;
        this.shell = b.shell;
        this.extra = Collections.unmodifiableMap(new LinkedHashMap<>(b.extra));
        this.data = new FieldWriter()
                .put("xcode", xcode)
                .put("resource_class", resourceClass)
                .put("shell", shell)
                .build(extra);
    }

    /** {@code macos: {xcode: version}}. */
    public static MacOs xcode(Version version) {
        return builder().xcode(version).build();
    }

    /** An empty builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this value's fields. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.xcode = xcode;
        b.resourceClass = resourceClass;
        b.shell = shell;
        b.extra.putAll(extra);
        return b;
    }

    /** {@code xcode}: the Xcode version, as a string or a number as written. */
    public Optional<Version> xcode() {
        return Optional.ofNullable(xcode);
    }

    /** {@code resource_class}: the VM size, legacy here (set it on the job or executor). */
    public Optional<String> resourceClass() {
        return Optional.ofNullable(resourceClass);
    }

    /** {@code shell}: the shell for run steps. */
    public Optional<String> shell() {
        return Optional.ofNullable(shell);
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
    static MacOs fromData(Map<?, ?> map, String path, Warnings warnings) {
        FieldReader r = new FieldReader(map, path, warnings, "a macos executor");
        Builder b = builder();
        r.read("xcode", Shape.VERSION, b::xcode);
        r.read("resource_class", Shape.STRING, b::resourceClass);
        r.read("shell", Shape.STRING, b::shell);
        return b.extra(r.extra()).build();
    }

    static final Shape<MacOs> SHAPE = Shape.mapping("a mapping (a macos executor)", MacOs::fromData);

    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof MacOs o
                && Objects.equals(xcode, o.xcode)
                && Objects.equals(resourceClass, o.resourceClass)
                && Objects.equals(shell, o.shell)
                && extra.equals(o.extra);
    }

    @Override
    public int hashCode() {
        return Objects.hash(xcode, resourceClass, shell, extra);
    }

    /** The data, for debugging. */
    @Override
    public String toString() {
        return "MacOs" + toData();
    }

    /** Builds {@link MacOs}; mutable, not thread-safe. */
    public static final class Builder {
        private @Nullable Version xcode;
        private @Nullable String resourceClass;
        private @Nullable String shell;
        private final Map<String, @Nullable Object> extra = new LinkedHashMap<>();

        private Builder() {
        }

        /** Sets {@code xcode}: the Xcode version, as a string or a number as written. */
        @CanIgnoreReturnValue
        public Builder xcode(Version xcode) {
            this.xcode = checkNotNull(xcode, "xcode");
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

        /** Replaces the kept keys; see {@link MacOs#extra()}. Values are copied as plain data. */
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
        public MacOs build() {
            return new MacOs(this);
        }
    }
}
