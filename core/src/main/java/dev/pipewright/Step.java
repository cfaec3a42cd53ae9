package dev.pipewright;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One unit of work in a stage. Built in: {@link ShellStep} ({@code shell}), {@link JavaStep}
 * ({@code java}) and {@link OrbStep} ({@code circleci.orb}); the {@code aws} and {@code git}
 * modules and users add their own by implementing this interface and registering a step handler
 * with the runner.
 *
 * <p>Implementations are immutable values with {@code equals}. {@link #type()} and {@link
 * #parameters()} are the step's stable identity: they are what the journal records, what
 * reports show, what the pipeline digest covers and what exporters read, so they must not
 * change between releases for the same configuration.
 *
 * <pre>{@code
 * record Migrate(String database) implements Step {
 *     public String type() { return "acme.migrate"; }
 *     public String name() { return "migrate " + database; }
 *     public Map<String, String> parameters() { return Map.of("database", database); }
 * }
 * }</pre>
 *
 * @since 0.1
 */
public interface Step {
    /** What a {@link #type()} must look like: dot-separated lower-case words, such as {@code aws.lambda.deploy}. */
    Pattern TYPE_ID = Pattern.compile("[a-z][a-z0-9-]*(\\.[a-z][a-z0-9-]*)*");

    /** The stable type id, matching {@link #TYPE_ID}: {@code shell}, {@code java}, {@code aws.lambda.deploy}. */
    String type();

    /** A short human-readable name shown in logs and reports. */
    String name();

    /** The step's configuration as ordered string pairs, for the journal, reports, digests and exporters. */
    Map<String, String> parameters();

    /**
     * What the step needs its stage's roles to allow. Empty by default: a step that declares
     * nothing is taken to need no credentials, which the pipeline assertions use to find roles a
     * stage holds but does not use.
     */
    default List<Permission> permissions() {
        return List.of();
    }
}
