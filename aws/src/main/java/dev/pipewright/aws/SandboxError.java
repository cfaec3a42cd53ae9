package dev.pipewright.aws;

import java.util.Map;

/**
 * An AWS error a fake answers with: HTTP status, error code and message, written in the
 * service's protocol by {@link SandboxProtocol}.
 */
final class SandboxError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final boolean sender;
    private final transient Map<String, String> headers;

    private SandboxError(int status, String code, String message, boolean sender, Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.sender = sender;
        this.headers = Map.copyOf(headers);
    }

    /** An error the caller caused (4xx). */
    static SandboxError client(int status, String code, String message) {
        return new SandboxError(status, code, message, true, Map.of());
    }

    /** An error with extra response headers, such as {@code Retry-After}. */
    static SandboxError of(int status, String code, String message, Map<String, String> headers) {
        return new SandboxError(status, code, message, status < 500, headers);
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    /** Whether the caller is at fault ({@code Sender}) rather than the service ({@code Receiver}). */
    boolean sender() {
        return sender;
    }

    Map<String, String> headers() {
        return headers;
    }
}
