package dev.pipewright;

import static com.google.common.base.Preconditions.checkNotNull;

/**
 * One thing wrong with a pipeline or one of its parts. Immutable and thread-safe.
 *
 * @param path where, relative to the {@linkplain InvalidPipelineException#subject() subject}:
 *     {@code stage 'deploy' > needs}; empty when the problem is about the subject as a whole
 * @param message what was found and what was expected, as a sentence
 * @param fix how to fix it, as a sentence; may be empty when the message says it all
 * @since 0.1
 */
public record Problem(String path, String message, String fix) {

    /**
     * Checks that no component is null.
     *
     * @throws NullPointerException if a component is null
     */
    public Problem {
        checkNotNull(path, "path");
        checkNotNull(message, "message");
        checkNotNull(fix, "fix");
    }

    /** Returns a problem with {@code prefix > } in front of its path. */
    Problem under(String prefix) {
        return new Problem(path.isEmpty() ? prefix : prefix + " > " + path, message, fix);
    }

    /** Renders {@code path: message fix}. */
    @Override
    public String toString() {
        String where = path.isEmpty() ? "" : path + ": ";
        return fix.isEmpty() ? where + message : where + message + " " + fix;
    }
}
