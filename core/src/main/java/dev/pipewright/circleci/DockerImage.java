package dev.pipewright.circleci;

import static com.google.common.base.Preconditions.checkNotNull;

import com.google.errorprone.annotations.CanIgnoreReturnValue;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One image under a job's or executor's {@code docker}: the first is the primary container
 * where steps run, the others are service containers reachable by {@code name}.
 *
 * <p>Immutable and null-hostile: builder setters reject null, an absent key reads as an empty
 * {@code Optional} or an empty collection, and a list or map that was set (even empty) is written.
 * Keys the model does not know, and known keys whose values do not fit their field, are kept in
 * {@link #extra()} and written after the typed keys.
 *
 * <pre>{@code
 * DockerImage.of("cimg/openjdk:21.0")
 * DockerImage.builder().image("cimg/postgres:16.2").putEnvironment("POSTGRES_PASSWORD", "test").build()
 * }</pre>
 *
 * @since 0.1
 */
public final class DockerImage {
    private final @Nullable String image;
    private final @Nullable String name;
    private final @Nullable Object entrypoint;
    private final @Nullable Object command;
    private final @Nullable String user;
    private final @Nullable EnvironmentVariables environment;
    private final @Nullable DockerAuth auth;
    private final @Nullable AwsAuth awsAuth;
    private final Map<String, @Nullable Object> extra;
    private final Map<String, @Nullable Object> data;

    private DockerImage(Builder b) {
        this.image = b.image;
        this.name = b.name;
        this.entrypoint = b.entrypoint;
        this.command = b.command;
        this.user = b.user;
        this.environment = b.environment;
        this.auth = b.auth;
        this.awsAuth = b.awsAuth;
        this.extra = Collections.unmodifiableMap(new LinkedHashMap<>(b.extra));
        this.data = new FieldWriter()
                .put("image", image)
                .put("name", name)
                .put("entrypoint", entrypoint)
                .put("command", command)
                .put("user", user)
                .put("environment", environment == null ? null : FieldWriter.data(environment))
                .put("auth", auth, DockerAuth::toData)
                .put("aws_auth", awsAuth, AwsAuth::toData)
                .build(extra);
    }

    /** {@code {image: image}}. */
    public static DockerImage of(String image) {
        return builder().image(image).build();
    }

    /** An empty builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this value's fields. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.image = image;
        b.name = name;
        b.entrypoint = entrypoint;
        b.command = command;
        b.user = user;
        b.environment = environment;
        b.auth = auth;
        b.awsAuth = awsAuth;
        b.extra.putAll(extra);
        return b;
    }

    /** {@code image}: the image, such as {@code cimg/openjdk:21.0}. */
    public Optional<String> image() {
        return Optional.ofNullable(image);
    }

    /** {@code name}: the host name other containers reach this one by. */
    public Optional<String> name() {
        return Optional.ofNullable(name);
    }

    /**
     * {@code entrypoint}: the container's entrypoint, as written: a {@code String} or a
     * {@code List<String>}.
     */
    public Optional<Object> entrypoint() {
        return Optional.ofNullable(entrypoint);
    }

    /**
     * {@code command}: the container's command (arguments to the entrypoint), as written: a {@code String} or a
     * {@code List<String>}.
     */
    public Optional<Object> command() {
        return Optional.ofNullable(command);
    }

    /** {@code user}: the user commands run as. */
    public Optional<String> user() {
        return Optional.ofNullable(user);
    }

    /**
     * {@code environment}: environment variables: a mapping, a list of {@code NAME=value} strings
     * or one such string, as written.
     */
    public Optional<EnvironmentVariables> environment() {
        return Optional.ofNullable(environment);
    }

    /** {@code auth}: registry credentials. */
    public Optional<DockerAuth> auth() {
        return Optional.ofNullable(auth);
    }

    /** {@code aws_auth}: Amazon ECR credentials. */
    public Optional<AwsAuth> awsAuth() {
        return Optional.ofNullable(awsAuth);
    }

    /** Keys the model does not know, and known keys whose values did not fit, as written. */
    public Map<String, @Nullable Object> extra() {
        return extra;
    }

    /** The value as data: an ordered, unmodifiable mapping. */
    Map<String, @Nullable Object> toData() {
        return data;
    }

    /** Reads a mapping; keys that do not fit are kept in {@link #extra()} with a warning. */
    static DockerImage fromData(Map<?, ?> map, String path, Warnings warnings) {
        FieldReader r = new FieldReader(map, path, warnings, "a Docker image");
        Builder b = builder();
        r.read("image", Shape.STRING, b::image);
        r.read("name", Shape.STRING, b::name);
        r.read("entrypoint", STRING_OR_STRINGS, b::entrypointAsWritten);
        r.read("command", STRING_OR_STRINGS, b::commandAsWritten);
        r.read("user", Shape.STRING, b::user);
        r.read("environment", Shape.ENVIRONMENT, b::environment);
        r.read("auth", DockerAuth.SHAPE, b::auth);
        r.read("aws_auth", AwsAuth.SHAPE, b::awsAuth);
        return b.extra(r.extra()).build();
    }

    static final Shape<DockerImage> SHAPE = Shape.mapping("a mapping (a Docker image)", DockerImage::fromData);

    /** A {@code docker} list. */
    static final Shape<List<DockerImage>> LIST = Shape.listOf("a list of images (mappings)", SHAPE);

    private static final Shape<Object> STRING_OR_STRINGS = new Shape<>("a string or a list of strings",
            (v, p, w) -> v instanceof String ? v : Shape.STRINGS.read(v, p, w));

    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof DockerImage o
                && Objects.equals(image, o.image)
                && Objects.equals(name, o.name)
                && Objects.equals(entrypoint, o.entrypoint)
                && Objects.equals(command, o.command)
                && Objects.equals(user, o.user)
                && Objects.equals(environment, o.environment)
                && Objects.equals(auth, o.auth)
                && Objects.equals(awsAuth, o.awsAuth)
                && extra.equals(o.extra);
    }

    @Override
    public int hashCode() {
        return Objects.hash(image, name, entrypoint, command, user, environment, auth, awsAuth, extra);
    }

    /** The data, for debugging. */
    @Override
    public String toString() {
        return "DockerImage" + toData();
    }

    /** Builds {@link DockerImage}; mutable, not thread-safe. */
    public static final class Builder {
        private @Nullable String image;
        private @Nullable String name;
        private @Nullable Object entrypoint;
        private @Nullable Object command;
        private @Nullable String user;
        private @Nullable EnvironmentVariables environment;
        private @Nullable DockerAuth auth;
        private @Nullable AwsAuth awsAuth;
        private final Map<String, @Nullable Object> extra = new LinkedHashMap<>();

        private Builder() {
        }

        /** Sets {@code image}: the image, such as {@code cimg/openjdk:21.0}. */
        @CanIgnoreReturnValue
        public Builder image(String image) {
            this.image = checkNotNull(image, "image");
            return this;
        }

        /** Sets {@code name}: the host name other containers reach this one by. */
        @CanIgnoreReturnValue
        public Builder name(String name) {
            this.name = checkNotNull(name, "name");
            return this;
        }

        /** Sets {@code entrypoint} as one string. */
        @CanIgnoreReturnValue
        public Builder entrypoint(String entrypoint) {
            this.entrypoint = checkNotNull(entrypoint, "entrypoint");
            return this;
        }

        /** Sets {@code entrypoint} as a list of strings. */
        @CanIgnoreReturnValue
        public Builder entrypoint(List<String> entrypoint) {
            this.entrypoint = List.copyOf(entrypoint);
            return this;
        }

        private Builder entrypointAsWritten(Object entrypoint) {
            this.entrypoint = entrypoint;
            return this;
        }

        /** Sets {@code command} as one string. */
        @CanIgnoreReturnValue
        public Builder command(String command) {
            this.command = checkNotNull(command, "command");
            return this;
        }

        /** Sets {@code command} as a list of strings. */
        @CanIgnoreReturnValue
        public Builder command(List<String> command) {
            this.command = List.copyOf(command);
            return this;
        }

        private Builder commandAsWritten(Object command) {
            this.command = command;
            return this;
        }

        /** Sets {@code user}: the user commands run as. */
        @CanIgnoreReturnValue
        public Builder user(String user) {
            this.user = checkNotNull(user, "user");
            return this;
        }

        /** Sets {@code environment}, in any of its shapes. */
        @CanIgnoreReturnValue
        public Builder environment(EnvironmentVariables environment) {
            this.environment = checkNotNull(environment, "environment");
            return this;
        }

        /**
         * Adds one variable to a mapping {@code environment}, starting one when absent.
         *
         * @param value a string, number, boolean or null
         * @throws IllegalStateException when {@code environment} was set in another shape
         */
        @CanIgnoreReturnValue
        public Builder putEnvironment(String name, @Nullable Object value) {
            this.environment = FieldWriter.put(environment, name, value);
            return this;
        }

        /** Sets {@code auth}: registry credentials. */
        @CanIgnoreReturnValue
        public Builder auth(DockerAuth auth) {
            this.auth = checkNotNull(auth, "auth");
            return this;
        }

        /** Sets {@code aws_auth}: Amazon ECR credentials. */
        @CanIgnoreReturnValue
        public Builder awsAuth(AwsAuth awsAuth) {
            this.awsAuth = checkNotNull(awsAuth, "awsAuth");
            return this;
        }

        /** Replaces the kept keys; see {@link DockerImage#extra()}. Values are copied as plain data. */
        @CanIgnoreReturnValue
        public Builder extra(Map<String, ?> extra) {
            this.extra.clear();
            this.extra.putAll(PlainData.copyMap(extra));
            return this;
        }

        /** Adds a kept key, written after the typed ones; the value is copied as plain data. */
        @CanIgnoreReturnValue
        public Builder putExtra(String key, @Nullable Object value) {
            this.extra.put(checkNotNull(key, "key"), PlainData.copy(value));
            return this;
        }

        /**
         * The value.
         *
         * @throws IllegalArgumentException when a kept key is also set as a typed field
         */
        public DockerImage build() {
            return new DockerImage(this);
        }
    }
}
