package dev.pipewright;

import static com.google.common.base.Preconditions.checkNotNull;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A glob over repository paths, such as {@code services/payments/**}, for stages that run only
 * when matching files changed ({@link Stage.Builder#whenChanged(String...)}).
 *
 * <p>Paths are relative to the repository's root and separated by {@code /}, as {@code git diff
 * --name-only} prints them: {@code services/payments/src/Main.java}, never {@code ./services} or
 * {@code /services}. A pattern matches a path when it matches the <em>whole</em> path, from the
 * root:
 *
 * <ul>
 *   <li>{@code **} as a whole segment matches any number of folders: {@code services/**} matches
 *       every path inside {@code services} (not {@code services} itself), <code>**&#47;*.md</code>
 *       matches {@code README.md} and {@code docs/a/b.md}, {@code a/**}{@code /b} matches
 *       {@code a/b} and {@code a/x/y/b}. {@code **} alone matches every path;
 *   <li>{@code *} matches any characters within one segment (never {@code /}): {@code *.md}
 *       matches {@code README.md} at the root only;
 *   <li>{@code ?} matches one character other than {@code /};
 *   <li>{@code [abc]}, {@code [a-z]} match one character of the class, {@code [!abc]} (or
 *       {@code [^abc]}) one character not in it; a class never matches {@code /};
 *   <li>{@code \} makes the next character literal: {@code \*}, {@code \[}, {@code \!};
 *   <li>every other character matches itself, case-sensitively; dot files are not special.
 * </ul>
 *
 * <p>A leading {@code !} negates a pattern in a list: a path is <em>selected</em> by a list when
 * the last pattern of the list that matches it is not negated ({@link #selects(List, String)}).
 * So {@code ["services/payments/**", "!services/payments/docs/**"]} selects the service's files
 * except its documentation. On its own, {@link #matches(String)} ignores the {@code !}.
 *
 * <p>Not allowed, because they match nothing or hide a mistake: an empty pattern, a leading or
 * trailing {@code /}, an empty segment ({@code a//b}), a {@code .} or {@code ..} segment,
 * {@code **} inside a segment ({@code a**}), an unclosed class, a class holding
 * {@code /}, a trailing lone {@code \}.
 *
 * <p>{@link #regex()} gives the same matching as a regular expression that Java and Python read
 * alike, which is how the CircleCI export hands patterns to the {@code path-filtering} orb.
 * Patterns are immutable and thread-safe, and equal when written the same.
 *
 * <pre>{@code
 * List<PathPattern> payments = List.of(PathPattern.of("services/payments/**"),
 *         PathPattern.of("!services/payments/docs/**"));
 * PathPattern.selects(payments, Set.of("services/payments/pom.xml"));      // true
 * PathPattern.selects(payments, Set.of("services/payments/docs/api.md"));  // false
 * }</pre>
 *
 * @since 0.1
 */
public final class PathPattern {
    private final String text;
    private final boolean negated;
    private final String regex;
    private final Pattern compiled;

    private PathPattern(String text, boolean negated, String regex) {
        this.text = text;
        this.negated = negated;
        this.regex = regex;
        this.compiled = Pattern.compile(regex);
    }

    /**
     * Reads {@code glob}; a leading {@code !} negates it.
     *
     * @throws NullPointerException if {@code glob} is null
     * @throws IllegalArgumentException if {@code glob} is not a valid pattern, saying where and how
     *     to fix it
     */
    public static PathPattern of(String glob) {
        checkNotNull(glob, "glob");
        Parsed parsed = parse(glob);
        if (parsed.problem != null) {
            throw new IllegalArgumentException(parsed.problem + " " + parsed.fix);
        }
        return parsed.pattern();
    }

    /**
     * Whether the last pattern of {@code patterns} matching {@code path} is not negated; false when
     * none matches.
     *
     * @throws NullPointerException if an argument is null
     */
    public static boolean selects(List<PathPattern> patterns, String path) {
        checkNotNull(patterns, "patterns");
        checkNotNull(path, "path");
        for (int i = patterns.size() - 1; i >= 0; i--) {
            PathPattern p = patterns.get(i);
            if (p.matches(path)) {
                return !p.negated;
            }
        }
        return false;
    }

    /**
     * Whether {@code patterns} select at least one of {@code changed}: how a stage with {@link
     * Stage#whenChanged()} decides to run. An empty list of patterns selects nothing.
     *
     * @throws NullPointerException if an argument or a path is null
     */
    public static boolean selects(List<PathPattern> patterns, Collection<String> changed) {
        checkNotNull(patterns, "patterns");
        checkNotNull(changed, "changed");
        for (String path : changed) {
            if (selects(patterns, path)) {
                return true;
            }
        }
        return false;
    }

    /**
     * One regular expression, read alike by Java and Python, that matches exactly the paths
     * {@code patterns} {@linkplain #selects(List, String) select} when it matches the whole path.
     * Negations become negative lookaheads; with no pattern that is not negated, it matches nothing.
     *
     * @throws NullPointerException if {@code patterns} or one of them is null
     */
    public static String regex(List<PathPattern> patterns) {
        checkNotNull(patterns, "patterns");
        List<String> alternatives = new ArrayList<>();
        for (int i = 0; i < patterns.size(); i++) {
            PathPattern p = checkNotNull(patterns.get(i), "patterns[%s]", i);
            if (p.negated) {
                continue;
            }
            List<String> laterNegations = new ArrayList<>();
            for (PathPattern later : patterns.subList(i + 1, patterns.size())) {
                if (later.negated) {
                    laterNegations.add(later.regex);
                }
            }
            alternatives.add(laterNegations.isEmpty() ? p.regex
                    : "(?!(?:" + String.join("|", laterNegations) + ")$)" + p.regex);
        }
        return alternatives.isEmpty() ? "(?!)" : "(?:" + String.join("|", alternatives) + ")";
    }

    /** The pattern as written, {@code !} included. */
    public String text() {
        return text;
    }

    /** Whether the pattern was written with a leading {@code !}. */
    public boolean isNegated() {
        return negated;
    }

    /**
     * Whether the glob matches the whole of {@code path}, a {@code /}-separated path relative to
     * the repository; the {@code !} of a negated pattern is ignored here.
     *
     * @throws NullPointerException if {@code path} is null
     */
    public boolean matches(String path) {
        checkNotNull(path, "path");
        return compiled.matcher(path).matches();
    }

    /**
     * The glob, without its {@code !}, as a regular expression over whole paths, read alike by
     * Java and Python: only {@code [^/]}, classes, groups, {@code *}, {@code +}, {@code ?} and
     * escaped literals; no whitespace, so it fits on a {@code path-filtering} mapping line.
     */
    public String regex() {
        return regex;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof PathPattern p && text.equals(p.text);
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

    /** Reads {@code glob}, for builders that report problems instead of throwing. */
    static Parsed parse(String glob) {
        return new Parser(glob).parse();
    }

    /** A pattern, or what is wrong with the glob and how to fix it. */
    static final class Parsed {
        private final String text;
        private final boolean negated;
        private final @Nullable String regex;
        final @Nullable String problem;
        final String fix;

        private Parsed(String text, boolean negated, @Nullable String regex, @Nullable String problem, String fix) {
            this.text = text;
            this.negated = negated;
            this.regex = regex;
            this.problem = problem;
            this.fix = fix;
        }

        PathPattern pattern() {
            if (regex == null) {
                throw new IllegalStateException("no pattern: " + problem);
            }
            return new PathPattern(text, negated, regex);
        }
    }

    /** Turns a glob into a regular expression, or finds the first thing wrong with it. */
    private static final class Parser {
        private final String text;
        private final boolean negated;
        private final String glob;
        /** Where {@link #glob} starts in {@link #text}, for columns in messages. */
        private final int offset;
        private final StringBuilder out = new StringBuilder();
        /** Where the current segment is read. */
        private int pos;
        /** How to fix the problem a segment reports. */
        private String fix = "";

        Parser(String text) {
            this.text = text;
            this.negated = text.startsWith("!");
            this.offset = negated ? 1 : 0;
            this.glob = text.substring(offset);
        }

        Parsed parse() {
            if (glob.isEmpty()) {
                return problem(negated ? "'!' negates nothing." : "an empty pattern matches nothing.",
                        "Write a path glob such as services/payments/**.");
            }
            if (glob.startsWith("/")) {
                return problem("starts with '/', but paths are relative to the repository root.",
                        "Drop the leading '/': " + quote(glob.replaceFirst("^/+", "")) + ".");
            }
            if (glob.endsWith("/")) {
                return problem("ends with '/', which no file path does.",
                        "Write " + quote(glob + "**") + " for everything inside that folder.");
            }
            String[] segments = glob.split("/", -1);
            boolean needSlash = false;
            int column = 0;
            for (int i = 0; i < segments.length; i++) {
                String segment = segments[i];
                int start = column;
                column += segment.length() + 1;
                if (segment.isEmpty()) {
                    return problem("has an empty folder name ('//') at column " + (offset + start + 1) + ".",
                            "Write a single '/' between folders.");
                }
                if (segment.equals(".") || segment.equals("..")) {
                    return problem("has a '" + segment + "' segment at column " + (offset + start + 1)
                            + ", but paths are compared as git prints them, without them.",
                            "Write the path from the repository root without '.' or '..'.");
                }
                if (segment.equals("**")) {
                    if (i + 1 < segments.length && segments[i + 1].equals("**")) {
                        continue; // a/**/**/b is a/**/b: the last of a run of '**' writes it
                    }
                    boolean first = allAny(segments, i);
                    if (i == segments.length - 1) {
                        out.append(first ? "[^/]+(?:/[^/]+)*" : "(?:/[^/]+)+");
                    } else {
                        out.append(first ? "(?:[^/]+/)*" : "/(?:[^/]+/)*");
                    }
                    needSlash = false;
                    continue;
                }
                if (needSlash) {
                    out.append('/');
                }
                pos = 0;
                String problem = segment(segment, offset + start);
                if (problem != null) {
                    return problem(problem, fix);
                }
                needSlash = true;
            }
            return new Parsed(text, negated, out.toString(), null, "");
        }

        /** Appends one segment's regex; returns a problem, or null. */
        private @Nullable String segment(String segment, int start) {
            while (pos < segment.length()) {
                int at = start + pos + 1;
                char c = segment.charAt(pos);
                switch (c) {
                    case '*' -> {
                        if (pos + 1 < segment.length() && segment.charAt(pos + 1) == '*') {
                            fix = "Use '**' as a whole segment (a/**/b) for any folders, or '*' within a name.";
                            return "has '**' inside a segment at column " + at + ".";
                        }
                        out.append("[^/]*");
                        pos++;
                    }
                    case '?' -> {
                        out.append("[^/]");
                        pos++;
                    }
                    case '[' -> {
                        String problem = characterClass(segment, at);
                        if (problem != null) {
                            return problem;
                        }
                    }
                    case '\\' -> {
                        if (pos + 1 >= segment.length()) {
                            fix = "Escape a character with '\\' before it, or drop the '\\'.";
                            return "ends a segment with a lone '\\' at column " + at + ".";
                        }
                        literal(segment.charAt(pos + 1), out);
                        pos += 2;
                    }
                    default -> {
                        literal(c, out);
                        pos++;
                    }
                }
            }
            return null;
        }

        /** Reads {@code [...]} at {@link #pos}, which holds the {@code [}. */
        private @Nullable String characterClass(String segment, int column) {
            int i = pos + 1;
            boolean negate = i < segment.length() && (segment.charAt(i) == '!' || segment.charAt(i) == '^');
            if (negate) {
                i++;
            }
            StringBuilder members = new StringBuilder();
            boolean spansSlash = false;
            boolean first = true;
            while (i < segment.length() && (segment.charAt(i) != ']' || first)) {
                char lo = segment.charAt(i);
                if (lo == '\\' && i + 1 < segment.length()) {
                    lo = segment.charAt(++i);
                }
                i++;
                if (i + 1 < segment.length() && segment.charAt(i) == '-' && segment.charAt(i + 1) != ']') {
                    char hi = segment.charAt(i + 1);
                    i += 2;
                    if (hi == '\\' && i < segment.length()) {
                        hi = segment.charAt(i++);
                    }
                    if (hi < lo) {
                        fix = "Write the range low to high, such as [a-z].";
                        return "has the range '" + lo + "-" + hi + "' running backwards at column " + column + ".";
                    }
                    spansSlash |= lo < '/' && hi > '/';
                    literal(lo, members);
                    members.append('-');
                    literal(hi, members);
                } else {
                    literal(lo, members);
                }
                first = false;
            }
            if (i >= segment.length()) {
                if (text.indexOf(']', column) >= 0) {
                    fix = "A class matches one character of a name, never '/': match folders with separate segments.";
                    return "has a class holding '/' at column " + column + ".";
                }
                fix = "Close the class with ']', or write '\\[' for a literal '['.";
                return "has an unclosed '[' at column " + column + ".";
            }
            if (negate) {
                out.append("[^/").append(members).append(']');
            } else {
                out.append(spansSlash ? "(?!/)[" : "[").append(members).append(']');
            }
            pos = i + 1;
            return null;
        }

        /** Whether segments {@code 0..i} are all {@code **}. */
        private static boolean allAny(String[] segments, int i) {
            for (int j = 0; j <= i; j++) {
                if (!segments[j].equals("**")) {
                    return false;
                }
            }
            return true;
        }

        private Parsed problem(String problem, String fix) {
            return new Parsed(text, negated, null, "path pattern " + quote(text) + " " + problem, fix);
        }

        private static String quote(String s) {
            return "'" + s + "'";
        }
    }

    /**
     * Appends {@code c} so that Java and Python regular expressions read it literally, inside or
     * outside a class: letters and digits as they are, other ASCII escaped with {@code \}, spaces
     * and control characters as {@code \xHH} or {@code \}{@code uHHHH} (a mapping line of the
     * path-filtering orb is split at whitespace).
     */
    private static void literal(char c, StringBuilder out) {
        if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '/') {
            out.append(c);
        } else if (c <= 0x20 || c == 0x7F) {
            out.append(String.format("\\x%02x", (int) c));
        } else if (c < 0x7F) {
            out.append('\\').append(c);
        } else if (Character.isWhitespace(c) || Character.isSpaceChar(c) || Character.isISOControl(c)
                || Character.getType(c) == Character.FORMAT) {
            out.append(String.format("\\u%04x", (int) c));
        } else {
            out.append(c);
        }
    }
}
