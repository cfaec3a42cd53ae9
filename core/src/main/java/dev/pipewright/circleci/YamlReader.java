package dev.pipewright.circleci;

import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.common.Anchor;
import org.snakeyaml.engine.v2.events.AliasEvent;
import org.snakeyaml.engine.v2.events.CollectionStartEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.NodeEvent;
import org.snakeyaml.engine.v2.events.ScalarEvent;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.resolver.CoreScalarResolver;
import org.snakeyaml.engine.v2.resolver.ScalarResolver;
import org.snakeyaml.engine.v2.scanner.StreamReader;

/**
 * Reads one YAML document into a plain data tree ({@code Map<String, Object>} in key order,
 * {@code List<Object>}, {@code String}, {@code Long}, {@code BigInteger}, {@code Double},
 * {@code Boolean}, {@code null}), with the position of every value by key path.
 *
 * <p>Built on snakeyaml-engine's event parser rather than its composer so that hostile input is
 * bounded here, without recursion: nesting depth, the number of values after aliases are expanded
 * (alias bombs), the document's size. Anchors may be defined again (the later definition wins, as
 * YAML 1.2 allows); merge keys ({@code <<}) are resolved, including repeated ones and lists of
 * maps, with explicit keys taking precedence; any other duplicate key is an error. Scalars are
 * resolved with the YAML 1.2 core schema.
 */
final class YamlReader {

    /** Bounds on what one document may hold. */
    record Limits(int maxDepth, long maxValues, int maxChars) {
    }

    static final Limits DEFAULT_LIMITS = new Limits(200, 5_000_000, 32 * 1024 * 1024);

    /** The data and where each value came from, looked up by path ({@code jobs.build.steps[0]}). */
    record Document(Object root, PositionNode index) {
        /**
         * The position of {@code path} (a key's position for a mapping entry, an item's for a list
         * item), or of its nearest ancestor that has one.
         */
        Position positionOf(String path) {
            return index.find(path);
        }

        /** Every recorded position by path; for tests and diagnostics, computed on each call. */
        Map<String, Position> positions() {
            Map<String, Position> all = new LinkedHashMap<>();
            index.flatten("", all);
            return all;
        }
    }

    /**
     * Where one value came from, with the positions of its entries or items: a tree beside the data,
     * so that reading records a position with one map or list insertion and no path strings; paths
     * are only spelled out when a problem is reported.
     */
    static final class PositionNode {
        final Position at;
        private @Nullable Map<String, PositionNode> keys;
        private @Nullable List<PositionNode> items;

        PositionNode(Position at) {
            this.at = at;
        }

        /** The node of entry {@code key}, made at {@code position} if new; the first definition wins. */
        PositionNode key(String key, Position position) {
            if (keys == null) {
                keys = new HashMap<>();
            }
            PositionNode node = keys.get(key);
            if (node == null) {
                node = new PositionNode(position);
                keys.put(key, node);
            }
            return node;
        }

        /** A new node for the next item, at {@code position}. */
        PositionNode item(Position position) {
            if (items == null) {
                items = new ArrayList<>();
            }
            PositionNode node = new PositionNode(position);
            items.add(node);
            return node;
        }

        /** Walks {@code path}; keys may hold dots or brackets, so the longest key that fits wins. */
        Position find(String path) {
            PositionNode node = this;
            int i = 0;
            while (i < path.length()) {
                PositionNode next = null;
                if (path.charAt(i) == '[' && node.items != null) {
                    int close = path.indexOf(']', i);
                    if (close > i) {
                        try {
                            int index = Integer.parseInt(path.substring(i + 1, close));
                            if (index >= 0 && index < node.items.size()) {
                                next = node.items.get(index);
                                i = close + 1;
                            }
                        } catch (NumberFormatException e) {
                            next = null;
                        }
                    }
                }
                if (next == null && node.keys != null) {
                    int start = i > 0 && path.charAt(i) == '.' ? i + 1 : i;
                    String best = null;
                    for (String key : node.keys.keySet()) {
                        int end = start + key.length();
                        if (path.startsWith(key, start) && (end == path.length() || path.charAt(end) == '.'
                                || path.charAt(end) == '[') && (best == null || key.length() > best.length())) {
                            best = key;
                        }
                    }
                    if (best != null) {
                        next = node.keys.get(best);
                        i = start + best.length();
                    }
                }
                if (next == null) {
                    break;
                }
                node = next;
            }
            return node.at;
        }

        void flatten(String path, Map<String, Position> into) {
            into.put(path, at);
            if (keys != null) {
                keys.forEach((k, v) -> v.flatten(path.isEmpty() ? k : path + "." + k, into));
            }
            if (items != null) {
                for (int i = 0; i < items.size(); i++) {
                    items.get(i).flatten(path + "[" + i + "]", into);
                }
            }
        }
    }

