package dev.pipewright.circleci;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A job's {@code retention}: how long its caches are kept, {@code caches: 7d} ({@code 1d} to
 * {@code 15d}).
 *
 * @param caches the cache retention as written, such as {@code 7d}
 * @param extra keys the model does not know, as written
 * @since 0.1
 */
public record Retention(String caches, Map<String, @Nullable Object> extra) {

    /**
     * Checks no component is null; copies {@code extra}.
     *
     * @throws IllegalArgumentException when {@code extra} holds a typed component's key
     */
    public Retention {
        checkNotNull(caches, "caches");
        extra = PlainData.copyMap(extra);
        checkArgument(!(extra.containsKey("caches")), "extra cannot hold a typed component's key");
    }

    /** {@code retention: {caches: caches}}. */
    public static Retention caches(String caches) {
        return new Retention(caches, Map.of());
    }

    Map<String, @Nullable Object> toData() {
        return new FieldWriter().put("caches", caches).build(extra);
    }

    static final Shape<Retention> SHAPE = Shape.mapping("a mapping with caches", (m, p, w) -> {
        if (!(m.get("caches") instanceof String caches)) {
            return null;
        }
        FieldReader r = new FieldReader(m, p, w, "a retention");
        r.read("caches", Shape.STRING, x -> { });
        return new Retention(caches, r.extra());
    });
}
