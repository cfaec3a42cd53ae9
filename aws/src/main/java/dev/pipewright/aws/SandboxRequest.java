package dev.pipewright.aws;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * One request as a fake received it: method, decoded path segments, query, headers (lower-case
 * names) and body, with decoders for the three body encodings the SDK sends.
 */
final class SandboxRequest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern CREDENTIAL = Pattern.compile("Credential=([^/,\\s]+)/\\d{8}/([^/]+)/([^/]+)/aws4_request");

    private final String method;
    private final String path;
    private final Map<String, String> query;
    private final Map<String, String> headers;
    private final byte[] body;
    private @Nullable Map<String, String> form;

    SandboxRequest(String method, String rawPath, @Nullable String rawQuery, Map<String, String> headers, byte[] body) {
        this.method = method;
        this.path = rawPath;
        this.query = parseForm(rawQuery == null ? "" : rawQuery);
        this.headers = headers;
        this.body = body;
    }

    String method() {
        return method;
    }

    /** The raw (still percent-encoded) path. */
    String path() {
        return path;
    }

    /** The path's segments, percent-decoded, without empty ones. */
    List<String> segments() {
        return java.util.Arrays.stream(path.split("/")).filter(s -> !s.isEmpty())
                .map(s -> URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8)).toList();
    }

    Optional<String> query(String name) {
        return Optional.ofNullable(query.get(name));
    }

    Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(java.util.Locale.ROOT)));
    }

    byte[] body() {
        return body;
    }

    /** The {@code application/x-www-form-urlencoded} body of an awsQuery request. */
    synchronized Map<String, String> form() {
        if (form == null) {
            form = parseForm(new String(body, StandardCharsets.UTF_8));
        }
        return form;
    }

    /** The JSON body of a restJson1 request; an empty body is an empty object. */
    JsonNode json() {
        if (body.length == 0) {
            return JsonNodeFactory.instance.objectNode();
        }
        try {
            return JSON.readTree(body);
        } catch (JacksonException e) {
            throw SandboxError.client(400, "SerializationException", "Could not read the request body as JSON: "
                    + e.getOriginalMessage());
        }
    }

    /** The CBOR body of an RPC v2 request, as a map. */
    @SuppressWarnings("unchecked")
    Map<String, @Nullable Object> cbor() {
        Object value;
        try {
            value = SandboxCbor.decode(body);
        } catch (IllegalArgumentException e) {
            throw SandboxError.client(400, "SerializationException", "Could not read the request body as CBOR: "
                    + e.getMessage());
        }
        if (!(value instanceof Map)) {
            throw SandboxError.client(400, "SerializationException", "The request body is not a CBOR map");
        }
        return (Map<String, @Nullable Object>) value;
    }

    /** The access key id the request was signed with, from its SigV4 {@code Authorization} header. */
    Optional<String> accessKeyId() {
        return header("authorization").map(CREDENTIAL::matcher).filter(Matcher::find).map(m -> m.group(1));
    }

    /** The region of the request's SigV4 signing scope. */
    Optional<String> signingRegion() {
        return header("authorization").map(CREDENTIAL::matcher).filter(Matcher::find).map(m -> m.group(2));
    }

    private static Map<String, String> parseForm(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : text.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            out.put(URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return out;
    }

    @Override
    public String toString() {
        return method + " " + path;
    }
}
