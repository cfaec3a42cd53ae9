package dev.pipewright;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Collects the problems a builder finds, so that {@code build()} reports all of them at once. */
final class Problems {
    /** Names CircleCI accepts for jobs, minus spaces: they are used on command lines and in paths. */
    static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,127}");
    static final String NAME_RULE = "Names start with a letter and hold only letters, digits, '-' and '_'"
            + " (at most 128), as CircleCI job names and command lines need.";
    private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final List<Problem> list = new ArrayList<>();

    void add(String path, String message, String fix) {
        list.add(new Problem(path, message, fix));
    }

    void addAll(List<Problem> problems, String prefix) {
        for (Problem p : problems) {
            list.add(prefix.isEmpty() ? p : p.under(prefix));
        }
    }

    /** Records a problem when {@code value} is null; returns whether it was non-null. */
    boolean nonNull(@Nullable Object value, String path) {
        if (value == null) {
            add(path, "null given.", "Pass a value.");
            return false;
        }
        return true;
    }

    /** Records a problem when the array or any element is null; returns whether all were non-null. */
    boolean nonNullElements(@Nullable Object @Nullable [] values, String path) {
        if (values == null) {
            return nonNull(null, path);
        }
        for (Object v : values) {
            if (v == null) {
                add(path, "null element given.", "Pass values, not null.");
                return false;
            }
        }
        return true;
    }

    /** Records a problem when {@code duration} is null, zero or negative; returns whether it was positive. */
    boolean positive(java.time.@Nullable Duration duration, String path) {
        if (!nonNull(duration, path)) {
            return false;
        }
        if (duration.isNegative() || duration.isZero()) {
            add(path, "must be positive but was " + duration + ".", "Give a positive duration.");
            return false;
        }
        return true;
    }

    void checkName(@Nullable String name, String path) {
        if (name == null) {
            nonNull(null, path);
        } else if (!NAME.matcher(name).matches()) {
            add(path, "'" + name + "' is not a valid name.", NAME_RULE);
        }
    }

    void checkVariableName(String name, String path) {
        if (!VARIABLE.matcher(name).matches()) {
            add(path, "'" + name + "' is not a valid environment variable name.",
                    "Use letters, digits and '_', not starting with a digit.");
        } else if (name.startsWith("CIRCLE_")) {
            add(path, "'" + name + "' starts with CIRCLE_, which CircleCI reserves for its own variables.",
                    "Choose another name.");
        }
    }

    /** Records each name that is both a plain variable and a secret: its value would leak. */
    void checkSecretsAreNotVariables(java.util.Set<String> secrets, java.util.Map<String, String> variables) {
        for (String s : secrets) {
            if (variables.containsKey(s)) {
                add("secrets", "'" + s + "' is both a variable and a secret.",
                        "Keep it as a secret only, so its value never reaches logs or exported YAML.");
            }
        }
    }

    boolean isEmpty() {
        return list.isEmpty();
    }

    List<Problem> list() {
        return List.copyOf(list);
    }

    void throwIfAny(String subject) {
        if (!list.isEmpty()) {
            throw new InvalidPipelineException(subject, list);
        }
    }

    static String quote(@Nullable String name) {
        return "'" + Objects.toString(name) + "'";
    }
}
