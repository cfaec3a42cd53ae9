package dev.pipewright.circleci;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jspecify.annotations.Nullable;

/**
 * CircleCI's compile-time expressions, as job {@code filters}, workflow {@code when} and inside
 * {@code << ... >>} accept them: {@code pipeline.git.branch == "main" or pipeline.git.tag starts-with "v"}.
 *
 * <p>Grammar, loosest first: {@code or}, {@code and}, {@code not}, then one comparison
 * ({@code ==}, {@code !=}, {@code starts-with}, {@code ends-with}, {@code matches}) of two operands.
 * Operands are strings in double or single quotes, numbers, {@code true}, {@code false},
 * {@code null}, a parenthesised expression, or a dotted name such as {@code pipeline.git.branch}
 * or {@code parameters.env}, looked up by the caller.
 */
final class LocalExpression {
    /** Why an expression could not be evaluated; the message says where and what. */
    static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;

        Failure(String message) {
            super(message, null, false, false);
        }
    }

    /** Looks a dotted name up: its value, or throws {@link Failure} naming it. */
    @FunctionalInterface
    interface Names {
        @Nullable Object value(String name) throws Failure;
    }

    private final String text;
    private final List<String> tokens;
    private final Names names;
    private int next;

    private LocalExpression(String text, List<String> tokens, Names names) {
        this.text = text;
        this.tokens = tokens;
        this.names = names;
    }

    /**
     * The value of {@code text}: a boolean for comparisons and logic, else the operand's value.
     *
     * @throws Failure when the text is not an expression or names something unknown
     */
    static @Nullable Object evaluate(String text, Names names) throws Failure {
        LocalExpression e = new LocalExpression(text, tokenize(text), names);
        Object value = e.or();
        if (e.next < e.tokens.size()) {
            throw new Failure("expression '" + text + "' has '" + e.tokens.get(e.next)
                    + "' where an operator (and, or, ==, !=, starts-with, ends-with, matches) or the end was expected");
        }
        return value;
    }

    /** Whether {@code text} reads as an expression rather than a plain word: it holds an operator or a dotted name. */
    static boolean looksLikeExpression(String text) {
        List<String> tokens;
        try {
            tokens = tokenize(text);
        } catch (Failure e) {
            return false;
        }
        return tokens.size() > 1 || tokens.size() == 1 && tokens.get(0).contains(".") && isName(tokens.get(0));
    }

    private @Nullable Object or() throws Failure {
        Object left = and();
        while (peek("or")) {
            next++;
            Object right = and();
            left = truthy(left) || truthy(right);
        }
        return left;
    }

    private @Nullable Object and() throws Failure {
        Object left = not();
        while (peek("and")) {
            next++;
            Object right = not();
            left = truthy(left) && truthy(right);
        }
        return left;
    }

    private @Nullable Object not() throws Failure {
        if (peek("not")) {
            next++;
            return !truthy(not());
        }
        return comparison();
    }

    private @Nullable Object comparison() throws Failure {
        Object left = operand();
        if (next >= tokens.size()) {
            return left;
        }
        String operator = tokens.get(next);
        switch (operator) {
            case "==", "!=", "starts-with", "ends-with", "matches" -> next++;
            default -> {
                return left;
            }
        }
        Object right = operand();
        return switch (operator) {
            case "==" -> same(left, right);
            case "!=" -> !same(left, right);
            case "starts-with" -> text(left).startsWith(text(right));
            case "ends-with" -> text(left).endsWith(text(right));
            default -> matches(text(right), text(left));
        };
    }

    private boolean matches(String regex, String value) throws Failure {
        try {
            return Pattern.compile(regex).matcher(value).matches();
        } catch (PatternSyntaxException e) {
            throw new Failure("expression '" + text + "': '" + regex + "' is not a valid regular expression: "
                    + e.getDescription());
        }
    }

    private @Nullable Object operand() throws Failure {
        if (next >= tokens.size()) {
            throw new Failure("expression '" + text + "' ends where a value was expected");
        }
        String token = tokens.get(next++);
        if (token.equals("(")) {
            Object inner = or();
            if (!peek(")")) {
                throw new Failure("expression '" + text + "' has an unclosed '('");
            }
            next++;
            return inner;
        }
        if (token.startsWith("\"") || token.startsWith("'")) {
            return token.substring(1, token.length() - 1);
        }
        switch (token) {
            case "true":
                return Boolean.TRUE;
            case "false":
                return Boolean.FALSE;
            case "null":
                return null;
            default:
                break;
        }
        if (Character.isDigit(token.charAt(0)) || token.startsWith("-") && token.length() > 1) {
            try {
                return new BigDecimal(token);
            } catch (NumberFormatException e) {
                throw new Failure("expression '" + text + "': '" + token + "' is not a number");
            }
        }
        if (!isName(token)) {
            throw new Failure("expression '" + text + "' has '" + token + "' where a value was expected");
        }
        return names.value(token);
    }

    private boolean peek(String token) {
        return next < tokens.size() && tokens.get(next).equals(token);
    }

    private static boolean isName(String token) {
        return token.matches("[A-Za-z_][A-Za-z0-9_.-]*");
    }

    private static List<String> tokenize(String text) throws Failure {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '(' || c == ')') {
                out.add(String.valueOf(c));
                i++;
            } else if (c == '"' || c == '\'') {
                int end = text.indexOf(c, i + 1);
                if (end < 0) {
                    throw new Failure("expression '" + text + "' has an unclosed string starting at column " + (i + 1));
                }
                out.add(text.substring(i, end + 1));
                i = end + 1;
            } else if (c == '=' || c == '!') {
                if (i + 1 < text.length() && text.charAt(i + 1) == '=') {
                    out.add(text.substring(i, i + 2));
                    i += 2;
                } else {
                    throw new Failure("expression '" + text + "' has a lone '" + c + "' at column " + (i + 1)
                            + "; write == or !=");
                }
            } else {
                int start = i;
                while (i < text.length() && !Character.isWhitespace(text.charAt(i)) && "()\"'=!".indexOf(text.charAt(i)) < 0) {
                    i++;
                }
                out.add(text.substring(start, i));
            }
        }
        return out;
    }

    /** CircleCI's truthiness: everything but false, null, 0, NaN and the empty string. */
    static boolean truthy(@Nullable Object value) {
        if (value == null || Boolean.FALSE.equals(value)) {
            return false;
        }
        if (value instanceof String s) {
            return !s.isEmpty();
        }
        if (value instanceof Double d) {
            return !d.isNaN() && d != 0;
        }
        if (value instanceof Number n) {
            return number(n).signum() != 0;
        }
        return true;
    }

    /** Equality as the configuration means it: numbers by value, everything else as data. */
    static boolean same(@Nullable Object a, @Nullable Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            if (x instanceof Double d && d.isNaN() || y instanceof Double e && e.isNaN()) {
                return false;
            }
            return number(x).compareTo(number(y)) == 0;
        }
        return Objects.equals(a, b);
    }

    private static BigDecimal number(Number n) {
        if (n instanceof BigDecimal b) {
            return b;
        }
        if (n instanceof BigInteger b) {
            return new BigDecimal(b);
        }
        if (n instanceof Double || n instanceof Float) {
            return BigDecimal.valueOf(n.doubleValue());
        }
        return BigDecimal.valueOf(n.longValue());
    }

    /** A value as text inside a string: booleans and numbers as written, null as empty. */
    static String text(@Nullable Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof BigDecimal b) {
            return b.stripTrailingZeros().scale() <= 0 ? b.toBigInteger().toString() : b.toPlainString();
        }
        return value.toString();
    }
}
