package dev.pipewright;

import com.google.common.collect.ImmutableMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A command from a CircleCI orb (type {@code circleci.orb}), such as {@code aws-cli/setup}. The
 * orb's alias must be declared with {@code circleci(c -> c.orb("aws-cli", "circleci/aws-cli@5.1"))}
 * on the pipeline. Locally such a step runs only when a step handler is registered for it;
 * otherwise the runner refuses the run before it starts, naming the step.
 *
 * <pre>{@code
 * OrbStep.of("aws-cli/setup", Map.of("role_arn", "${DEPLOY_ROLE_ARN}"))
 * }</pre>
 *
 * <p>Orb steps are immutable and thread-safe.
 *
 * @since 0.1
 */
public final class OrbStep implements Step {
    /** The type id of orb steps. */
    public static final String TYPE = "circleci.orb";
    private static final Pattern COMMAND = Pattern.compile("[A-Za-z][A-Za-z0-9_-]*/[A-Za-z][A-Za-z0-9_-]*");

    private final String command;
    private final Map<String, Object> arguments;

    private OrbStep(String command, Map<String, Object> arguments) {
        this.command = command;
        this.arguments = ImmutableMap.copyOf(arguments);
    }

    /**
     * The orb command without arguments.
     *
     * @throws InvalidPipelineException if {@code command} is null or not {@code alias/command}
     */
    public static OrbStep of(String command) {
        return of(command, Map.of());
    }

    /**
     * The orb command with arguments; values are strings, booleans or whole numbers, as the orb's
     * parameters declare them.
     *
     * @throws InvalidPipelineException if {@code command} is null or not {@code alias/command},
     *     or {@code arguments} is null or holds a null key, a null value or a value of another
     *     type, listing every problem
     */
    public static OrbStep of(String command, Map<String, ?> arguments) {
        Problems problems = new Problems();
        if (problems.nonNull(command, "command") && !COMMAND.matcher(command).matches()) {
            problems.add("command", "'" + command + "' is not an orb command.",
                    "Write it as alias/command, such as aws-cli/setup.");
        }
        Map<String, Object> args = new LinkedHashMap<>();
        if (problems.nonNull(arguments, "arguments")) {
            arguments.forEach((k, v) -> {
                if (k == null || v == null) {
                    problems.add("arguments", "a null key or value was given.", "Give every argument a name and a value.");
                } else if (!(v instanceof String || v instanceof Boolean || v instanceof Integer || v instanceof Long)) {
                    problems.add("arguments." + k, "a " + typeName(v) + " was given: " + v + ".",
                            "Give a string, boolean or whole number.");
                } else {
                    args.put(k, v);
                }
            });
        }
        problems.throwIfAny("Orb step " + Problems.quote(command));
        return new OrbStep(command, args);
    }

    /** A name users recognise: JDK collection classes are called {@code ListN} or {@code MapN}. */
    private static String typeName(Object value) {
        if (value instanceof java.util.List<?>) {
            return "list";
        }
        if (value instanceof java.util.Map<?, ?>) {
            return "map";
        }
        if (value instanceof java.util.Set<?>) {
            return "set";
        }
        return value.getClass().getSimpleName();
    }

    @Override
    public String type() {
        return TYPE;
    }

    /** The command, {@code alias/command}. */
    @Override
    public String name() {
        return command;
    }

    /** The command, {@code alias/command}. */
    public String command() {
        return command;
    }

    /** The orb alias: the part before the slash. */
    public String alias() {
        return command.substring(0, command.indexOf('/'));
    }

    /** The arguments in the order given; values are String, Boolean, Integer or Long. */
    public Map<String, Object> arguments() {
        return arguments;
    }

    /**
     * The step's configuration: {@code command}, then {@code arguments.NAME} for each argument in
     * the order given, its value as a string.
     */
    @Override
    public Map<String, String> parameters() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("command", command);
        arguments.forEach((k, v) -> p.put("arguments." + k, String.valueOf(v)));
        return ImmutableMap.copyOf(p);
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof OrbStep s && command.equals(s.command) && arguments.equals(s.arguments);
    }

    @Override
    public int hashCode() {
        return Objects.hash(command, arguments);
    }

    @Override
    public String toString() {
        return "orb step '" + command + "'";
    }
}
