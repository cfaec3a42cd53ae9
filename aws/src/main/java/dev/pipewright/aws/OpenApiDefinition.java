package dev.pipewright.aws;

import static com.google.common.base.Preconditions.checkNotNull;

import dev.pipewright.PipewrightException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * An OpenAPI 3.x or Swagger 2.0 definition that passed the checks a publication needs: it parses
 * as JSON or YAML; it says {@code openapi: 3.x.y} or {@code swagger: "2.0"}; its {@code info} has
 * a {@code title} and a {@code version}; its {@code paths} has at least one path, each starting
 * with {@code /}; no mapping of those repeats a key. It is not a full schema validation.
 *
 * <pre>{@code
 * OpenApiDefinition api = OpenApiDefinition.read(Path.of("api/openapi.yaml"));
 * api.version(); // "1.4.0"
 * }</pre>
 *
 * @param file where it was read from
 * @param json whether it is JSON (by its {@code .json} name) rather than YAML
 * @param specification the {@code openapi} or {@code swagger} version, such as {@code 3.0.3}
 * @param title {@code info.title}
 * @param version {@code info.version}, the API's version
 * @param paths how many paths it has
 * @param content its bytes, as read
 * @since 0.1
 */
public record OpenApiDefinition(Path file, boolean json, String specification, String title, String version,
        int paths, byte[] content) {
    private static final Pattern OPENAPI_3 = Pattern.compile("3\\.\\d+\\.\\d+");
    /** Larger files are refused: no API definition this project knows is near it. */
    private static final int MAX_BYTES = 16 * 1024 * 1024;

    /** Copies the content. */
    public OpenApiDefinition {
        checkNotNull(file, "file");
        checkNotNull(specification, "specification");
        checkNotNull(title, "title");
        checkNotNull(version, "version");
        content = content.clone();
    }

    /** The content, a copy. */
    @Override
    public byte[] content() {
        return content.clone();
    }

    /** {@code application/json} or {@code application/yaml}. */
    public String mediaType() {
        return json ? "application/json" : "application/yaml";
    }

    /**
     * Reads and checks the definition in {@code file}.
     *
     * @throws PipewrightException listing every problem found, each with its line and column where
     *     it has one, and how to fix it; or if the file cannot be read
     */
    public static OpenApiDefinition read(Path file) {
        checkNotNull(file, "file");
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new PipewrightException(file + " has " + Files.size(file) + " bytes, more than the "
                        + MAX_BYTES + " an API definition may have here.");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new PipewrightException("The API definition " + file + " does not exist. Check the path given to"
                    + " OpenApi.publish(...), relative to the workspace.");
        } catch (IOException e) {
            throw new PipewrightException("Could not read the API definition " + file + ": " + e.getMessage());
        }
        return of(file, bytes);
    }

    /**
     * Checks {@code bytes}, the content of {@code file}.
     *
     * @throws PipewrightException listing every problem found
     */
    static OpenApiDefinition of(Path file, byte[] bytes) {
        boolean json = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json");
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw invalid(file, List.of("the file is not UTF-8 text. Save it as UTF-8."));
        }
        Node root;
        try {
            LoadSettings settings = LoadSettings.builder().setLabel(file.toString()).setMaxAliasesForCollections(50)
                    .setAllowRecursiveKeys(false).build();
            root = new Compose(settings).composeString(text).orElse(null);
        } catch (MarkedYamlEngineException e) {
            String where = e.getProblemMark().map(m -> position(m) + ": ").orElse("");
            throw invalid(file, List.of(where + "it is not valid " + (json ? "JSON" : "YAML") + ": "
                    + e.getProblem() + (e.getContext() == null ? "" : " (" + e.getContext() + ")") + "."));
        } catch (YamlEngineException e) {
            throw invalid(file, List.of("it is not valid " + (json ? "JSON" : "YAML") + ": " + e.getMessage() + "."));
        }
        if (!(root instanceof MappingNode top)) {
            throw invalid(file, List.of((root == null ? "" : at(root)) + "the file is " + (root == null ? "empty"
                    : "not a mapping") + "; an OpenAPI definition is a mapping with openapi, info and paths."));
        }
        List<String> problems = new ArrayList<>();
        Map<String, NodeTuple> keys = keys(top, "the top level", problems);
        ScalarNode openapi = scalar(keys, "openapi", "the top level", problems);
        ScalarNode swagger = scalar(keys, "swagger", "the top level", problems);
        String specification = "";
        if (openapi != null && swagger != null) {
            problems.add(at(swagger) + "both openapi and swagger are given. Keep the one the definition follows.");
        } else if (openapi != null) {
            specification = openapi.getValue();
            if (!OPENAPI_3.matcher(specification).matches()) {
                problems.add(at(openapi) + "openapi is '" + specification + "', not a 3.x.y version. Write the"
                        + " version of OpenAPI the definition follows, such as 3.0.3 or 3.1.0.");
            }
        } else if (swagger != null) {
            specification = swagger.getValue();
            if (!specification.equals("2.0")) {
                problems.add(at(swagger) + "swagger is '" + specification + "', but Swagger's only version is \"2.0\".");
            }
        } else {
            problems.add(at(top) + "neither openapi nor swagger is given. Start the definition with openapi: 3.0.3"
                    + " (or swagger: \"2.0\").");
        }
        String title = "";
        String version = "";
        MappingNode info = mapping(keys, "info", problems, "Add info with a title and the API's version.");
        if (info != null) {
            Map<String, NodeTuple> infoKeys = keys(info, "info", problems);
            title = text(infoKeys, "title", "info", info, problems, "Give the API's name.");
            version = text(infoKeys, "version", "info", info, problems, "Give the API's version, such as 1.4.0.");
        }
        int pathCount = 0;
        MappingNode paths = mapping(keys, "paths", problems, "Add paths with at least one path, such as /health.");
        if (paths != null) {
            Map<String, NodeTuple> pathKeys = keys(paths, "paths", problems);
            pathCount = pathKeys.size();
            if (pathCount == 0) {
                problems.add(at(paths) + "paths is empty. Describe at least one path.");
            }
            for (NodeTuple t : pathKeys.values()) {
                String path = ((ScalarNode) t.getKeyNode()).getValue();
                if (!path.startsWith("/")) {
                    problems.add(at(t.getKeyNode()) + "path '" + path + "' does not start with /. Write it as /"
                            + path + ".");
                }
            }
        }
        if (!problems.isEmpty()) {
            throw invalid(file, problems);
        }
        return new OpenApiDefinition(file, json, specification, title, version, pathCount, bytes);
    }

    /** The mapping's scalar keys; a repeated key or a key that is not a scalar is a problem. */
    private static Map<String, NodeTuple> keys(MappingNode mapping, String where, List<String> problems) {
        Map<String, NodeTuple> keys = new LinkedHashMap<>();
        Map<String, Node> first = new HashMap<>();
        for (NodeTuple t : mapping.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode key)) {
                problems.add(at(t.getKeyNode()) + where + " has a key that is not a name. Use plain names as keys.");
                continue;
            }
            Node previous = first.putIfAbsent(key.getValue(), key);
            if (previous != null) {
                problems.add(at(key) + "'" + key.getValue() + "' is repeated in " + where + " (first at "
                        + position(previous) + "). Keep one of them.");
            } else {
                keys.put(key.getValue(), t);
            }
        }
        return keys;
    }

    private static @Nullable ScalarNode scalar(Map<String, NodeTuple> keys, String key, String where,
            List<String> problems) {
        NodeTuple t = keys.get(key);
        if (t == null) {
            return null;
        }
        if (t.getValueNode() instanceof ScalarNode s) {
            return s;
        }
        problems.add(at(t.getValueNode()) + key + " in " + where + " is not a single value.");
        return null;
    }

    private static @Nullable MappingNode mapping(Map<String, NodeTuple> keys, String key, List<String> problems,
            String fix) {
        NodeTuple t = keys.get(key);
        if (t == null) {
            problems.add(key + " is missing. " + fix);
            return null;
        }
        if (t.getValueNode() instanceof MappingNode m) {
            return m;
        }
        problems.add(at(t.getValueNode()) + key + " is not a mapping. " + fix);
        return null;
    }

    private static String text(Map<String, NodeTuple> keys, String key, String where, Node parent,
            List<String> problems, String fix) {
        ScalarNode s = scalar(keys, key, where, problems);
        if (s == null) {
            if (!keys.containsKey(key)) {
                problems.add(at(parent) + where + "." + key + " is missing. " + fix);
            }
            return "";
        }
        if (s.getValue().isBlank()) {
            problems.add(at(s) + where + "." + key + " is empty. " + fix);
        }
        return s.getValue().strip();
    }

    /** {@code line:column: } of {@code node}, 1-based; empty if unknown. */
    private static String at(Node node) {
        Optional<Mark> mark = node.getStartMark();
        return mark.map(m -> position(m) + ": ").orElse("");
    }

    private static String position(Node node) {
        return node.getStartMark().map(OpenApiDefinition::position).orElse("?");
    }

    private static String position(Mark mark) {
        return (mark.getLine() + 1) + ":" + (mark.getColumn() + 1);
    }

    private static PipewrightException invalid(Path file, List<String> problems) {
        StringBuilder m = new StringBuilder(file + " is not a valid API definition (" + problems.size()
                + (problems.size() == 1 ? " problem):" : " problems):"));
        for (int i = 0; i < problems.size(); i++) {
            m.append('\n').append(String.format("%2d. ", i + 1)).append(problems.get(i));
        }
        return new PipewrightException(m.toString());
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof OpenApiDefinition d && file.equals(d.file) && json == d.json
                && specification.equals(d.specification) && title.equals(d.title) && version.equals(d.version)
                && paths == d.paths && Arrays.equals(content, d.content);
    }

    @Override
    public int hashCode() {
        return Objects.hash(file, json, specification, title, version, paths,
                Arrays.hashCode(content));
    }

    @Override
    public String toString() {
        return "API definition " + file + ": " + title + " " + version + " (" + (specification.startsWith("2")
                ? "Swagger " : "OpenAPI ") + specification + ", " + paths + (paths == 1 ? " path)" : " paths)");
    }
}
