package dev.pipewright.circleci;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A step that invokes a command: one under {@code commands} ({@code - greet}), or an orb's
 * ({@code - node/install: {node-version: "20"}}), with its arguments. Its data is
 * {@code {name: {arguments}}}.
 *
 * <p>The arguments are kept as plain data, as written: which of them are steps or numbers
 * depends on the command's parameters, which for an orb's command are not in the configuration.
 *
 * @param name the command's name, or {@code alias/command}
 * @param arguments values for the command's parameters, ordered, as plain data
 * @since 0.1
 */
public record CommandStep(String name, Map<String, @Nullable Object> arguments) implements CircleCiStep {

    /**
     * Checks the name is neither a built-in step nor {@code when}/{@code unless}, which would read
     * back as another type; copies the arguments as plain data.
     *
     * @throws IllegalArgumentException for such a name or arguments that are not plain data
     */
    public CommandStep {
        checkNotNull(name, "name");
        checkArgument(!Steps.RESERVED.contains(name), "'%s' is a built-in step, not a command; use its own type", name);
        arguments = PlainData.copyMap(arguments);
    }

    /** An invocation with arguments. */
    public static CommandStep of(String name, Map<String, ?> arguments) {
        return new CommandStep(name, PlainData.copyMap(arguments));
    }

    /** Whether the command is an orb's: its name is {@code alias/command}. */
    public boolean isOrbCommand() {
        return name.contains("/");
    }

    Map<String, @Nullable Object> toData() {
        return Map.of(name, arguments);
    }
}
