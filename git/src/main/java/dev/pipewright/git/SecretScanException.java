package dev.pipewright.git;

import dev.pipewright.PipewrightException;

/**
 * A secret scan could not run: a missing folder, a folder outside any repository, an unknown
 * revision, an invalid allowlist, an unreadable file. The message names the offending element
 * and the fix. A {@linkplain SecretScanning#check() gate} fails closed on it.
 *
 * @since 0.1
 */
public final class SecretScanException extends PipewrightException {
    private static final long serialVersionUID = 1L;

    SecretScanException(String message) {
        super(message);
    }

    SecretScanException(String message, Throwable cause) {
        super(message, cause);
    }
}
