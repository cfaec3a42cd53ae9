package dev.pipewright.circleci;

import dev.pipewright.PipewrightException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Thrown when a CircleCI configuration cannot be read or is invalid; lists every problem found,
 * each as {@code file:line:column: key.path: message}.
 *
 * @since 0.1
 */
public final class InvalidConfigException extends PipewrightException {
    private static final long serialVersionUID = 1L;

    private final transient List<ConfigProblem> problems;

    /**
     * @param problems at least one problem
     */
    public InvalidConfigException(List<ConfigProblem> problems) {
        super(problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    /** Every problem found; never empty. */
    public List<ConfigProblem> problems() {
        return problems;
    }
}
