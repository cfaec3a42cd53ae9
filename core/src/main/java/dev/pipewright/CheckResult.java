package dev.pipewright;

import static com.google.common.base.Preconditions.checkNotNull;

/**
 * The outcome of a {@link Check}.
 *
 * @param passed whether the stage may start
 * @param reason why, in words shown to the user and written to the journal
 * @since 0.1
 */
public record CheckResult(boolean passed, String reason) {

    /** Checks that the reason is present. */
    public CheckResult {
        checkNotNull(reason, "reason");
    }

    /** The stage may start. */
    public static CheckResult pass(String reason) {
        return new CheckResult(true, reason);
    }

    /** The stage must not start. */
    public static CheckResult fail(String reason) {
        return new CheckResult(false, reason);
    }
}
