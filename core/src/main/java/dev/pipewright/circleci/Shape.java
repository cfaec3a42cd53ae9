package dev.pipewright.circleci;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The shape a typed field expects, and how to read a value of that shape. {@link #read} answers
 * null when the value does not fit; the caller then keeps the value as written.
 *
 * @param expected what fits, for messages: "a string", "a list of steps"
 * @param reader reads a fitting value, or answers null
 * @param element for a list or a section of named values, the shape of each, to say which one did
 *     not fit; else null
 * @param <T> the field's type
 */
record Shape<T>(String expected, Reader<T> reader, @Nullable Shape<?> element) {

    Shape(String expected, Reader<T> reader) {
        this(expected, reader, null);
    }

    /** Reads one value at a key path. */
    @FunctionalInterface
    interface Reader<T> {
        @Nullable T read(@Nullable Object value, String path, Warnings warnings);
    }

    @Nullable T read(@Nullable Object value, String path, Warnings warnings) {
        return reader.read(value, path, warnings);
    }

    /** Why {@code value} does not fit: which item or entry, for a list or section; else what it is. */
    String misfit(@Nullable Object value) {
        if (element != null && value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                if (element.read(list.get(i), "", Warnings.detached()) == null) {
                    return "[" + i + "] is " + PlainData.describe(list.get(i)) + ", not " + element.expected();
                }
            }
        }
        if (element != null && value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (element.read(e.getValue(), "", Warnings.detached()) == null) {
                    return "'" + e.getKey() + "' is " + PlainData.describe(e.getValue()) + ", not " + element.expected();
                }
            }
        }
        return "found " + PlainData.describe(value);
    }

    static final Shape<String> STRING = new Shape<>("a string", (v, p, w) -> v instanceof String s ? s : null);

    static final Shape<List<String>> STRINGS = new Shape<>("a list of strings", (v, p, w) -> {
        if (!(v instanceof List<?> list) || !list.stream().allMatch(i -> i instanceof String)) {
            return null;
        }
        List<String> out = new ArrayList<>();
        list.forEach(i -> out.add((String) i));
        return Collections.unmodifiableList(out);
    });

    static final Shape<Interpolable<Boolean>> BOOLEAN = new Shape<>("true, false or a << parameters.x >> interpolation",
            (v, p, w) -> v instanceof Boolean b ? Interpolable.of(b) : expression(v));

    static final Shape<Interpolable<Integer>> INTEGER = new Shape<>("an integer or a << parameters.x >> interpolation",
            (v, p, w) -> v instanceof Long l && l == l.intValue() ? Interpolable.of(l.intValue()) : expression(v));

    static final Shape<Version> VERSION = new Shape<>("a version, as a string or a number",
            (v, p, w) -> Version.fromData(v));

    /** Any single value: a string, number or boolean. */
    static final Shape<Object> SCALAR = new Shape<>("a string, number or boolean",
            (v, p, w) -> PlainData.isScalar(v) ? v : null);

    /** A mapping of names to any data, such as arguments. */
    static final Shape<Map<String, @Nullable Object>> DATA_MAP = new Shape<>("a mapping",
            (v, p, w) -> v instanceof Map<?, ?> m ? PlainData.copyMap(m) : null);

    /** One step; always fits, as an {@link UnknownStep} if need be. */
    static final Shape<CircleCiStep> STEP = new Shape<>("a step", Steps::read);

    /** A list of steps. */
    static final Shape<List<CircleCiStep>> STEPS = listOf("a list of steps", STEP);

    /** A logic statement; always fits, as a literal if need be. */
    static final Shape<Condition> CONDITION = new Shape<>("a logic statement", Conditions::read);

    static final Shape<EnvironmentVariables> ENVIRONMENT = new Shape<>(
            "a mapping of names to single values, a list of NAME=value strings, or one such string", (v, p, w) -> {
                if (v instanceof String s) {
                    return EnvironmentVariables.text(s);
                }
                if (v instanceof Map<?, ?> m && m.values().stream().allMatch(x -> x == null || PlainData.isScalar(x))) {
                    return new EnvironmentVariables.Mapping(PlainData.copyMap(m));
                }
                List<String> assignments = STRINGS.read(v, p, w);
                return assignments == null ? null : EnvironmentVariables.assignments(assignments);
            });

    static final Shape<Orb> ORB = new Shape<>("an orb reference (a string) or an inline orb (a mapping)",
            (v, p, w) -> v instanceof String s ? Orb.reference(s)
                    : v instanceof Map<?, ?> m ? InlineOrb.fromData(m, p, w) : null);

    /** An {@code orbs} section: orbs by alias. */
    static final Shape<Map<String, Orb>> ORBS = namedOf("a mapping of orb aliases to orbs", ORB);

    static final Shape<Filters> FILTERS = new Shape<>("a mapping of branches and tags, or an expression string",
            (v, p, w) -> v instanceof String s ? Filters.expression(s)
                    : v instanceof Map<?, ?> m ? PatternFilters.fromData(m, p, w) : null);

    private static <T> Interpolable.@Nullable Expression<T> expression(@Nullable Object value) {
        return value instanceof String s && PlainData.isInterpolation(s) ? Interpolable.expression(s) : null;
    }

    /** A mapping read by {@code reader}, which always succeeds on a mapping. */
    static <T> Shape<T> mapping(String expected, MapReader<T> reader) {
        return new Shape<>(expected, (v, p, w) -> v instanceof Map<?, ?> m ? reader.read(m, p, w) : null);
    }

    /** Reads a mapping that has been checked to be one. */
    @FunctionalInterface
    interface MapReader<T> {
        @Nullable T read(Map<?, ?> map, String path, Warnings warnings);
    }

    /** A list whose every item fits {@code item}. */
    static <T> Shape<List<T>> listOf(String expected, Shape<T> item) {
        return new Shape<>(expected, (v, p, w) -> {
            if (!(v instanceof List<?> list)) {
                return null;
            }
            List<T> out = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) {
                T t = item.read(list.get(i), Warnings.item(p, i), w);
                if (t == null) {
                    return null;
                }
                out.add(t);
            }
            return Collections.unmodifiableList(out);
        }, item);
    }

    /** A mapping whose every value fits {@code value}: a section of named definitions. */
    static <T> Shape<Map<String, T>> namedOf(String expected, Shape<T> value) {
        return new Shape<>(expected, (v, p, w) -> {
            if (!(v instanceof Map<?, ?> map)) {
                return null;
            }
            Map<String, T> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                String name = (String) e.getKey();
                T t = value.read(e.getValue(), Warnings.child(p, name), w);
                if (t == null) {
                    return null;
                }
                out.put(name, t);
            }
            return Collections.unmodifiableMap(out);
        }, value);
    }
}
