package dev.pipewright.spi;

import dev.pipewright.Role;

/**
 * Turns a stage's {@link Role} into credentials, handed to that stage alone as environment
 * variables. Core ships {@code LocalCredentials} (credentials given in a file or the runner's
 * environment); the {@code aws} module adds STS role assumption.
 *
 * <p>Called before each attempt of each stage that acts as a role the provider {@link
 * #supports}; a provider may cache, but must return credentials valid for the request's
 * duration. Must be thread-safe.
 *
 * @since 0.1
 */
public interface CredentialsProvider {
    /** Whether this provider can give credentials for {@code role}. */
    boolean supports(Role role);

    /**
     * Credentials for {@code role}, for the stage described by {@code request}.
     *
     * @throws Exception if none can be had; the stage fails with the message, masked
     */
    Credentials credentials(Role role, CredentialsRequest request) throws Exception;
}
