package dev.pipewright.spi;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableMap;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Credentials as the environment variables a stage gets, such as {@code AWS_ACCESS_KEY_ID},
 * {@code AWS_SECRET_ACCESS_KEY} and {@code AWS_SESSION_TOKEN}. Every value is treated as a secret
 * and masked wherever it could appear.
 *
 * @param environment the variables, at least one
 * @param expiresAt when they stop working, if they do
 * @since 0.1
 */
public record Credentials(Map<String, String> environment, Optional<Instant> expiresAt) {
    /** Copies the variables and checks there is at least one. */
    public Credentials {
        checkNotNull(environment, "environment");
        checkNotNull(expiresAt, "expiresAt");
        checkArgument(!environment.isEmpty(), "credentials need at least one variable");
        environment = ImmutableMap.copyOf(environment);
    }

    /** Credentials that do not expire. */
    public static Credentials of(Map<String, String> environment) {
        return new Credentials(environment, Optional.empty());
    }

    /** Shows the variable names only. */
    @Override
    public String toString() {
        return "credentials " + environment.keySet() + expiresAt.map(e -> " until " + e).orElse("");
    }
}
