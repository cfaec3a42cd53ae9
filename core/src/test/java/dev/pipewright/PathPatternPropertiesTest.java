package dev.pipewright;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Properties of {@link PathPattern} over generated globs and paths, checked against a small
 * reference matcher written here from the documented semantics (recursion over segments and
 * characters, no regular expressions), so the regex translation is tested against something
 * independent of it.
 */
class PathPatternPropertiesTest {

    @Property(tries = 500)
    void matches_agreesWithTheReferenceMatcher(@ForAll("globs") String glob, @ForAll("paths") String path) {
        assertThat(PathPattern.of(glob).matches(path)).as("%s on %s", glob, path)
                .isEqualTo(Reference.matches(glob, path));
    }

    @Property(tries = 300)
    void regexOfList_agreesWithSelects(@ForAll("globLists") List<String> globs, @ForAll("paths") String path) {
        List<PathPattern> patterns = globs.stream().map(PathPattern::of).toList();
        boolean byRegex = Pattern.compile(PathPattern.regex(patterns)).matcher(path).matches();

        assertThat(byRegex).as("%s on %s", globs, path).isEqualTo(PathPattern.selects(patterns, path));
        assertThat(PathPattern.selects(patterns, path)).isEqualTo(Reference.selects(globs, path));
    }

    @Property(tries = 300)
    void escapedLiteralPath_matchesItselfAndNothingElse(@ForAll("literalPaths") String path,
            @ForAll("literalPaths") String other) {
        PathPattern literal = PathPattern.of(escape(path));

        assertThat(literal.matches(path)).isTrue();
        assertThat(literal.matches(other)).isEqualTo(other.equals(path));
        assertThat(literal.regex()).doesNotContainPattern("\\s");
    }

    @Property(tries = 200)
    void folderDoubleStar_matchesExactlyThePathsInsideTheFolder(@ForAll("literalPaths") String folder,
            @ForAll("literalPaths") String path) {
        PathPattern inside = PathPattern.of(escape(folder) + "/**");

        assertThat(inside.matches(folder + "/" + path)).isTrue();
        assertThat(inside.matches(path)).isEqualTo(path.startsWith(folder + "/"));
        assertThat(PathPattern.of("**").matches(path)).isTrue();
    }

    @Property(tries = 200)
    void star_neverCrossesASlash(@ForAll("paths") String path) {
        assertThat(PathPattern.of("*").matches(path)).isEqualTo(!path.contains("/"));
        assertThat(PathPattern.of("*/*").matches(path)).isEqualTo(path.chars().filter(c -> c == '/').count() == 1);
    }

