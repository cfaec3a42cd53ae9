package dev.pipewright;

import java.util.List;

/**
 * Thrown by {@code build()} when a pipeline or one of its parts is invalid. Lists every problem
 * found, not only the first, each with its path, what was found and how to fix it:
 *
 * <pre>
 * Pipeline 'housing-api' is invalid (2 problems):
 *  1. stage 'deploy-prod' &gt; in(prod): environment 'prod' is not declared on the pipeline;
 *     declared: [development, production]. ...
 *  2. stage 'test' &gt; needs: cycle test -&gt; deploy-prod -&gt; test. ...
 * </pre>
 *
 * <p>The problems are not serialized: a deserialized exception keeps only its message and
 * subject.
 *
 * @since 0.1
 */
public final class InvalidPipelineException extends PipewrightException {
    private static final long serialVersionUID = 1L;

    /** What is invalid; see {@link #subject()}. */
    private final String subject;
    private final transient List<Problem> problems;

    /**
     * An exception listing {@code problems} of {@code subject}, each on its own numbered line.
     *
     * @param subject what is invalid, for example {@code Pipeline 'housing-api'}
     * @param problems at least one problem
     * @throws NullPointerException if {@code subject} is null, or {@code problems} is or holds null
     */
    public InvalidPipelineException(String subject, List<Problem> problems) {
        super(render(subject, problems));
        this.subject = subject;
        this.problems = List.copyOf(problems);
    }

    /** What is invalid, for example {@code Pipeline 'housing-api'}. */
    public String subject() {
        return subject;
    }

    /** Every problem found, in the order found; never empty. */
    public List<Problem> problems() {
        return problems;
    }

    private static String render(String subject, List<Problem> problems) {
        StringBuilder b = new StringBuilder(subject).append(" is invalid (")
                .append(problems.size()).append(problems.size() == 1 ? " problem):" : " problems):");
        for (int i = 0; i < problems.size(); i++) {
            b.append('\n').append(String.format("%2d. ", i + 1)).append(problems.get(i));
        }
        return b.toString();
    }
}
