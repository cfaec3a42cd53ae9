package dev.pipewright.circleci;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Reads a logic statement from data, and writes it back. */
final class Conditions {
    static final Set<String> OPERATORS = Set.of("and", "or", "not", "equal", "matches");

    private Conditions() {
    }

    /** Whether {@code value} reads as a statement rather than as a literal. */
    static boolean isStatement(@Nullable Object value) {
        if (!(value instanceof Map<?, ?> map) || map.size() != 1 || !OPERATORS.containsAll(map.keySet())) {
            return false;
        }
        Map.Entry<?, ?> only = map.entrySet().iterator().next();
        Object operand = only.getValue();
        return switch ((String) only.getKey()) {
            case "and", "or", "equal" -> operand instanceof List;
            case "not" -> true;
            default -> operand instanceof Map<?, ?> m && m.size() == 2 && m.get("pattern") instanceof String
                    && m.get("value") instanceof String;
        };
    }

    /** The statement {@code value} is; a {@link Condition.Literal} for a plain value. Never null. */
    static Condition read(@Nullable Object value, String path, Warnings warnings) {
        if (value instanceof Map<?, ?> map && map.size() == 1 && OPERATORS.containsAll(map.keySet())) {
            Map.Entry<?, ?> only = map.entrySet().iterator().next();
            String operator = (String) only.getKey();
            Object operand = only.getValue();
            String at = Warnings.child(path, operator);
            Condition statement = switch (operator) {
                case "and" -> operand instanceof List<?> l ? new Condition.And(each(l, at, warnings)) : null;
                case "or" -> operand instanceof List<?> l ? new Condition.Or(each(l, at, warnings)) : null;
                case "equal" -> operand instanceof List<?> l ? new Condition.Equal(each(l, at, warnings)) : null;
                case "not" -> new Condition.Not(read(operand, at, warnings));
                default -> operand instanceof Map<?, ?> m && m.size() == 2 && m.get("pattern") instanceof String p
                        && m.get("value") instanceof String v ? new Condition.Matches(p, v) : null;
            };
            if (statement != null) {
                return statement;
            }
            warnings.add(at, "expected " + (operator.equals("matches") ? "a mapping of pattern and value (strings)"
                    : "a list of statements") + " but found " + PlainData.describe(operand)
                    + "; the statement is kept as a literal, as written.");
            return new Condition.Literal(value);
        }
        if (value instanceof Map || value instanceof List) {
            warnings.add(path, "expected a logic statement (and, or, not, equal, matches) or a single value but found "
                    + PlainData.describe(value) + "; kept as a literal, as written.");
        }
        return new Condition.Literal(value);
    }

    private static List<Condition> each(List<?> list, String path, Warnings warnings) {
        List<Condition> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            out.add(read(list.get(i), Warnings.item(path, i), warnings));
        }
        return out;
    }

    /** The statement as data. */
    static @Nullable Object toData(Condition condition) {
        if (condition instanceof Condition.And c) {
            return Map.of("and", c.statements().stream().map(Conditions::toData).toList());
        } else if (condition instanceof Condition.Or c) {
            return Map.of("or", c.statements().stream().map(Conditions::toData).toList());
        } else if (condition instanceof Condition.Equal c) {
            return Map.of("equal", c.values().stream().map(Conditions::toData).toList());
        } else if (condition instanceof Condition.Not c) {
            Map<String, @Nullable Object> m = new LinkedHashMap<>();
            m.put("not", toData(c.statement()));
            return Collections.unmodifiableMap(m);
        } else if (condition instanceof Condition.Matches c) {
            return Map.of("matches", Map.of("pattern", c.pattern(), "value", c.value()));
        }
        return ((Condition.Literal) condition).value();
    }
}