    /** Escapes every glob metacharacter of {@code path} with a backslash. */
    private static String escape(String path) {
        StringBuilder b = new StringBuilder();
        for (char c : path.toCharArray()) {
            if ("*?[]\\!".indexOf(c) >= 0) {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }

    @Provide
    Arbitrary<String> paths() {
        Arbitrary<String> segment = Arbitraries.strings().withChars("abc.").ofMinLength(1).ofMaxLength(3)
                .filter(s -> !s.equals(".") && !s.equals(".."));
        return segment.list().ofMinSize(1).ofMaxSize(4).map(l -> String.join("/", l));
    }

    @Provide
    Arbitrary<String> globs() {
        Arbitrary<String> token = Arbitraries.of("a", "b", ".", "*", "?", "[ab]", "[!a]", "[a-b]", "\\*");
        Arbitrary<String> segment = Arbitraries.oneOf(Arbitraries.just("**"),
                token.list().ofMinSize(1).ofMaxSize(3).map(l -> String.join("", l)));
        return segment.list().ofMinSize(1).ofMaxSize(4).map(l -> String.join("/", l))
                .filter(g -> !g.contains("**") || Arrays.stream(g.split("/")).noneMatch(s -> s.contains("**")
                        && !s.equals("**")))
                .filter(g -> Arrays.stream(g.split("/")).noneMatch(s -> s.equals(".") || s.equals("..")));
    }

    @Provide
    Arbitrary<List<String>> globLists() {
        Arbitrary<String> maybeNegated = Arbitraries.oneOf(globs(), globs().map(g -> "!" + g));
        return maybeNegated.list().ofMinSize(0).ofMaxSize(4);
    }

    @Provide
    Arbitrary<String> literalPaths() {
        Arbitrary<String> segment = Arbitraries.strings().withChars("ab .*?[]!\\-+()$^|{}#<>é\u00a0")
                .ofMinLength(1).ofMaxLength(4).filter(s -> !s.equals(".") && !s.equals(".."));
        return segment.list().ofMinSize(1).ofMaxSize(3).map(l -> String.join("/", l));
    }

    /** The documented semantics, directly: segments, then characters, by recursion. */
    private static final class Reference {
        static boolean selects(List<String> globs, String path) {
            for (int i = globs.size() - 1; i >= 0; i--) {
                String g = globs.get(i);
                boolean negated = g.startsWith("!");
                if (matches(negated ? g.substring(1) : g, path)) {
                    return !negated;
                }
            }
            return false;
        }

        static boolean matches(String glob, String path) {
            return segments(List.of(glob.split("/", -1)), List.of(path.split("/", -1)));
        }

        private static boolean segments(List<String> glob, List<String> path) {
            if (glob.isEmpty()) {
                return path.isEmpty();
            }
            if (glob.get(0).equals("**")) {
                if (glob.size() == 1) {
                    return !path.isEmpty(); // a trailing '**' (or '**' alone) needs at least one segment
                }
                for (int k = 0; k <= path.size(); k++) {
                    if (segments(glob.subList(1, glob.size()), path.subList(k, path.size()))) {
                        return true;
                    }
                }
                return false;
            }
            return !path.isEmpty() && segment(tokens(glob.get(0)), 0, path.get(0), 0)
                    && segments(glob.subList(1, glob.size()), path.subList(1, path.size()));
        }

        /** Splits a segment into single-character tokens: a literal, '*', '?', or a whole class. */
        private static List<String> tokens(String segment) {
            List<String> tokens = new ArrayList<>();
            for (int i = 0; i < segment.length(); i++) {
                char c = segment.charAt(i);
                if (c == '\\') {
                    tokens.add("\\" + segment.charAt(++i));
                } else if (c == '[') {
                    int end = segment.indexOf(']', i + 2);
                    tokens.add(segment.substring(i, end + 1));
                    i = end;
                } else {
                    tokens.add(String.valueOf(c));
                }
            }
            return tokens;
        }

        private static boolean segment(List<String> glob, int g, String name, int n) {
            if (g == glob.size()) {
                return n == name.length();
            }
            String t = glob.get(g);
            if (t.equals("*")) {
                for (int k = n; k <= name.length(); k++) {
                    if (segment(glob, g + 1, name, k)) {
                        return true;
                    }
                }
                return false;
            }
            return n < name.length() && one(t, name.charAt(n)) && segment(glob, g + 1, name, n + 1);
        }

        private static boolean one(String token, char c) {
            if (token.equals("?")) {
                return c != '/';
            }
            if (token.startsWith("\\")) {
                return token.charAt(1) == c;
            }
            if (token.length() > 1 && token.startsWith("[")) {
                boolean negated = token.charAt(1) == '!';
                String body = token.substring(negated ? 2 : 1, token.length() - 1);
                boolean in = false;
                for (int i = 0; i < body.length(); i++) {
                    if (i + 2 < body.length() && body.charAt(i + 1) == '-') {
                        in |= c >= body.charAt(i) && c <= body.charAt(i + 2);
                        i += 2;
                    } else {
                        in |= body.charAt(i) == c;
                    }
                }
                return in != negated;
            }
            return token.charAt(0) == c;
        }
    }
}
