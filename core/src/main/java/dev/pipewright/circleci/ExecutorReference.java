package dev.pipewright.circleci;

import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A job's {@code executor}: the name of a reusable or orb executor ({@code executor: node/default}),
 * or a mapping with its name and arguments ({@code executor: {name: node/default, tag: "20.1"}}).
 * The two forms are kept apart even without arguments, as written.
 *
 * @since 0.1
 */
public final class ExecutorReference {
    private final String name;
    private final @Nullable Map<String, @Nullable Object> arguments;

    private ExecutorReference(String name, @Nullable Map<String, @Nullable Object> arguments) {
        this.name = checkNotNull(name, "name");
        this.arguments = arguments;
    }

    /** {@code executor: name}. */
    public static ExecutorReference named(String name) {
        return new ExecutorReference(name, null);
    }

    /**
     * {@code executor: {name: name, ...arguments}}.
     *
     * @param arguments parameter values as plain data (strings, numbers, booleans, lists, maps)
     * @throws IllegalArgumentException when an argument is called {@code name} or is not plain data
     */
    public static ExecutorReference of(String name, Map<String, ?> arguments) {
        checkNotNull(arguments, "arguments");
        if (arguments.containsKey("name")) {
            throw new IllegalArgumentException(
                    "an executor argument cannot be called 'name': that key names the executor");
        }
        return new ExecutorReference(name, PlainData.copyMap(arguments));
    }

    /** The executor's name, such as {@code default} or {@code node/default}. */
    public String name() {
        return name;
    }

    /** The arguments, in order; empty for the short form. */
    public Map<String, @Nullable Object> arguments() {
        return arguments == null ? Map.of() : arguments;
    }

    /** Whether it is written as a mapping with {@code name}, rather than as the bare name. */
    public boolean isMapping() {
        return arguments != null;
    }

    Object toData() {
        if (arguments == null) {
            return name;
        }
        return new FieldWriter().put("name", name).build(arguments);
    }

    static final Shape<ExecutorReference> SHAPE = new Shape<>("an executor name, or a mapping with its name and arguments",
            (v, p, w) -> {
                if (v instanceof String s) {
                    return named(s);
                }
                if (v instanceof Map<?, ?> m && m.get("name") instanceof String n) {
                    Map<String, @Nullable Object> args = new java.util.LinkedHashMap<>(PlainData.copyMap(m));
                    args.remove("name");
                    return new ExecutorReference(n, java.util.Collections.unmodifiableMap(args));
                }
                return null;
            });

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof ExecutorReference r && name.equals(r.name) && Objects.equals(arguments, r.arguments);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, arguments);
    }

    @Override
    public String toString() {
        return String.valueOf(toData());
    }
}
