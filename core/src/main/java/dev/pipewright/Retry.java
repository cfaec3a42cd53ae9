package dev.pipewright;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.time.Duration;

/**
 * How often a failed stage is tried again. The wait doubles after each try, and no try starts
 * past the run's deadline. Immutable and thread-safe.
 *
 * @param attempts how many times the stage runs at most, 2 to 10
 * @param backoff the wait before the second try, positive, at most an hour
 * @since 0.1
 */
public record Retry(int attempts, Duration backoff) {
    /** The most attempts a stage may have. */
    public static final int MAX_ATTEMPTS = 10;

    /**
     * Checks the bounds.
     *
     * @throws NullPointerException if {@code backoff} is null
     * @throws IllegalArgumentException if {@code attempts} or {@code backoff} is out of bounds
     */
    public Retry {
        checkNotNull(backoff, "backoff");
        checkArgument(attempts >= 2 && attempts <= MAX_ATTEMPTS,
                "attempts must be between 2 and %s but was %s", MAX_ATTEMPTS, attempts);
        checkArgument(!backoff.isNegative() && !backoff.isZero() && backoff.compareTo(Duration.ofHours(1)) <= 0,
                "backoff must be positive and at most an hour but was %s", backoff);
    }

    /**
     * Up to {@code attempts} runs, waiting {@code backoff}, then twice that, and so on.
     *
     * @throws NullPointerException if {@code backoff} is null
     * @throws IllegalArgumentException if {@code attempts} is not 2 to {@value #MAX_ATTEMPTS}, or
     *     {@code backoff} is not positive or is over an hour
     */
    public static Retry of(int attempts, Duration backoff) {
        return new Retry(attempts, backoff);
    }
}
