package dev.pipewright;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

/**
 * What a pipeline run is for: a branch or a tag, by name. Immutable and thread-safe.
 *
 * @param kind branch or tag
 * @param name the branch or tag name, not blank
 * @since 0.1
 */
public record Ref(Kind kind, String name) {

    /**
     * Branch or tag.
     *
     * @since 0.1
     */
    public enum Kind {
        /** A branch push or a scheduled run on a branch. */
        BRANCH,
        /** A tag push. */
        TAG
    }

    /**
     * Checks that the name is not blank.
     *
     * @throws NullPointerException if {@code kind} or {@code name} is null
     * @throws IllegalArgumentException if {@code name} is blank
     */
    public Ref {
        checkNotNull(kind, "kind");
        checkNotNull(name, "name");
        checkArgument(!name.isBlank(), "a %s name must not be blank", kind.name().toLowerCase(java.util.Locale.ROOT));
    }

    /**
     * A run for branch {@code name}.
     *
     * @throws NullPointerException if {@code name} is null
     * @throws IllegalArgumentException if {@code name} is blank
     */
    public static Ref branch(String name) {
        return new Ref(Kind.BRANCH, name);
    }

    /**
     * A run for tag {@code name}.
     *
     * @throws NullPointerException if {@code name} is null
     * @throws IllegalArgumentException if {@code name} is blank
     */
    public static Ref tag(String name) {
        return new Ref(Kind.TAG, name);
    }

    /** {@code branch master} or {@code tag v1.2.0}. */
    @Override
    public String toString() {
        return (kind == Kind.BRANCH ? "branch " : "tag ") + name;
    }
}
