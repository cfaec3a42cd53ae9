package dev.pipewright.run;

import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableMap;
import dev.pipewright.PipewrightException;
import dev.pipewright.Role;
import dev.pipewright.spi.Credentials;
import dev.pipewright.spi.CredentialsProvider;
import dev.pipewright.spi.CredentialsRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Credentials given locally, for runs on a laptop or build box without a role-assumption service.
 *
 * <ul>
 *   <li>{@link #fromFile(Path)}: a file with a section per role, each listing the variables the
 *       role's stages get:
 *       <pre>
 * # ~/.pipewright/credentials
 * [deploy-development]
 * AWS_ACCESS_KEY_ID=AKIA...
 * AWS_SECRET_ACCESS_KEY=...
 * AWS_REGION=eu-west-2
 *       </pre>
 *       Blank lines and lines starting with {@code #} are ignored. Only roles with a section are
 *       supported, so another provider (STS) can serve the rest.
 *   <li>{@link #fromEnvironment(Map)}: the runner's own AWS credentials ({@code AWS_ACCESS_KEY_ID}
 *       and friends, or {@code AWS_PROFILE}...), handed to every stage that acts as a role, and
 *       only to those.
 * </ul>
 *
 * <p>Every value is a secret: the runner masks it everywhere.
 *
 * @since 0.1
 */
public final class LocalCredentials implements CredentialsProvider {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final Map<String, Map<String, String>> byRole;
    private final Map<String, String> shared;
    private final String source;

    private LocalCredentials(Map<String, Map<String, String>> byRole, Map<String, String> shared, String source) {
        this.byRole = byRole;
        this.shared = shared;
        this.source = source;
    }

    /**
     * The credentials in {@code file}, by role.
     *
     * @throws PipewrightException naming the file and line of the first malformed line
     * @throws UncheckedIOException if the file cannot be read
     */
    public static LocalCredentials fromFile(Path file) {
        checkNotNull(file, "file");
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the credentials file " + file + ": " + e.getMessage(), e);
        }
        Map<String, Map<String, String>> roles = new LinkedHashMap<>();
        Map<String, String> current = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            String where = file + ":" + (i + 1) + ": ";
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                String role = line.substring(1, line.length() - 1).strip();
                if (role.isEmpty() || roles.containsKey(role)) {
                    throw new PipewrightException(where + (role.isEmpty() ? "a section needs a role name, as in"
                            + " [deploy-staging]." : "role '" + role + "' has a second section; merge them."));
                }
                current = new LinkedHashMap<>();
                roles.put(role, current);
                continue;
            }
            int eq = line.indexOf('=');
            if (current == null || eq <= 0 || !NAME.matcher(line.substring(0, eq).strip()).matches()) {
                throw new PipewrightException(where + (current == null
                        ? "a variable before any [role] section; start the file with the role's name in brackets."
                        : "expected NAME=VALUE, such as AWS_REGION=eu-west-2, but found a line that is not."));
            }
            current.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
        }
        roles.forEach((role, vars) -> {
            if (vars.isEmpty()) {
                throw new PipewrightException(file + ": role '" + role + "' has no variables; add them or remove"
                        + " its section.");
            }
        });
        Map<String, Map<String, String>> copy = new LinkedHashMap<>();
        roles.forEach((k, v) -> copy.put(k, ImmutableMap.copyOf(v)));
        return new LocalCredentials(ImmutableMap.copyOf(copy), Map.of(), "file " + file);
    }

    /**
     * The AWS credentials in {@code environment}, for every role: the access key pair (with its
     * session token), or a profile (with the config and credentials files it reads), or a web
     * identity token file with its role, or the container credentials endpoint. Supports no role
     * when the environment holds none of them. Other {@code AWS_*} variables, such as
     * {@code AWS_REGION}, are not credentials: let stages inherit them with
     * {@link dev.pipewright.Pipeline.Builder#inherit(String...)}.
     */
    public static LocalCredentials fromEnvironment(Map<String, String> environment) {
        checkNotNull(environment, "environment");
        Map<String, String> aws = new LinkedHashMap<>();
        boolean keys = environment.containsKey("AWS_ACCESS_KEY_ID") && environment.containsKey("AWS_SECRET_ACCESS_KEY");
        boolean profile = environment.containsKey("AWS_PROFILE");
        boolean webIdentity = environment.containsKey("AWS_WEB_IDENTITY_TOKEN_FILE")
                && environment.containsKey("AWS_ROLE_ARN");
        boolean container = environment.containsKey("AWS_CONTAINER_CREDENTIALS_FULL_URI")
                || environment.containsKey("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
        List<String> names = new java.util.ArrayList<>();
        if (keys) {
            names.addAll(List.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"));
        }
        if (profile) {
            names.addAll(List.of("AWS_PROFILE", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"));
        }
        if (webIdentity) {
            names.addAll(List.of("AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN", "AWS_ROLE_SESSION_NAME"));
        }
        if (container) {
            names.addAll(List.of("AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
                    "AWS_CONTAINER_AUTHORIZATION_TOKEN"));
        }
        for (String name : names) {
            String value = environment.get(name);
            if (value != null) {
                aws.put(name, value);
            }
        }
        return new LocalCredentials(Map.of(), ImmutableMap.copyOf(aws), "the runner's environment");
    }

    @Override
    public boolean supports(Role role) {
        return byRole.isEmpty() ? !shared.isEmpty() : byRole.containsKey(role.name());
    }

    @Override
    public Credentials credentials(Role role, CredentialsRequest request) {
        Map<String, String> vars = byRole.isEmpty() ? shared : byRole.get(role.name());
        if (vars == null || vars.isEmpty()) {
            throw new PipewrightException("No credentials for role '" + role.name() + "' in " + source + ".");
        }
        return Credentials.of(vars);
    }

    @Override
    public String toString() {
        return "local credentials from " + source;
    }
}
