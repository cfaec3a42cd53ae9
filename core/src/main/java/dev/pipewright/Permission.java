package dev.pipewright;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Locale;

/**
 * One thing an identity may do: an action on a resource, provider-neutral. Both parts may hold
 * {@code *} (any run of characters) and {@code ?} (one character) wildcards, as IAM policies do;
 * actions compare case-insensitively, resources exactly. The {@code aws} module turns a role's
 * permissions into a session policy. Immutable and thread-safe.
 *
 * <pre>{@code
 * Permission.of("lambda:UpdateFunctionCode", "arn:aws:lambda:eu-west-2:*:function:housing-api-*")
 * }</pre>
 *
 * @param action for example {@code lambda:UpdateFunctionCode}; not blank
 * @param resource for example an ARN, or {@code *}; not blank
 * @since 0.1
 */
public record Permission(String action, String resource) {

    /**
     * Checks that both parts are present.
     *
     * @throws NullPointerException if {@code action} or {@code resource} is null
     * @throws IllegalArgumentException if {@code action} or {@code resource} is blank
     */
    public Permission {
        checkNotNull(action, "action");
        checkNotNull(resource, "resource");
        checkArgument(!action.isBlank(), "a permission's action must not be blank");
        checkArgument(!resource.isBlank(), "a permission's resource must not be blank (use \"*\" for any)");
    }

    /**
     * The permission to do {@code action} on {@code resource}.
     *
     * @throws NullPointerException if {@code action} or {@code resource} is null
     * @throws IllegalArgumentException if {@code action} or {@code resource} is blank
     */
    public static Permission of(String action, String resource) {
        return new Permission(action, resource);
    }

    /**
     * Whether holding this permission allows {@code needed}: this action pattern matches the needed
     * action and this resource pattern matches the needed resource. Wildcards in {@code needed}
     * are taken literally, so a broad need is only covered by an equally broad grant.
     */
    public boolean covers(Permission needed) {
        return glob(action.toLowerCase(Locale.ROOT), needed.action.toLowerCase(Locale.ROOT))
                && glob(resource, needed.resource);
    }

    /**
     * Iterative wildcard match with backtracking to the last star: linear for typical patterns.
     * Wildcards in {@code text} are literal characters, except that a {@code '?'} in the pattern
     * does not match a {@code '*'} in the text: one character does not cover any run of them. A
     * star in the pattern is always a wildcard, even facing a star in the text, so that {@code *a}
     * covers {@code *xa}.
     */
    static boolean glob(String pattern, String text) {
        int p = 0;
        int t = 0;
        int star = -1;
        int mark = 0;
        while (t < text.length()) {
            if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                mark = t;
            } else if (p < pattern.length() && (pattern.charAt(p) == '?' ? text.charAt(t) != '*'
                    : pattern.charAt(p) == text.charAt(t))) {
                p++;
                t++;
            } else if (star >= 0) {
                p = star + 1;
                t = ++mark;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }

    /** {@code action on resource}. */
    @Override
    public String toString() {
        return action + " on " + resource;
    }
}
