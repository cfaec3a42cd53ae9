package dev.pipewright;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.time.Duration;

/**
 * How often a failed stage is tried again. The wait doubles after each try, and no try starts
 * past the run's deadline.
 *
 * @param attempts how many times the stage runs at most, 2 to 10
 * @param backoff the wait before the second try, positive, at most an hour
 * @since 0.1
 */
public record Retry(int attempts, Duration backoff) {
    /** The most attempts a stage may have. */
    public static final int MAX_ATTEMPTS = 10;

    /** Checks the bounds. */
    public Retry {
        checkNotNull(backoff, "backoff");
        checkArgument(attempts >= 2 && attempts <= MAX_ATTEMPTS,
                "attempts must be between 2 and %s but was %s", MAX_ATTEMPTS, attempts);
        checkArgument(!backoff.isNegative() && !backoff.isZero() && backoff.compareTo(Duration.ofHours(1)) <= 0,
                "backoff must be positive and at most an hour but was %s", backoff);
    }

    /** Up to {@code attempts} runs, waiting {@code backoff}, then twice that, and so on. */
    public static Retry of(int attempts, Duration backoff) {
        return new Retry(attempts, backoff);
    }
}
