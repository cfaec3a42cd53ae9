package dev.pipewright.cli;

/** A mistake in how a command was called: exit code 2 with the message, no stack trace. */
final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