    /** A 1-based line and column; 0 for unknown. */
    record Position(int line, int column) {
    }

    private static final String MERGE = "<<";
    private static final ScalarResolver RESOLVER = new CoreScalarResolver(false);
    /** The characters a YAML 1.2 core-schema null, bool, int or float can start with. */
    private static final String CORE_SCALAR_STARTS = "~nNtTfF-+.0123456789";

    private final String file;
    private final Limits limits;
    private @Nullable PositionNode index;
    private final Map<String, Anchored> anchors = new HashMap<>();
    private final Deque<Frame> stack = new ArrayDeque<>();
    private long values;
    private @Nullable Object root;
    private boolean haveRoot;

    private YamlReader(String file, Limits limits) {
        this.file = file;
        this.limits = limits;
    }

    /**
     * Reads {@code text}, named {@code file} in errors.
     *
     * @throws InvalidConfigException with the position of the first syntax error or exceeded limit
     */
    static Document read(String text, String file) {
        return read(text, file, DEFAULT_LIMITS);
    }

    static Document read(String text, String file, Limits limits) {
        if (text.length() > limits.maxChars()) {
            throw error(file, null, "the file holds " + text.length() + " characters; the limit is "
                    + limits.maxChars() + ". Split the configuration or check it is the right file.");
        }
        YamlReader reader = new YamlReader(file, limits);
        LoadSettings settings = LoadSettings.builder().setLabel(file).setCodePointLimit(limits.maxChars() + 1)
                .setUseMarks(true).build();
        try {
            ParserImpl parser = new ParserImpl(settings, new StreamReader(settings, text));
            while (parser.hasNext()) {
                reader.accept(parser.next());
            }
        } catch (MarkedYamlEngineException e) {
            Mark mark = e.getProblemMark().or(e::getContextMark).orElse(null);
            String message = e.getProblem() == null ? e.getMessage() : e.getProblem();
            String context = e.getContext() == null ? "" : " (" + e.getContext() + ")";
            throw error(file, mark, "invalid YAML: " + message + context + ".");
        } catch (YamlEngineException e) {
            throw error(file, null, "invalid YAML: " + e.getMessage() + ".");
        }
        if (!reader.haveRoot) {
            throw error(file, null, "the file holds no YAML document.");
        }
        return new Document(reader.root == null ? Map.of() : reader.root,
                reader.index == null ? new PositionNode(new Position(0, 0)) : reader.index);
    }

    private static InvalidConfigException error(String file, @Nullable Mark mark, String message) {
        int line = mark == null ? 0 : mark.getLine() + 1;
        int column = mark == null ? 0 : mark.getColumn() + 1;
        return new InvalidConfigException(List.of(new ConfigProblem(file, line, column, "", message)));
    }

    private InvalidConfigException error(Event event, String path, String message) {
        Mark mark = event.getStartMark().orElse(null);
        int line = mark == null ? 0 : mark.getLine() + 1;
        int column = mark == null ? 0 : mark.getColumn() + 1;
        return new InvalidConfigException(List.of(new ConfigProblem(file, line, column, path, message)));
    }

    private static Position position(Event event) {
        return event.getStartMark().map(m -> new Position(m.getLine() + 1, m.getColumn() + 1)).orElse(new Position(0, 0));
    }

    /** A value an anchor names, with how many values it holds once expanded. */
    private record Anchored(@Nullable Object value, long size) {
    }

    /** An open collection. */
    private abstract static class Frame {
        private final @Nullable Frame parent;
        /** This collection's key in its parent mapping, or null in a list (then {@link #index} counts). */
        private final @Nullable String key;
        private final int index;
        final PositionNode node;
        final Optional<Anchor> anchor;
        long size = 1;

        Frame(@Nullable Frame parent, PositionNode node, Optional<Anchor> anchor) {
            this.parent = parent;
            if (parent instanceof MappingFrame m) {
                this.key = m.pendingKey == null ? "?" : m.pendingKey;
                this.index = -1;
            } else {
                this.key = null;
                this.index = parent instanceof SequenceFrame s ? s.items.size() : -1;
            }
            this.node = node;
            this.anchor = anchor;
        }

        /** This collection's path, spelled out only when a problem is reported. */
        String path() {
            if (parent == null) {
                return "";
            }
            String parentPath = parent.path();
            if (key != null) {
                return parentPath.isEmpty() ? key : parentPath + "." + key;
            }
            return parentPath + "[" + index + "]";
        }

        /** The path of the next value added. */
        abstract String childPath();

