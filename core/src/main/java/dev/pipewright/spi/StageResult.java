package dev.pipewright.spi;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * How one stage, or one hook, of a run ended. Messages are masked.
 *
 * @param stage the stage's name; a hook's is {@code <stage>:onFailure}, {@code pipeline:onFailure}
 *     or {@code pipeline:always}
 * @param outcome how it ended
 * @param attempts how many times it started, 0 if never
 * @param exitCode the exit status of the command that ended it, if a command did
 * @param duration from its first start to its end, zero if it never started
 * @param message why it failed, was skipped or refused; empty when it succeeded
 * @since 0.1
 */
public record StageResult(String stage, StageOutcome outcome, int attempts, OptionalInt exitCode, Duration duration,
        Optional<String> message) {
    /** Checks the components. */
    public StageResult {
        checkNotNull(stage, "stage");
        checkNotNull(outcome, "outcome");
        checkArgument(attempts >= 0, "attempts must not be negative but was %s", attempts);
        checkNotNull(exitCode, "exitCode");
        checkNotNull(duration, "duration");
        checkNotNull(message, "message");
    }
}
