package dev.pipewright.circleci;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;
import static com.google.common.base.Preconditions.checkState;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** Writes typed fields as a mapping of plain data, then the kept keys after them. */
final class FieldWriter {
    private final Map<String, @Nullable Object> out = new LinkedHashMap<>();

    /** Writes {@code value} (plain data) unless it is absent (null). */
    FieldWriter put(String key, @Nullable Object value) {
        if (value != null) {
            out.put(key, value);
        }
        return this;
    }

    /** Writes the data of {@code field}, even when that is null (a null literal), unless the field is absent. */
    <T> FieldWriter put(String key, @Nullable T field, Function<T, @Nullable Object> toData) {
        if (field != null) {
            out.put(key, toData.apply(field));
        }
        return this;
    }

    /** Writes an interpolable value unless absent. */
    FieldWriter put(String key, @Nullable Interpolable<?> value) {
        return put(key, value == null ? null : data(value));
    }

    /** The data of an interpolable value: the literal ({@code Long} for an integer) or the text. */
    static Object data(Interpolable<?> value) {
        if (value instanceof Interpolable.Literal<?> l) {
            return l.value() instanceof Integer i ? (Object) i.longValue() : l.value();
        }
        return ((Interpolable.Expression<?>) value).text();
    }

    /** The data of a step. */
    static @Nullable Object data(CircleCiStep step) {
        return Steps.toData(step);
    }

    /** The data of a logic statement. */
    static @Nullable Object data(Condition condition) {
        return Conditions.toData(condition);
    }

    /** The data of an orb: its reference, or the inline orb's mapping. */
    static Object data(Orb orb) {
        return orb instanceof OrbReference r ? r.reference() : ((InlineOrb) orb).toData();
    }

    /** The data of filters: the mapping, or the expression. */
    static Object data(Filters filters) {
        return filters instanceof ExpressionFilter e ? e.expression() : ((PatternFilters) filters).toData();
    }

    /** The data of an environment: a mapping, a list of strings, or a string. */
    static Object data(EnvironmentVariables environment) {
        if (environment instanceof EnvironmentVariables.Mapping m) {
            return m.values();
        }
        return environment instanceof EnvironmentVariables.Assignments a ? a.assignments()
                : ((EnvironmentVariables.Text) environment).text();
    }

    /**
     * {@code environment} with the variable {@code name} added to its mapping.
     *
     * @throws IllegalStateException when {@code environment} is not a mapping
     */
    static EnvironmentVariables put(@Nullable EnvironmentVariables environment, String name, @Nullable Object value) {
        checkNotNull(name, "name");
        Map<String, @Nullable Object> values = new LinkedHashMap<>();
        if (environment instanceof EnvironmentVariables.Mapping m) {
            values.putAll(m.values());
        } else {
            checkState(environment == null, "environment is set as %s, not a mapping; replace it with environment(...)",
                    environment);
        }
        values.put(name, value);
        return EnvironmentVariables.of(values);
    }

    /**
     * Writes every entry.
     *
     * @throws IllegalArgumentException when a key is already written
     */
    FieldWriter putAll(Map<String, @Nullable Object> entries) {
        entries.forEach((k, v) -> {
            checkArgument(!out.containsKey(k), "key '%s' is written twice", k);
            out.put(k, v);
        });
        return this;
    }

    /** Writes a version unless absent. */
    FieldWriter put(String key, @Nullable Version value) {
        return put(key, value == null ? null : value.toData());
    }

    /** Writes each item converted, unless the list is absent. */
    <T> FieldWriter putList(String key, @Nullable List<T> list, Function<T, @Nullable Object> toData) {
        return put(key, list == null ? null : list.stream().map(toData).toList());
    }

    /** Writes each value converted, in order, unless the map is absent. */
    <T> FieldWriter putMap(String key, @Nullable Map<String, T> map, Function<T, @Nullable Object> toData) {
        return put(key, map == null ? null : convert(map, toData));
    }

    static <T> Map<String, @Nullable Object> convert(Map<String, T> map, Function<T, @Nullable Object> toData) {
        Map<String, @Nullable Object> m = new LinkedHashMap<>();
        map.forEach((k, v) -> m.put(k, toData.apply(v)));
        return Collections.unmodifiableMap(m);
    }

    /**
     * The mapping: typed fields, then {@code extra}.
     *
     * @throws IllegalArgumentException when an extra key is also written by a typed field
     */
    Map<String, @Nullable Object> build(Map<String, @Nullable Object> extra) {
        extra.forEach((k, v) -> {
            checkArgument(!out.containsKey(k), "extra key '%s' is also set as a typed field; set only one of them", k);
            out.put(k, v);
        });
        return Collections.unmodifiableMap(out);
    }
}
