package dev.pipewright.sample.housing;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A small housing API: the council's rented properties, by reference. The sample service that
 * the example pipeline formats, builds, tests and deploys.
 */
public final class PropertyApi {
    /** An HTTP-like answer: a status code and a JSON body. */
    public record Response(int status, String body) { }

    /** A rented property. */
    public record Property(String reference, String address, int bedrooms) {
        String json() {
            return "{\"reference\":\"" + escape(reference) + "\",\"address\":\"" + escape(address)
                    + "\",\"bedrooms\":" + bedrooms + "}";
        }
    }

    private final Map<String, Property> properties = new TreeMap<>();

    /** An API serving {@code properties}. */
    public PropertyApi(List<Property> properties) {
        for (Property p : properties) {
            if (this.properties.putIfAbsent(p.reference(), p) != null) {
                throw new IllegalArgumentException("two properties have reference " + p.reference());
            }
        }
    }

    /** Answers {@code GET path}: {@code /properties} or {@code /properties/{reference}}. */
    public Response get(String path) {
        if (path.equals("/properties")) {
            StringBuilder body = new StringBuilder("[");
            for (Property p : properties.values()) {
                body.append(body.length() > 1 ? "," : "").append(p.json());
            }
            return new Response(200, body.append("]").toString());
        }
        if (path.startsWith("/properties/")) {
            Property p = properties.get(path.substring("/properties/".length()));
            return p == null ? new Response(404, "{\"error\":\"no such property\"}") : new Response(200, p.json());
        }
        return new Response(404, "{\"error\":\"no such resource\"}");
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder();
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
