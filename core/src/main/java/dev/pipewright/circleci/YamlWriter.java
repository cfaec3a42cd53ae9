package dev.pipewright.circleci;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Writes a YAML data tree as the block-style YAML text of a CircleCI config, deterministically:
 * the same tree always gives the same bytes.
 *
 * <p>A YAML data tree is made of {@code Map<String, Object>} (iterated in insertion order),
 * {@code List<Object>} and the scalars {@code String}, {@code Long}, {@code BigInteger},
 * {@code Double}, {@code Boolean} and {@code null}; {@code Integer}, {@code Short} and
 * {@code Byte} are accepted as integers too. The text is laid out as follows.
 *
 * <ul>
 *   <li>Block style with two-space indentation; a list under a key is indented by two; a map in
 *       a list item starts on the dash line. Empty maps and lists are {@code {}} and {@code []}.
 *   <li>Keys are ordered by where the map sits ({@link KeyOrder}): CircleCI's documented keys in
 *       its documented order, then the other keys in input order.
 *   <li>Strings are plain where YAML 1.1 and 1.2 readers read them back as the same string,
 *       and double-quoted otherwise (keywords such as {@code yes}, {@code ~}, anything
 *       that looks like a number or a date, indicators, {@code ": "}, {@code " #"}, outer
 *       whitespace, control characters). Multi-line strings are literal block scalars
 *       ({@code |-}, {@code |}, {@code |+} by trailing newlines, with an indentation indicator
 *       when the first line starts with whitespace), unless a line ends in whitespace or holds a
 *       character a block scalar cannot carry; then they are double-quoted with escapes.
 *   <li>Doubles are written so the YAML 1.2 core and JSON schemas (and YAML 1.1) read back the
 *       same double: {@code 1.0e+10}, {@code .nan}, {@code .inf}, {@code -.inf}.
 * </ul>
 */
final class YamlWriter {
    /** YAML allows implicit keys up to 1024 characters; longer ones become explicit {@code ? key}. */
    private static final int MAX_IMPLICIT_KEY = 1000;

    /** Plain scalars YAML 1.1 or 1.2 reads as null, a boolean, a merge key or a value key. */
    private static final Set<String> KEYWORDS = Set.of(
            "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO",
            "true", "True", "TRUE", "false", "False", "FALSE",
            "on", "On", "ON", "off", "Off", "OFF",
            "null", "Null", "NULL", "~", "<<", "=");

    /**
     * A superset of the integers, floats and timestamps of YAML 1.1, the YAML 1.2 core and JSON
     * schemas, and the readers CircleCI users meet (SnakeYAML, PyYAML, go-yaml, the JavaScript
     * {@code yaml} package): base prefixes in either case, underscores, sexagesimal colons,
     * exponents with or without a sign, bare exponents such as {@code e9} (a float to the
     * JavaScript package in YAML 1.1 mode), and dot forms such as {@code 1.2.3} and {@code .}
     * that YAML 1.1's float expression admits. Quoting a string needlessly costs nothing.
     */
    private static final Pattern NUMBER_OR_DATE = Pattern.compile(
            "[-+]?(?:0[bBoOxX][0-9a-fA-F_]*"
                    + "|[0-9][0-9_]*(?::[0-9_]+)*(?:\\.[0-9_.]*)?(?:[eE][-+]?[0-9]+)?"
                    + "|\\.[0-9_.]*(?:[eE][-+]?[0-9]+)?"
                    + "|[eE][-+]?[0-9]+"
                    + "|\\.(?:inf|Inf|INF|nan|NaN|NAN))"
                    + "|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt \\t].*)?");

    private static final String INDICATORS = "-?:,[]{}#&*!|>'\"%@`";
    private static final char[] SPACES = " ".repeat(128).toCharArray();
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private enum Style { PLAIN, DOUBLE_QUOTED, LITERAL }

    private final StringBuilder out;
    /** Keys and indices from the root to the value being written, for error messages. */
    private final List<Object> path = new ArrayList<>();

    private YamlWriter(int capacity) {
        this.out = new StringBuilder(capacity);
    }