        abstract void add(@Nullable Object value, Event event, YamlReader reader);

        abstract Object close(YamlReader reader, Event end);
    }

    private static final class SequenceFrame extends Frame {
        final List<@Nullable Object> items = new ArrayList<>();

        SequenceFrame(@Nullable Frame parent, PositionNode node, Optional<Anchor> anchor) {
            super(parent, node, anchor);
        }

        @Override
        String childPath() {
            return path() + "[" + items.size() + "]";
        }

        @Override
        void add(@Nullable Object value, Event event, YamlReader reader) {
            items.add(value);
        }

        @Override
        Object close(YamlReader reader, Event end) {
            return Collections.unmodifiableList(items);
        }
    }

    private static final class MappingFrame extends Frame {
        /** Entries in order; a merge source is kept under a unique marker until the map closes. */
        final List<Object[]> entries = new ArrayList<>();
        final Map<String, Position> explicitKeys = new HashMap<>();
        @Nullable String pendingKey;
        /** The position node of the value about to come: its key's. */
        @Nullable PositionNode pendingNode;
        boolean expectingKey = true;

        MappingFrame(@Nullable Frame parent, PositionNode node, Optional<Anchor> anchor) {
            super(parent, node, anchor);
        }

        @Override
        String childPath() {
            return childPathFor(pendingKey == null ? "?" : pendingKey);
        }

        @Override
        void add(@Nullable Object value, Event event, YamlReader reader) {
            if (expectingKey) {
                if (value instanceof Map || value instanceof List) {
                    throw reader.error(event, path(), "a mapping key must be a plain value, not a "
                            + (value instanceof Map ? "mapping" : "sequence") + ".");
                }
                String key = value == null ? "null" : value instanceof String s ? s : String.valueOf(value);
                if (!MERGE.equals(key) || !(event instanceof ScalarEvent se) || !se.isPlain()) {
                    // A key path points at its key: that is where "jobs.build.executor: ..." sends the reader.
                    pendingNode = node.key(key, position(event));
                    Position first = explicitKeys.putIfAbsent(key, position(event));
                    if (first != null) {
                        throw reader.error(event, childPathFor(key), "duplicate key '" + key + "' (first at line "
                                + first.line() + ", column " + first.column() + "). Keep one of them.");
                    }
                    pendingKey = key;
                } else {
                    pendingKey = null; // a merge key
                    pendingNode = new PositionNode(position(event));
                }
                expectingKey = false;
                return;
            }
            entries.add(new Object[] {pendingKey, value, pendingKey == null ? event : null});
            expectingKey = true;
            pendingKey = null;
        }

        private String childPathFor(String key) {
            String path = path();
            return path.isEmpty() ? key : path + "." + key;
        }

        @Override
        Object close(YamlReader reader, Event end) {
            Map<String, @Nullable Object> result = new LinkedHashMap<>();
            for (Object[] entry : entries) {
                if (entry[0] != null) {
                    result.put((String) entry[0], entry[1]);
                    continue;
                }
                for (Map<?, ?> source : mergeSources(entry[1], (Event) entry[2], reader)) {
                    source.forEach((k, v) -> {
                        String key = (String) k;
                        if (!explicitKeys.containsKey(key) && !result.containsKey(key)) {
                            result.put(key, v);
                        }
                    });
                }
            }
            return Collections.unmodifiableMap(result);
        }

        private List<Map<?, ?>> mergeSources(@Nullable Object value, Event event, YamlReader reader) {
            if (value instanceof Map<?, ?> map) {
                return List.of(map);
            }
            if (value instanceof List<?> list && list.stream().allMatch(v -> v instanceof Map)) {
                List<Map<?, ?>> maps = new ArrayList<>();
                list.forEach(v -> maps.add((Map<?, ?>) v));
                return maps;
            }
            throw reader.error(event, path(), "a merge key '<<' takes a mapping or a list of mappings.");
        }
    }

    private void accept(Event event) {
        switch (event.getEventId()) {
            case StreamStart, StreamEnd, DocumentEnd, Comment -> {
            }
            case DocumentStart -> {
                if (haveRoot) {
                    throw error(event, "", "the file holds more than one YAML document; a CircleCI configuration is one.");
                }
            }
            case Scalar -> value(scalar((ScalarEvent) event), 1, (ScalarEvent) event);
            case Alias -> alias((AliasEvent) event);
            case SequenceStart, MappingStart -> open((CollectionStartEvent) event);
            case SequenceEnd, MappingEnd -> close(event);
            default -> throw error(event, "", "unexpected YAML event " + event.getEventId() + ".");
        }
    }

