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

    /** The data and where each value came from, by path ({@code jobs.build.steps[0]}). */
    record Document(Object root, Map<String, Position> positions) {
        /** The position of {@code path}, or of its nearest ancestor that has one. */
        Position positionOf(String path) {
            String p = path;
            while (true) {
                Position found = positions.get(p);
                if (found != null || p.isEmpty()) {
                    return found == null ? new Position(0, 0) : found;
                }
                int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
                p = cut < 0 ? "" : p.substring(0, cut);
            }
        }
    }

    /** A 1-based line and column; 0 for unknown. */
    record Position(int line, int column) {
    }

    private static final String MERGE = "<<";
    private static final ScalarResolver RESOLVER = new CoreScalarResolver(false);

    private final String file;
    private final Limits limits;
    private final Map<String, Position> positions = new HashMap<>();
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
        return new Document(reader.root == null ? Map.of() : reader.root, Collections.unmodifiableMap(reader.positions));
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
        final String path;
        final Optional<Anchor> anchor;
        long size = 1;

        Frame(String path, Optional<Anchor> anchor) {
            this.path = path;
            this.anchor = anchor;
        }

        /** The path of the next value added. */
        abstract String childPath();

        abstract void add(@Nullable Object value, Event event, YamlReader reader);

        abstract Object close(YamlReader reader, Event end);
    }

    private static final class SequenceFrame extends Frame {
        final List<@Nullable Object> items = new ArrayList<>();

        SequenceFrame(String path, Optional<Anchor> anchor) {
            super(path, anchor);
        }

        @Override
        String childPath() {
            return path + "[" + items.size() + "]";
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
        boolean expectingKey = true;

        MappingFrame(String path, Optional<Anchor> anchor) {
            super(path, anchor);
        }

        @Override
        String childPath() {
            String key = pendingKey == null ? "?" : pendingKey;
            return path.isEmpty() ? key : path + "." + key;
        }

        @Override
        void add(@Nullable Object value, Event event, YamlReader reader) {
            if (expectingKey) {
                if (value instanceof Map || value instanceof List) {
                    throw reader.error(event, path, "a mapping key must be a plain value, not a "
                            + (value instanceof Map ? "mapping" : "sequence") + ".");
                }
                String key = value == null ? "null" : value instanceof String s ? s : String.valueOf(value);
                if (!MERGE.equals(key) || !(event instanceof ScalarEvent se) || !se.isPlain()) {
                    // A key path points at its key: that is where "jobs.build.executor: ..." sends the reader.
                    reader.positions.putIfAbsent(childPathFor(key), position(event));
                    Position first = explicitKeys.putIfAbsent(key, position(event));
                    if (first != null) {
                        throw reader.error(event, childPathFor(key), "duplicate key '" + key + "' (first at line "
                                + first.line() + ", column " + first.column() + "). Keep one of them.");
                    }
                    pendingKey = key;
                } else {
                    pendingKey = null; // a merge key
                }
                expectingKey = false;
                return;
            }
            entries.add(new Object[] {pendingKey, value, pendingKey == null ? event : null});
            expectingKey = true;
            pendingKey = null;
        }

        private String childPathFor(String key) {
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
            throw reader.error(event, path, "a merge key '<<' takes a mapping or a list of mappings.");
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
        String path = nextPath();
        if (!isKey()) {
            positions.putIfAbsent(path, position(event));
        }
        stack.push(event.getEventId() == Event.ID.SequenceStart ? new SequenceFrame(path, event.getAnchor())
                : new MappingFrame(path, event.getAnchor()));
    }

    private void close(Event event) {
        Frame frame = stack.pop();
        Object value = frame.close(this, event);
        frame.anchor.ifPresent(a -> anchors.put(a.getValue(), new Anchored(value, frame.size)));
        deliver(value, frame.size, event);
    }

    private void value(@Nullable Object value, long size, NodeEvent event) {
        count(size, event);
        if (!isKey()) {
            positions.putIfAbsent(nextPath(), position(event));
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
            positions.putIfAbsent(nextPath(), position(event));
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