    /**
     * Writes {@code root} as YAML text with {@code headerComment} on top.
     *
     * <p>The text uses {@code "\n"} line endings and ends with a newline (followed by the blank
     * lines of a last {@code |+} scalar, which belong to its value). Each header line
     * becomes {@code # line} ({@code #} alone for an empty line), and a blank line separates the
     * header from the config; with no header lines the text starts with the first key. An empty
     * root is written as {@code {}}. The result depends only on the tree's contents and the
     * iteration order of its maps. The method keeps no state and may be called from any thread;
     * the tree must not change while it is written.
     *
     * @param root the config; values may be null, keys may not
     * @param headerComment comment lines, without {@code #}
     * @return the YAML text
     * @throws NullPointerException if {@code root}, {@code headerComment} or a header line is null
     * @throws IllegalArgumentException if a header line holds a line break or a control
     *     character, or the tree holds a key that is not a String or a value of another type
     *     (the message names its path)
     */
    static String write(Map<String, @Nullable Object> root, List<String> headerComment) {
        checkNotNull(root, "root");
        checkNotNull(headerComment, "headerComment");
        YamlWriter writer = new YamlWriter(8192);
        writer.header(headerComment);
        if (root.isEmpty()) {
            writer.out.append("{}\n");
        } else {
            writer.map(root, 0, KeyOrder.ROOT, false);
        }
        return writer.out.toString();
    }

    private void header(List<String> lines) {
        for (String line : lines) {
            checkNotNull(line, "header line");
            checkArgument(isCommentSafe(line),
                    "header line %s holds a line break or a control character; pass one line"
                            + " per element, printable characters only", quoted(line));
            out.append('#');
            if (!line.isEmpty()) {
                out.append(' ').append(line);
            }
            out.append('\n');
        }
        if (!lines.isEmpty()) {
            out.append('\n');
        }
    }

