package dev.pipewright;

import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jspecify.annotations.Nullable;

/**
 * A branch or tag name pattern as CircleCI reads it: text between slashes (<code>/release-.*&#47;</code>)
 * is a Java regular expression that must match the <em>whole</em> name; anything else is an exact
 * name. CircleCI evaluates these patterns on the JVM, so the regex dialect is the same.
 *
 * <p>An invalid regular expression does not throw here: {@link #problem()} describes it and the
 * builder that holds the pattern reports it from {@code build()}.
 *
 * <p>Patterns are immutable and thread-safe, and equal when written the same.
 *
 * @since 0.1
 */
public final class NamePattern {
    private final String text;
    private final @Nullable Pattern regex;
    private final @Nullable String problem;

    private NamePattern(String text) {
        this.text = text;
        Pattern compiled = null;
        String error = null;
        if (isRegexText(text)) {
            try {
                compiled = Pattern.compile(text.substring(1, text.length() - 1));
            } catch (PatternSyntaxException e) {
                error = "invalid regular expression " + text + ": " + e.getDescription()
                        + " near index " + e.getIndex() + ".";
            }
        } else if (text.isBlank()) {
            error = "a blank name matches nothing.";
        }
        this.regex = compiled;
        this.problem = error;
    }

    /**
     * Reads {@code text}: {@code /regex/} or an exact name.
     *
     * @throws NullPointerException if {@code text} is null
     */
    public static NamePattern of(String text) {
        return new NamePattern(checkNotNull(text, "text"));
    }

    private static boolean isRegexText(String text) {
        return text.length() >= 2 && text.startsWith("/") && text.endsWith("/");
    }

    /** The pattern as written, slashes included for a regular expression. */
    public String text() {
        return text;
    }

    /** Whether this is a {@code /regex/} rather than an exact name. */
    public boolean isRegex() {
        return isRegexText(text);
    }

    /** What is wrong with this pattern, if anything (an invalid regex, a blank name). */
    public Optional<String> problem() {
        return Optional.ofNullable(problem);
    }

    /**
     * Whether {@code name} matches: equal to an exact name, or wholly matched by the regex. An
     * invalid pattern matches nothing.
     */
    public boolean matches(String name) {
        if (problem != null) {
            return false;
        }
        return regex != null ? regex.matcher(name).matches() : text.equals(name);
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof NamePattern other && text.equals(other.text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    /** The pattern as written. */
    @Override
    public String toString() {
        return text;
    }
}
