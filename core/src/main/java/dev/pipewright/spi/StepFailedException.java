package dev.pipewright.spi;

import dev.pipewright.PipewrightException;
import java.util.OptionalInt;

/**
 * Thrown by a step that failed in an expected way: a command's non-zero exit, a check that did
 * not pass. Its message goes to the console, the journal and the reports, masked; no stack trace
 * is shown for it.
 *
 * <p>A step that failed but undid its change first (a deploy that moved traffic back to the
 * previous version) throws {@link #rolledBack(String)}: its stage ends {@link
 * StageOutcome#ROLLED_BACK} rather than {@link StageOutcome#FAILED}, and is not retried.
 *
 * <pre>{@code
 * restorePreviousVersion();
 * throw StepFailedException.rolledBack("alarm 'housing-api-5xx' went to ALARM at 10% on version 42;"
 *         + " alias 'live' is back on version 41");
 * }</pre>
 *
 * @since 0.1
 */
public final class StepFailedException extends PipewrightException {
    private static final long serialVersionUID = 1L;

    private final int exitCode;
    private final boolean rolledBack;

    /** A failure with {@code message} and no exit code. */
    public StepFailedException(String message) {
        this(message, -1);
    }

    /**
     * A failure with {@code message} and the failed command's {@code exitCode}.
     *
     * @param exitCode the exit status, or -1 for none
     */
    public StepFailedException(String message, int exitCode) {
        this(message, exitCode, false);
    }

    private StepFailedException(String message, int exitCode, boolean rolledBack) {
        super(message);
        this.exitCode = exitCode;
        this.rolledBack = rolledBack;
    }

    /**
     * A failure after which the step restored what it had changed; its stage ends {@link
     * StageOutcome#ROLLED_BACK}. Throw it only once the rollback succeeded: a failed rollback
     * is a plain failure.
     *
     * @param message what failed and what was restored
     */
    public static StepFailedException rolledBack(String message) {
        return new StepFailedException(message, -1, true);
    }

    /** Whether the step restored what it had changed before failing. */
    public boolean rolledBack() {
        return rolledBack;
    }

    /** The failed command's exit status, if there was one. */
    public OptionalInt exitCode() {
        return exitCode < 0 ? OptionalInt.empty() : OptionalInt.of(exitCode);
    }
}
