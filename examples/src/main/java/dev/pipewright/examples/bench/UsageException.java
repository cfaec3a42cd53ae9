package dev.pipewright.examples.bench;

/** A mistake in how {@code bench} was called, or missing input: exit code 2 with the message. */
final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
