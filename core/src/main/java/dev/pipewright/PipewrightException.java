package dev.pipewright;

/**
 * The root of every exception Pipewright throws on purpose. Unchecked.
 *
 * @since 0.1
 */
public class PipewrightException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with {@code message}.
     *
     * @param message what went wrong, where and how to fix it
     */
    public PipewrightException(String message) {
        super(message);
    }

    /**
     * An exception with {@code message}, caused by {@code cause}.
     *
     * @param message what went wrong, where and how to fix it
     * @param cause the underlying failure
     */
    public PipewrightException(String message, Throwable cause) {
        super(message, cause);
    }
}
