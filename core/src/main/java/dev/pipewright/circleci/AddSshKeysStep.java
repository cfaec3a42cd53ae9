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
 * The {@code add_ssh_keys} step: adds the project's SSH keys to the container.
 *
 * <p>Its data is {@code {add_ssh_keys: {...}}}; build one with {@link CircleCiStep#addSshKeys(List)} or the
 * builder.
 *
 * <p>Immutable and null-hostile: builder setters reject null, an absent key reads as an empty
 * {@code Optional} or an empty collection, and a list or map that was set (even empty) is written.
 * Keys the model does not know, and known keys whose values do not fit their field, are kept in
 * {@link #extra()} and written after the typed keys.
 *
 * <pre>{@code
 * CircleCiStep.addSshKeys(List.of("SO:ME:FI:NG:ER:PR:IN:T"))
 * }</pre>
 *
 * @since 0.1
 */
public final class AddSshKeysStep implements CircleCiStep {
    private final @Nullable List<String> fingerprints;
    private final @Nullable String name;
    private final Map<String, @Nullable Object> extra;
    private final Map<String, @Nullable Object> data;

    private AddSshKeysStep(Builder b) {
        this.fingerprints = b.fingerprints == null ? null : List.copyOf(b.fingerprints);
        this.name = b.name;
        this.extra = Collections.unmodifiableMap(new LinkedHashMap<>(b.extra));
        this.data = new FieldWriter()
                .put("fingerprints", fingerprints)
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
        b.fingerprints = fingerprints == null ? null : new ArrayList<>(fingerprints);
        b.name = name;
        b.extra.putAll(extra);
        return b;
    }

    /** {@code fingerprints}: the keys to add, by fingerprint; all keys when absent. Empty when absent. */
    public List<String> fingerprints() {
        return fingerprints == null ? List.of() : fingerprints;
    }

    /** {@code name}: the step's title in the CircleCI UI. */
    public Optional<String> name() {
        return Optional.ofNullable(name);
    }

    /** Keys the model does not know, and known keys whose values did not fit, as written. */
    public Map<String, @Nullable Object> extra() {
        return extra;
    }

    /** The value as data: {@code {add_ssh_keys: {...}}}. */
    Map<String, @Nullable Object> toData() {
        return Map.of("add_ssh_keys", data);
    }

    /** Reads a mapping; keys that do not fit are kept in {@link #extra()} with a warning. */
    static AddSshKeysStep fromData(Map<?, ?> map, String path, Warnings warnings) {
        FieldReader r = new FieldReader(map, path, warnings, "a add_ssh_keys step");
        Builder b = builder();
        r.read("fingerprints", Shape.STRINGS, b::fingerprints);
        r.read("name", Shape.STRING, b::name);
        return b.extra(r.extra()).build();
    }

    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof AddSshKeysStep o
                && Objects.equals(fingerprints, o.fingerprints)
                && Objects.equals(name, o.name)
                && extra.equals(o.extra);
    }

    @Override
    public int hashCode() {
        return Objects.hash(fingerprints, name, extra);
    }

    /** The data, for debugging. */
    @Override
    public String toString() {
        return "AddSshKeysStep" + toData();
    }

    /** Builds {@link AddSshKeysStep}; mutable, not thread-safe. */
    public static final class Builder {
        private @Nullable List<String> fingerprints;
        private @Nullable String name;
        private final Map<String, @Nullable Object> extra = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Replaces {@code fingerprints}: the keys to add, by fingerprint; all keys when absent; an
         * empty list is written as {@code []}.
         */
        @CanIgnoreReturnValue
        public Builder fingerprints(List<? extends String> fingerprints) {
            this.fingerprints = new ArrayList<>(List.copyOf(fingerprints));
            return this;
        }

        /** Appends to {@code fingerprints}. */
        @CanIgnoreReturnValue
        public Builder addFingerprint(String fingerprint) {
            if (this.fingerprints == null) {
                this.fingerprints = new ArrayList<>();
            }
            this.fingerprints.add(checkNotNull(fingerprint, "fingerprint"));
            return this;
        }

        /** Sets {@code name}: the step's title in the CircleCI UI. */
        @CanIgnoreReturnValue
        public Builder name(String name) {
            this.name = checkNotNull(name, "name");
            return this;
        }

        /** Replaces the kept keys; see {@link AddSshKeysStep#extra()}. Values are copied as plain data. */
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
        public AddSshKeysStep build() {
            return new AddSshKeysStep(this);
        }
    }
}
