package dev.pipewright.circleci;

import static com.google.common.base.Preconditions.checkNotNull;

/**
 * One thing wrong with a CircleCI configuration file, where it is and what it is.
 *
 * @param file the file as named by the caller
 * @param line 1-based line, or 0 when unknown
 * @param column 1-based column, or 0 when unknown
 * @param path the key path, such as {@code workflows.build.jobs[2].deploy.requires}; empty for a
 *     YAML syntax error
 * @param message what is wrong and, where it helps, how to fix it
 * @since 0.1
 */
public record ConfigProblem(String file, int line, int column, String path, String message) {

    /** Checks that no component is null. */
    public ConfigProblem {
        checkNotNull(file, "file");
        checkNotNull(path, "path");
        checkNotNull(message, "message");
    }

    /** {@code file:line:column: key.path: message}, leaving out what is unknown. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(file);
        if (line > 0) {
            b.append(':').append(line).append(':').append(column);
        }
        b.append(": ");
        if (!path.isEmpty()) {
            b.append(path).append(": ");
        }
        return b.append(message).toString();
    }
}
