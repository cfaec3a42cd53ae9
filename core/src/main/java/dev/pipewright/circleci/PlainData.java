package dev.pipewright.circleci;

import static com.google.common.base.Preconditions.checkArgument;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Plain configuration data, the values {@link YamlReader} produces: strings, {@code Long},
 * {@code BigInteger}, {@code Double}, {@code Boolean}, null, lists and string-keyed maps in key
 * order. Values handed to builders are copied into that form, so that a model built in Java writes
 * the same data as one read from YAML ({@code 3} becomes {@code 3L}).
 */
final class PlainData {
    private PlainData() {
    }

    /**
     * An unmodifiable copy of {@code value} in plain form.
     *
     * @throws IllegalArgumentException when it holds anything else, such as a model object or a
     *     map with a key that is not a string
     */
    static @Nullable Object copy(@Nullable Object value) {
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof Long
                || value instanceof Double || value instanceof BigInteger) {
            return value;
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Float f) {
            return Double.valueOf(f.toString());
        }
        if (value instanceof List<?> list) {
            List<@Nullable Object> out = new ArrayList<>(list.size());
            list.forEach(item -> out.add(copy(item)));
            return Collections.unmodifiableList(out);
        }
        if (value instanceof Map<?, ?> map) {
            return copyMap(map);
        }
        throw new IllegalArgumentException("expected plain data (a string, number, boolean, null, list or map) but found "
                + value.getClass().getName() + ": " + value);
    }

    /** An unmodifiable, ordered copy of a string-keyed map of plain data. */
    static Map<String, @Nullable Object> copyMap(Map<?, ?> map) {
        Map<String, @Nullable Object> out = new LinkedHashMap<>();
        map.forEach((k, v) -> {
            checkArgument(k instanceof String, "map keys must be strings but found %s", k);
            out.put((String) k, copy(v));
        });
        return Collections.unmodifiableMap(out);
    }

    /** Whether {@code value} is a single value: a string, number or boolean (not null). */
    static boolean isScalar(@Nullable Object value) {
        return value instanceof String || value instanceof Number || value instanceof Boolean;
    }

    /** Whether {@code text} holds a {@code << ... >>} interpolation. */
    static boolean isInterpolation(String text) {
        int open = text.indexOf("<<");
        return open >= 0 && text.indexOf(">>", open + 2) > open;
    }

    /** What a value is, for messages: "a string", "a number", "a list"... */
    static String describe(@Nullable Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof String s) {
            return "the string '" + (s.length() > 40 ? s.substring(0, 40) + "…" : s) + "'";
        }
        if (value instanceof Boolean b) {
            return b.toString();
        }
        if (value instanceof Number n) {
            return "the number " + n;
        }
        if (value instanceof List<?> l) {
            return l.isEmpty() ? "an empty list" : "a list";
        }
        if (value instanceof Map<?, ?> m) {
            return m.isEmpty() ? "an empty mapping" : "a mapping";
        }
        return value.getClass().getSimpleName();
    }
}
