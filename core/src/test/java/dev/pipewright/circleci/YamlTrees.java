package dev.pipewright.circleci;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/** Builds YAML data trees for tests and reads YAML text back with SnakeYAML Engine. */
final class YamlTrees {
    private YamlTrees() {}

    /** An insertion-ordered map of alternating keys and values. */
    static Map<String, @Nullable Object> map(@Nullable Object... keysAndValues) {
        Map<String, @Nullable Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    /** A list that, unlike {@code List.of}, may hold nulls. */
    static List<@Nullable Object> list(@Nullable Object... items) {
        return new ArrayList<>(Arrays.asList(items));
    }

    /** Reads with default settings, which in SnakeYAML Engine 3 means the YAML 1.2 JSON schema. */
    static @Nullable Object readJsonSchema(String yaml) {
        return new Load(LoadSettings.builder().build()).loadFromString(yaml);
    }

    /** Reads with the YAML 1.2 core schema, allowing the many aliases some real configs use. */
    static @Nullable Object readCoreSchema(String yaml) {
        LoadSettings settings = LoadSettings.builder().setSchema(new CoreSchema())
                .setMaxAliasesForCollections(1000).build();
        return new Load(settings).loadFromString(yaml);
    }

    /** The tree with every integer as a BigInteger, since readers pick Integer, Long or BigInteger by size. */
    static @Nullable Object normalized(@Nullable Object tree) {
        if (tree instanceof Map<?, ?> map) {
            Map<Object, @Nullable Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(k, normalized(v)));
            return copy;
        }
        if (tree instanceof List<?> list) {
            List<@Nullable Object> copy = new ArrayList<>();
            list.forEach(item -> copy.add(normalized(item)));
            return copy;
        }
        if (tree instanceof Integer || tree instanceof Long) {
            return BigInteger.valueOf(((Number) tree).longValue());
        }
        return tree;
    }

    @SuppressWarnings("unchecked")
    static Map<String, @Nullable Object> asTree(@Nullable Object read) {
        return (Map<String, @Nullable Object>) read;
    }
}
