package dev.pipewright.circleci;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A Docker image's registry credentials, {@code auth: {username, password}}; usually environment
 * variable references such as {@code $DOCKERHUB_PASSWORD}.
 *
 * @param username the user name
 * @param password the password
 * @param extra keys the model does not know, as written
 * @since 0.1
 */
public record DockerAuth(String username, String password, Map<String, @Nullable Object> extra) {

    /**
     * Checks no component is null; copies {@code extra}.
     *
     * @throws IllegalArgumentException when {@code extra} holds a typed component's key
     */
    public DockerAuth {
        checkNotNull(username, "username");
        checkNotNull(password, "password");
        extra = PlainData.copyMap(extra);
        checkArgument(!extra.containsKey("username") && !extra.containsKey("password"),
                "extra cannot hold a typed component's key");
    }

    /** {@code auth: {username, password}}. */
    public static DockerAuth of(String username, String password) {
        return new DockerAuth(username, password, Map.of());
    }

    Map<String, @Nullable Object> toData() {
        return new FieldWriter().put("username", username).put("password", password).build(extra);
    }

    static final Shape<DockerAuth> SHAPE = Shape.mapping("a mapping with username and password", (m, p, w) -> {
        if (!(m.get("username") instanceof String u) || !(m.get("password") instanceof String pw)) {
            return null;
        }
        FieldReader r = new FieldReader(m, p, w, "Docker registry credentials");
        r.read("username", Shape.STRING, x -> { });
        r.read("password", Shape.STRING, x -> { });
        return new DockerAuth(u, pw, r.extra());
    });
}