    private String nextPath() {
        return stack.isEmpty() ? "" : stack.peek().childPath();
    }

    private boolean isKey() {
        return !stack.isEmpty() && stack.peek() instanceof MappingFrame m && m.expectingKey;
    }

    private void open(CollectionStartEvent event) {
        if (stack.size() >= limits.maxDepth()) {
            throw error(event, nextPath(), "nesting is deeper than " + limits.maxDepth() + " levels.");
        }
        count(1, event);
        Frame parent = stack.peek();
        PositionNode node = nodeFor(event);
        stack.push(event.getEventId() == Event.ID.SequenceStart ? new SequenceFrame(parent, node, event.getAnchor())
                : new MappingFrame(parent, node, event.getAnchor()));
    }

    private void close(Event event) {
        Frame frame = stack.pop();
        Object value = frame.close(this, event);
        frame.anchor.ifPresent(a -> anchors.put(a.getValue(), new Anchored(value, frame.size)));
        deliver(value, frame.size, event);
    }

    /**
     * The position node of the value {@code event} starts: the root's, a list item's, or the node
     * its key made in a mapping.
     */
    private PositionNode nodeFor(Event event) {
        Frame parent = stack.peek();
        if (parent == null) {
            index = new PositionNode(position(event));
            return index;
        }
        if (parent instanceof MappingFrame m) {
            return m.expectingKey || m.pendingNode == null ? new PositionNode(position(event)) : m.pendingNode;
        }
        return parent.node.item(position(event));
    }

    private void value(@Nullable Object value, long size, NodeEvent event) {
        count(size, event);
        if (!isKey()) {
            nodeFor(event);
        }
        event.getAnchor().ifPresent(a -> anchors.put(a.getValue(), new Anchored(value, size)));
        deliver(value, size, event);
    }

    private void alias(AliasEvent event) {
        String name = event.getAlias().getValue();
        Anchored target = anchors.get(name);
        if (target == null) {
            throw error(event, nextPath(), "alias *" + name + " names no anchor defined before it.");
        }
        count(target.size(), event);
        if (!isKey()) {
            nodeFor(event);
        }
        deliver(target.value(), target.size(), event);
    }

    private void deliver(@Nullable Object value, long size, Event event) {
        if (stack.isEmpty()) {
            root = value;
            haveRoot = true;
            return;
        }
        Frame parent = stack.peek();
        parent.size += size;
        parent.add(value, event, this);
    }

    private void count(long size, Event event) {
        values += size;
        if (values > limits.maxValues()) {
            throw error(event, nextPath(), "the document expands to more than " + limits.maxValues()
                    + " values once aliases are resolved; an alias bomb? Reduce the aliases.");
        }
    }

    private @Nullable Object scalar(ScalarEvent event) {
        String text = event.getValue();
        Optional<String> tag = event.getTag();
        if (tag.isPresent() && !tag.get().equals("!")) {
            String t = tag.get();
            if (t.equals(Tag.STR.getValue())) {
                return text;
            }
            if (!t.startsWith("tag:yaml.org,2002:")) {
                return text; // a custom tag: CircleCI ignores tags, so keep the text
            }
        } else if (!event.isPlain()) {
            return text;
        }
        if (tag.isEmpty() && !text.isEmpty() && CORE_SCALAR_STARTS.indexOf(text.charAt(0)) < 0) {
            return text; // no null, bool, int or float of the core schema starts with this character
        }
        Tag resolved = tag.map(Tag::new).filter(t -> !t.equals(Tag.STR)).orElseGet(() -> RESOLVER.resolve(text, true));
        if (resolved.equals(Tag.NULL)) {
            return null;
        }
        if (resolved.equals(Tag.BOOL)) {
            return Boolean.valueOf(text.toLowerCase(Locale.ROOT));
        }
        if (resolved.equals(Tag.INT)) {
            return integer(text);
        }
        if (resolved.equals(Tag.FLOAT)) {
            return floating(text);
        }
        return text;
    }

    private static Object integer(String text) {
        String t = text.startsWith("+") ? text.substring(1) : text;
        BigInteger value;
        if (t.startsWith("0o")) {
            value = new BigInteger(t.substring(2), 8);
        } else if (t.startsWith("0x")) {
            value = new BigInteger(t.substring(2), 16);
        } else {
            value = new BigInteger(t);
        }
        return value.bitLength() < 64 ? (Object) value.longValue() : value;
    }

    private static Object floating(String text) {
        String t = text.toLowerCase(Locale.ROOT);
        if (t.endsWith(".nan")) {
            return Double.NaN;
        }
        if (t.endsWith(".inf")) {
            return t.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        return Double.valueOf(text);
    }
}