    /** Writes a non-empty map whose keys sit at column {@code indent}; the first inline after a dash. */
    private void map(Map<?, ?> map, int indent, KeyOrder order, boolean inline) {
        boolean first = true;
        if (order.known().isEmpty()) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                entry(entry, indent, order, inline && first);
                first = false;
            }
            return;
        }
        Map.Entry<?, ?>[] known = new Map.Entry<?, ?>[order.known().size()];
        Map.Entry<?, ?>[] others = new Map.Entry<?, ?>[map.size()];
        int otherCount = 0;
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            int rank = entry.getKey() instanceof String key ? order.rank(key) : -1;
            if (rank >= 0) {
                known[rank] = entry;
            } else {
                others[otherCount++] = entry;
            }
        }
        for (Map.Entry<?, ?> entry : known) {
            if (entry != null) {
                entry(entry, indent, order, inline && first);
                first = false;
            }
        }
        for (int i = 0; i < otherCount; i++) {
            entry(others[i], indent, order, inline && first);
            first = false;
        }
    }

    private void entry(Map.Entry<?, ?> entry, int indent, KeyOrder order, boolean inline) {
        if (!(entry.getKey() instanceof String key)) {
            throw new IllegalArgumentException(String.format(
                    "cannot write key %s (%s) at %s: YAML data tree keys must be Strings",
                    entry.getKey(), typeName(entry.getKey()), pathText()));
        }
        if (!inline) {
            indent(indent);
        }
        String keyText = canBePlain(key) ? key : quoted(key);
        if (keyText.length() > MAX_IMPLICIT_KEY) {
            out.append("? ").append(keyText).append('\n');
            indent(indent);
        } else {
            out.append(keyText);
        }
        out.append(':');
        path.add(key);
        value(entry.getValue(), indent, order.child(key), false);
        path.remove(path.size() - 1);
    }

    /** Writes a non-empty list whose dashes sit at column {@code indent}; the first inline after a dash. */
    private void list(List<?> list, int indent, KeyOrder itemOrder, boolean inline) {
        int index = 0;
        for (Object item : list) {
            if (!inline || index > 0) {
                indent(indent);
            }
            out.append('-');
            path.add(index);
            value(bare(item, itemOrder), indent, itemOrder, true);
            path.remove(path.size() - 1);
            index++;
        }
    }

    /**
     * The short forms CircleCI's documentation writes: a step or workflow job without options,
     * {@code {checkout: {}}}, as a bare name ({@code - checkout}), and a run step with only a
     * command as {@code - run: make}. Reading them back expands them to the same data.
     */
    private static @Nullable Object bare(@Nullable Object item, KeyOrder itemOrder) {
        if ((itemOrder == KeyOrder.STEP || itemOrder == KeyOrder.WORKFLOW_JOB_ENTRY) && item instanceof Map<?, ?> map
                && map.size() == 1) {
            Map.Entry<?, ?> only = map.entrySet().iterator().next();
            if (only.getKey() instanceof String name && only.getValue() instanceof Map<?, ?> body && body.isEmpty()
                    && !name.strip().startsWith("<<")) {
                return name;
            }
            if (itemOrder == KeyOrder.STEP && "run".equals(only.getKey()) && only.getValue() instanceof Map<?, ?> body
                    && body.size() == 1 && body.get("command") instanceof String command) {
                return Map.of("run", command);
            }
        }
        return item;
    }

    /**
     * Writes a value right after {@code key:} or {@code -}, through its last newline; {@code indent}
     * is the column of that key or dash, so nested content goes two columns further in.
     */
    private void value(@Nullable Object value, int indent, KeyOrder order, boolean afterDash) {
        if (value instanceof String text) {
            string(text, indent);
        } else if (value instanceof Map<?, ?> map) {
            if (map.isEmpty()) {
                out.append(" {}\n");
            } else {
                out.append(afterDash ? ' ' : '\n');
                map(map, indent + 2, order, afterDash);
            }
        } else if (value instanceof List<?> list) {
            if (list.isEmpty()) {
                out.append(" []\n");
            } else {
                out.append(afterDash ? ' ' : '\n');
                list(list, indent + 2, order.item(), afterDash);
            }
        } else {
            out.append(' ').append(nonString(value)).append('\n');
        }
    }

    private String nonString(@Nullable Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Boolean || value instanceof Long || value instanceof Integer
                || value instanceof BigInteger || value instanceof Short || value instanceof Byte) {
            return value.toString();
        }
        if (value instanceof Double d) {
            return formatDouble(d);
        }
        throw new IllegalArgumentException(String.format(
                "cannot write %s at %s: a YAML data tree holds only Map, List, String, Long,"
                        + " BigInteger, Double, Boolean and null; convert the value first",
                typeName(value), pathText()));
    }

    private void string(String text, int indent) {
        switch (style(text)) {
            case PLAIN -> out.append(' ').append(text).append('\n');
            case DOUBLE_QUOTED -> {
                out.append(' ');
                doubleQuoted(text);
                out.append('\n');
            }
            case LITERAL -> literal(text, indent + 2);
        }
    }

    private static Style style(String text) {
        if (text.indexOf('\n') < 0) {
            return canBePlain(text) ? Style.PLAIN : Style.DOUBLE_QUOTED;
        }
        return canBeLiteral(text) ? Style.LITERAL : Style.DOUBLE_QUOTED;
    }

    /**
     * Whether {@code text} can be written as a plain scalar, key or value, and read back as the
     * same string by YAML 1.1 and 1.2 readers.
     */
    static boolean canBePlain(String text) {
        int length = text.length();
        if (length == 0 || INDICATORS.indexOf(text.charAt(0)) >= 0 || text.startsWith("...")) {
            return false;
        }
        if (isSpace(text.codePointAt(0)) || isSpace(text.codePointBefore(length))
                || text.charAt(length - 1) == ':') {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c < 0x7f) {
                if ((c == ':' && text.charAt(i + 1) == ' ') || (c == '#' && text.charAt(i - 1) == ' ')) {
                    return false;
                }
            } else if (isSurrogatePair(text, i)) {
                i++;
            } else if (!isPrintableBeyondAscii(c)) {
                return false;
            }
        }
        return !looksLikeAnotherType(text);
    }

    private static boolean looksLikeAnotherType(String text) {
        char first = text.charAt(0);
        if ((first >= '0' && first <= '9') || first == '.' || first == '+' || first == '-'
                || first == 'e' || first == 'E') {
            return NUMBER_OR_DATE.matcher(text).matches();
        }
        return text.length() <= 5 && KEYWORDS.contains(text);
    }

    /**
     * Whether multi-line {@code text} survives a literal block scalar: no line ends in
     * whitespace (which editors strip), no character needs an escape, and some line has content.
     */
    private static boolean canBeLiteral(String text) {
        int length = text.length();
        boolean content = false;
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                if (i > 0 && (text.charAt(i - 1) == ' ' || text.charAt(i - 1) == '\t')) {
                    return false;
                }
                continue;
            }
            content = true;
            if ((c >= 0x20 && c < 0x7f) || c == '\t') {
                continue;
            }
            if (isSurrogatePair(text, i)) {
                i++;
            } else if (!isPrintableBeyondAscii(c)) {
                return false;
            }
        }
        char last = text.charAt(length - 1);
        return content && last != ' ' && last != '\t';
    }

    /** Writes {@code |} with its indicators and the lines at column {@code contentIndent}. */
    private void literal(String text, int contentIndent) {
        int end = text.length();
        while (text.charAt(end - 1) == '\n') {
            end--;
        }
        int trailingNewlines = text.length() - end;
        int firstContent = 0;
        while (text.charAt(firstContent) == '\n') {
            firstContent++;
        }
        out.append(" |");
        // Without an indicator the reader takes the first line's leading whitespace as indentation.
        char lead = text.charAt(firstContent);
        if (lead == ' ' || lead == '\t') {
            out.append('2');
        }
        out.append(trailingNewlines == 0 ? "-" : trailingNewlines == 1 ? "" : "+").append('\n');
        int lineStart = 0;
        while (true) {
            int lineEnd = text.indexOf('\n', lineStart);
            if (lineEnd < 0 || lineEnd > end) {
                lineEnd = end;
            }
            if (lineEnd > lineStart) {
                indent(contentIndent);
                out.append(text, lineStart, lineEnd);
            }
            out.append('\n');
            if (lineEnd == end) {
                break;
            }
            lineStart = lineEnd + 1;
        }
        for (int i = 1; i < trailingNewlines; i++) {
            out.append('\n');
        }
    }

    private void doubleQuoted(String text) {
        out.append('"');
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                default -> {
                    if (c >= 0x20 && c < 0x7f) {
                        out.append(c);
                    } else if (isSurrogatePair(text, i)) {
                        out.append(c).append(text.charAt(++i));
                    } else if (isPrintableBeyondAscii(c)) {
                        out.append(c);
                    } else {
                        out.append("\\u").append(HEX[c >> 12]).append(HEX[(c >> 8) & 0xf])
                                .append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
                    }
                }
            }
        }
        out.append('"');
    }

    /**
     * A double as text that YAML 1.2 (core and JSON schemas) and YAML 1.1 read back as the same
     * double: Java's shortest round-trip digits, with the exponent signed ({@code 1.0e+10}) since
     * YAML 1.1 requires the sign.
     */
    static String formatDouble(double value) {
        if (Double.isNaN(value)) {
            return ".nan";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? ".inf" : "-.inf";
        }
        String text = Double.toString(value);
        int exponent = text.indexOf('E');
        if (exponent < 0) {
            return text;
        }
        String sign = text.charAt(exponent + 1) == '-' ? "" : "+";
        return text.substring(0, exponent) + "e" + sign + text.substring(exponent + 1);
    }

    /** Printable in YAML, unambiguous in YAML 1.1 (no NEL, LS, PS) and not a byte order mark. */
    private static boolean isPrintableBeyondAscii(char c) {
        return c >= 0xa0 && c != 0x2028 && c != 0x2029 && c != 0xfeff && c < 0xfffe
                && !Character.isSurrogate(c);
    }

    private static boolean isSurrogatePair(String text, int i) {
        return Character.isHighSurrogate(text.charAt(i)) && i + 1 < text.length()
                && Character.isLowSurrogate(text.charAt(i + 1));
    }

    private static boolean isSpace(int codePoint) {
        return Character.isWhitespace(codePoint) || Character.isSpaceChar(codePoint);
    }

    private static boolean isCommentSafe(String line) {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if ((c >= 0x20 && c < 0x7f) || c == '\t') {
                continue;
            }
            if (isSurrogatePair(line, i)) {
                i++;
            } else if (!isPrintableBeyondAscii(c)) {
                return false;
            }
        }
        return true;
    }

    private void indent(int columns) {
        int left = columns;
        while (left > SPACES.length) {
            out.append(SPACES);
            left -= SPACES.length;
        }
        out.append(SPACES, 0, left);
    }

    private static String quoted(String text) {
        YamlWriter writer = new YamlWriter(text.length() + 8);
        writer.doubleQuoted(text);
        return writer.out.toString();
    }

    private static String typeName(@Nullable Object value) {
        return value == null ? "null" : value.getClass().getName();
    }

    private String pathText() {
        if (path.isEmpty()) {
            return "the root";
        }
        StringBuilder text = new StringBuilder();
        for (Object segment : path) {
            if (segment instanceof Integer index) {
                text.append('[').append(index).append(']');
            } else {
                if (text.length() > 0) {
                    text.append('.');
                }
                text.append(segment);
            }
        }
        return text.toString();
    }
}
