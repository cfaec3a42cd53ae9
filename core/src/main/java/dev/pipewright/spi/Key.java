package dev.pipewright.spi;

import static com.google.common.base.Preconditions.checkNotNull;

/**
 * The typed name of a piece of per-run state (see {@link StepContext#state}). Keys compare by
 * identity: keep one in a {@code static final} field.
 *
 * <pre>{@code
 * static final Key<String> PINNED_COMMIT = Key.named("git.pinned-commit");
 * }</pre>
 *
 * @param <T> the type of the value
 * @since 0.1
 */
public final class Key<T> {
    private final String name;

    private Key(String name) {
        this.name = name;
    }

    /** A new key called {@code name}, for messages. */
    public static <T> Key<T> named(String name) {
        return new Key<>(checkNotNull(name, "name"));
    }

    /** The key's name. */
    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return "key '" + name + "'";
    }
}
