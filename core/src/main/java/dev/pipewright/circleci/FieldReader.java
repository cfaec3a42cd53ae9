package dev.pipewright.circleci;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Reads the keys of one mapping into typed fields. A key is taken when its value fits the
 * field's shape; every other key is kept as written, with a warning saying whether the key is
 * unknown or its value did not fit.
 */
final class FieldReader {
    private final Map<?, ?> map;
    private final String path;
    private final Warnings warnings;
    private final String owner;
    private final Set<String> taken = new HashSet<>();
    private final Map<String, Shape<?>> misfits = new LinkedHashMap<>();

    /**
     * @param owner what the mapping is, for messages: "a job", "a run step"
     */
    FieldReader(Map<?, ?> map, String path, Warnings warnings, String owner) {
        this.map = map;
        this.path = path;
        this.warnings = warnings;
        this.owner = owner;
    }

    /** When {@code key} is present and its value fits {@code shape}, hands the typed value to {@code into}. */
    <T> void read(String key, Shape<T> shape, Consumer<? super T> into) {
        if (!map.containsKey(key)) {
            return;
        }
        Warnings scratch = warnings.scratch();
        T value = shape.read(map.get(key), Warnings.child(path, key), scratch);
        if (value == null) {
            misfits.put(key, shape);
            return;
        }
        warnings.addAll(scratch);
        taken.add(key);
        into.accept(value);
    }

    /** Every key not taken, as written, each with a warning. */
    Map<String, @Nullable Object> extra() {
        Map<String, @Nullable Object> out = new LinkedHashMap<>();
        map.forEach((k, v) -> {
            String key = (String) k;
            if (!taken.contains(key)) {
                warnAbout(key, v);
                out.put(key, PlainData.copy(v));
            }
        });
        return out;
    }

    /** Known keys whose values did not fit, as written, each with a warning. */
    Map<String, @Nullable Object> misfits() {
        Map<String, @Nullable Object> out = new LinkedHashMap<>();
        misfits.keySet().forEach(key -> {
            Object v = map.get(key);
            warnAbout(key, v);
            out.put(key, PlainData.copy(v));
        });
        return out;
    }

    /** Keys neither taken nor known, as written, without warnings: arguments, say. */
    Map<String, @Nullable Object> others() {
        Map<String, @Nullable Object> out = new LinkedHashMap<>();
        map.forEach((k, v) -> {
            String key = (String) k;
            if (!taken.contains(key) && !misfits.containsKey(key)) {
                out.put(key, PlainData.copy(v));
            }
        });
        return out;
    }

    private void warnAbout(String key, @Nullable Object value) {
        Shape<?> shape = misfits.get(key);
        if (shape != null) {
            warnings.add(Warnings.child(path, key), "expected " + shape.expected() + " but " + shape.misfit(value)
                    + "; kept as written.");
        } else {
            warnings.add(Warnings.child(path, key), "'" + key + "' is not a key of " + owner
                    + " that the model knows; kept as written.");
        }
    }
}
