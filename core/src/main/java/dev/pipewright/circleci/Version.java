package dev.pipewright.circleci;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import org.jspecify.annotations.Nullable;

/**
 * A version kept as written: as a YAML string ({@code "2.1"}) or as a YAML number ({@code 2.1}).
 * CircleCI accepts both for the configuration's {@code version}, the legacy
 * {@code workflows.version}, {@code macos.xcode} and {@code setup_remote_docker.version}; keeping
 * which one was written lets a configuration be written back unchanged.
 *
 * <pre>{@code
 * Version.V2_1             // version: 2.1
 * Version.string("2.1")    // version: "2.1"
 * Version.string("15.4.0") // xcode: "15.4.0"
 * }</pre>
 *
 * @param text the version's text; for a number, as Java prints it ({@code 2.1}, {@code 2})
 * @param number whether it is written as a YAML number
 * @since 0.1
 */
public record Version(String text, boolean number) {

    /** {@code version: 2.1}, as CircleCI's documentation writes it. */
    public static final Version V2_1 = number("2.1");

    /**
     * Checks the text; a number's text must be a decimal number, kept in the form Java prints it.
     *
     * @throws IllegalArgumentException for a number that is not a finite decimal or not in that form
     */
    public Version {
        checkNotNull(text, "text");
        if (number) {
            checkArgument(text.equals(normal(text)),
                    "a numeric version must be a finite decimal written as %s but was '%s'", normal(text), text);
        }
    }

    /** A version written as a YAML string. */
    public static Version string(String text) {
        return new Version(text, false);
    }

    /**
     * A version written as a YAML number, such as {@code "2.1"} or {@code "2"}.
     *
     * @throws IllegalArgumentException when {@code text} is not a finite decimal number
     */
    public static Version number(String text) {
        checkNotNull(text, "text");
        return new Version(normal(text), true);
    }

    private static String normal(String text) {
        try {
            if (text.matches("-?\\d+")) {
                return Long.valueOf(text).toString();
            }
            double d = Double.parseDouble(text);
            checkArgument(Double.isFinite(d) && text.matches("-?\\d+\\.\\d+([eE][-+]?\\d+)?|-?\\d+[eE][-+]?\\d+"),
                    "a numeric version must be a finite decimal but was '%s'", text);
            return Double.toString(d);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a numeric version must be a decimal number but was '" + text + "'", e);
        }
    }

    /** The data: the string, or a {@code Long} or {@code Double}. */
    Object toData() {
        if (!number) {
            return text;
        }
        return text.matches("-?\\d+") ? (Object) Long.valueOf(text) : (Object) Double.valueOf(text);
    }

    /** The version {@code value} holds, or null when it is not a string or a finite number. */
    static @Nullable Version fromData(@Nullable Object value) {
        if (value instanceof String s) {
            return string(s);
        }
        if (value instanceof Long l) {
            return new Version(l.toString(), true);
        }
        if (value instanceof Double d && Double.isFinite(d)) {
            return new Version(d.toString(), true);
        }
        return null;
    }

    /** The text, quoted when written as a string. */
    @Override
    public String toString() {
        return number ? text : '"' + text + '"';
    }
}
