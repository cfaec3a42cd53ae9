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

    /**
     * Checks that the reason is present.
     *
     * @throws NullPointerException if {@code reason} is null
     */
    public CheckResult {
        checkNotNull(reason, "reason");
    }

    /**
     * The stage may start, for {@code reason}.
     *
     * @throws NullPointerException if {@code reason} is null
     */
    public static CheckResult pass(String reason) {
        return new CheckResult(true, reason);
    }

    /**
     * The stage must not start, for {@code reason}.
     *
     * @throws NullPointerException if {@code reason} is null
     */
    public static CheckResult fail(String reason) {
        return new CheckResult(false, reason);
    }
}
