package dev.pipewright.circleci;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * The names a YAML file gives its anchors ({@code &attach_workspace}), by the data they anchor,
 * so that a value shared through an anchor becomes a constant of the same name.
 *
 * <p>The file is composed again into nodes, where an alias is the anchored node itself; every
 * place an anchored node appears at is looked up in the configuration's canonical data, so the
 * data found is in the form the model writes (a bare {@code - checkout} is {@code checkout: {}}).
 * Names are only hints: a value no anchor names gets a name from what it is.
 */
final class ImportAnchors {
    /** Places visited at most; aliases can make the tree far larger than the text. */
    private static final int MAX_PLACES = 200_000;

    /** No anchors: for a configuration built in Java. */
    static final ImportAnchors NONE = new ImportAnchors(Map.of());

    private final Map<String, String> names = new LinkedHashMap<>();
    private final Map<String, List<String>> merged = new LinkedHashMap<>();
    private final Map<String, @Nullable Object> data;
    private int places;

    private ImportAnchors(Map<String, @Nullable Object> data) {
        this.data = data;
    }

    /** The anchors of a configuration's text; none when the text cannot be composed. */
    static ImportAnchors of(String yaml, CircleCiConfig config) {
        ImportAnchors anchors = new ImportAnchors(config.data());
        try {
            // Aliases are bounded here by MAX_PLACES, the text by the parser that read it first.
            LoadSettings settings = LoadSettings.builder().setAllowDuplicateKeys(true)
                    .setMaxAliasesForCollections(Integer.MAX_VALUE).setCodePointLimit(Integer.MAX_VALUE).build();
            new Compose(settings).composeString(yaml)
                    .ifPresent(r -> anchors.walk(r, new ArrayList<>()));
        } catch (RuntimeException e) {
            // The file parsed already: a name we cannot get is no error, the value gets another.
        }
        return anchors;
    }

    /** The name of the anchor of {@code value}, data in the model's form; empty when none anchors it. */
    Optional<String> name(@Nullable Object value) {
        return Optional.ofNullable(names.get(ImportCode.dataKey(value)));
    }

    /** The anchors merged ({@code <<: *defaults}) into the job {@code job}, in order. */
    List<String> mergedInto(String job) {
        return merged.getOrDefault(job, List.of());
    }

    private void walk(Node node, List<Object> path) {
        if (++places > MAX_PLACES) {
            return;
        }
        node.getAnchor().ifPresent(a -> at(path).ifPresent(value ->
                names.putIfAbsent(ImportCode.dataKey(value), a.getValue())));
        if (node instanceof MappingNode m) {
            for (NodeTuple t : m.getValue()) {
                if (!(t.getKeyNode() instanceof ScalarNode key)) {
                    continue;
                }
                if (key.getValue().equals("<<")) {
                    merged(t.getValueNode(), path); // merged keys are keys of this mapping
                } else {
                    path.add(key.getValue());
                    walk(t.getValueNode(), path);
                    path.remove(path.size() - 1);
                }
            }
        } else if (node instanceof SequenceNode s) {
            List<Node> items = s.getValue();
            for (int i = 0; i < items.size(); i++) {
                path.add(i);
                walk(items.get(i), path);
                path.remove(path.size() - 1);
            }
        }
    }

    private void merged(Node value, List<Object> path) {
        if (path.size() == 2 && "jobs".equals(path.get(0))) {
            List<String> into = merged.computeIfAbsent((String) path.get(1), j -> new ArrayList<>());
            (value instanceof SequenceNode s ? s.getValue() : List.of(value))
                    .forEach(n -> n.getAnchor().ifPresent(a -> into.add(a.getValue())));
        }
        if (value instanceof SequenceNode s) {
            s.getValue().forEach(n -> mergedMapping(n, path));
        } else {
            mergedMapping(value, path);
        }
    }

    private void mergedMapping(Node node, List<Object> path) {
        if (node instanceof MappingNode m) {
            for (NodeTuple t : m.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode key && !key.getValue().equals("<<")) {
                    path.add(key.getValue());
                    walk(t.getValueNode(), path);
                    path.remove(path.size() - 1);
                }
            }
        }
    }

    /** The canonical data at {@code path}, if there is any. */
    private Optional<Object> at(List<Object> path) {
        Object value = data;
        for (Object step : path) {
            if (step instanceof String key && value instanceof Map<?, ?> m && m.containsKey(key)) {
                value = m.get(key);
            } else if (step instanceof Integer i && value instanceof List<?> l && i < l.size()) {
                value = l.get(i);
            } else {
                return Optional.empty();
            }
        }
        return Optional.ofNullable(value);
    }
}
