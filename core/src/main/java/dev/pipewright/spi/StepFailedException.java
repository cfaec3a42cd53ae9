package dev.pipewright.spi;

import dev.pipewright.PipewrightException;
import java.util.OptionalInt;

/**
 * Thrown by a step that failed in an expected way: a command's non-zero exit, a check that did
 * not pass. Its message goes to the console, the journal and the reports, masked; no stack trace
 * is shown for it.
 *
 * @since 0.1
 */
public final class StepFailedException extends PipewrightException {
    private static final long serialVersionUID = 1L;

    private final int exitCode;

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
        super(message);
        this.exitCode = exitCode;
    }

    /** The failed command's exit status, if there was one. */
    public OptionalInt exitCode() {
        return exitCode < 0 ? OptionalInt.empty() : OptionalInt.of(exitCode);
    }
}
