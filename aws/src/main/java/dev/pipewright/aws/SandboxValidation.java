package dev.pipewright.aws;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Collects violations of a request's modelled constraints (required, length, pattern, range) and
 * reports them as AWS does: {@code 2 validation errors detected: Value 'x' at 'roleSessionName'
 * failed to satisfy constraint: ...; ...}.
 */
final class SandboxValidation {
    private final List<String> problems = new ArrayList<>();

    /** Whether {@code value} is present; records a violation if not. */
    boolean required(String member, @Nullable Object value) {
        if (value == null) {
            problems.add("Value null at '" + member + "' failed to satisfy constraint: Member must not be null");
            return false;
        }
        return true;
    }

    void length(String member, @Nullable String value, int min, int max) {
        if (value == null) {
            return;
        }
        int n = value.codePointCount(0, value.length());
        if (n < min) {
            problems.add("Value '" + value + "' at '" + member + "' failed to satisfy constraint: Member must have"
                    + " length greater than or equal to " + min);
        } else if (n > max) {
            problems.add("Value '" + abbreviate(value) + "' at '" + member + "' failed to satisfy constraint: Member"
                    + " must have length less than or equal to " + max);
        }
    }

    void pattern(String member, @Nullable String value, Pattern pattern) {
        if (value != null && !pattern.matcher(value).matches()) {
            problems.add("Value '" + abbreviate(value) + "' at '" + member + "' failed to satisfy constraint: Member"
                    + " must satisfy regular expression pattern: " + pattern.pattern());
        }
    }

    void range(String member, @Nullable Number value, double min, double max) {
        if (value == null) {
            return;
        }
        double v = value.doubleValue();
        if (v < min) {
            problems.add("Value '" + value + "' at '" + member + "' failed to satisfy constraint: Member must have"
                    + " value greater than or equal to " + format(min));
        } else if (v > max) {
            problems.add("Value '" + value + "' at '" + member + "' failed to satisfy constraint: Member must have"
                    + " value less than or equal to " + format(max));
        }
    }

    void add(String problem) {
        problems.add(problem);
    }

    /** Throws {@code code} with every violation, if there is one. */
    void throwIfAny(int status, String code) {
        if (!problems.isEmpty()) {
            throw SandboxError.client(status, code, problems.size() + " validation error"
                    + (problems.size() == 1 ? "" : "s") + " detected: " + String.join("; ", problems));
        }
    }

    private static String format(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    private static String abbreviate(String value) {
        return value.length() <= 100 ? value : value.substring(0, 100) + "...";
    }
}
