package dev.pipewright.examples;

import dev.pipewright.Role;
import dev.pipewright.spi.Credentials;
import dev.pipewright.spi.CredentialsProvider;
import dev.pipewright.spi.CredentialsRequest;
import dev.pipewright.spi.Plugin;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Credentials for the example's local sandbox: when no real credentials are given (no
 * {@code --credentials} file, no {@code AWS_*} variables), each stage acting as a role gets fresh
 * random credentials for that role, valid for the request's duration, so the example pipeline
 * runs end to end on a machine with only a JDK while showing role isolation and masking. The
 * sample's deploy steps publish into a sandbox folder, never to AWS.
 *
 * <p>The examples' command line registers it explicitly, with the git module's plugin.
 */
public final class SandboxCredentials implements CredentialsProvider, Plugin {
    private static final String UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final String ANY = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    private final SecureRandom random = new SecureRandom();

    /** The plugin. */
    public SandboxCredentials() {
    }

    @Override
    public String name() {
        return "examples sandbox";
    }

    @Override
    public List<CredentialsProvider> credentialsProviders() {
        return List.of(this);
    }

    @Override
    public boolean supports(Role role) {
        return true;
    }

    @Override
    public Credentials credentials(Role role, CredentialsRequest request) {
        Instant expires = Instant.now().plus(request.duration());
        return new Credentials(Map.of(
                "AWS_ACCESS_KEY_ID", "ASIA" + text(UPPER, 16),
                "AWS_SECRET_ACCESS_KEY", text(ANY, 40),
                "AWS_SESSION_TOKEN", text(ANY, 120)), Optional.of(expires));
    }

    private String text(String alphabet, int length) {
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return "the examples' sandbox credentials";
    }
}
