package dev.pipewright.circleci;

import static com.google.common.base.Preconditions.checkNotNull;

import com.google.errorprone.annotations.CanIgnoreReturnValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A reusable execution environment under {@code executors}: exactly one of {@code docker},
 * {@code machine} or {@code macos}, with its resource class, shell, working directory and
 * environment, used by jobs through {@link ExecutorReference}.
 *
 * <p>Immutable and null-hostile: builder setters reject null, an absent key reads as an empty
 * {@code Optional} or an empty collection, and a list or map that was set (even empty) is written.
 * Keys the model does not know, and known keys whose values do not fit their field, are kept in
 * {@link #extra()} and written after the typed keys.
 *
 * <pre>{@code
 * Executor.builder().addDocker("cimg/openjdk:21.0").resourceClass("large").build()
 * }</pre>
 *
 * @since 0.1
 */
public final class Executor {
    private final @Nullable String description;
    private final @Nullable Map<String, Parameter> parameters;
    private final @Nullable List<DockerImage> docker;
    private final @Nullable Machine machine;
    private final @Nullable MacOs macos;
    private final @Nullable String resourceClass;
    private final @Nullable String shell;
    private final @Nullable String workingDirectory;
    private final @Nullable EnvironmentVariables environment;
    private final Map<String, @Nullable Object> extra;
    private final Map<String, @Nullable Object> data;

    private Executor(Builder b) {
        this.description = b.description;
        this.parameters = b.parameters == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(b.parameters));
        this.docker = b.docker == null ? null : List.copyOf(b.docker);
        this.machine = b.machine;
        this.macos = b.macos;
        this.resourceClass = b.resourceClass;
        this.shell = b.shell;
        this.workingDirectory = b.workingDirectory;
        this.environment = b.environment;
        this.extra = Collections.unmodifiableMap(new LinkedHashMap<>(b.extra));
        this.data = new FieldWriter()
                .put("description", description)
                .putMap("parameters", parameters, Parameter::toData)
                .putList("docker", docker, DockerImage::toData)
                .put("machine", machine, Machine::toValue)
                .put("macos", macos, MacOs::toData)
                .put("resource_class", resourceClass)
                .put("shell", shell)
                .put("working_directory", workingDirectory)
                .put("environment", environment == null ? null : FieldWriter.data(environment))
                .build(extra);
    }

    /** An empty builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this value's fields. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.description = description;
        b.parameters = parameters == null ? null : new LinkedHashMap<>(parameters);
        b.docker = docker == null ? null : new ArrayList<>(docker);
        b.machine = machine;
        b.macos = macos;
        b.resourceClass = resourceClass;
        b.shell = shell;
        b.workingDirectory = workingDirectory;
        b.environment = environment;
        b.extra.putAll(extra);
        return b;
    }

    /** {@code description}: what the executor is for. */
    public Optional<String> description() {
        return Optional.ofNullable(description);
    }

    /** {@code parameters}: declared parameters by name, in order. Empty when absent. */
    public Map<String, Parameter> parameters() {
        return parameters == null ? Map.of() : parameters;
    }

    /** {@code docker}: Docker images, the primary container first. Empty when absent. */
    public List<DockerImage> docker() {
        return docker == null ? List.of() : docker;
    }

    /** {@code machine}: a virtual machine. */
    public Optional<Machine> machine() {
        return Optional.ofNullable(machine);
    }

    /** {@code macos}: a macOS virtual machine. */
    public Optional<MacOs> macos() {
        return Optional.ofNullable(macos);
    }

    /** {@code resource_class}: the size of the container or VM, such as {@code large} or {@code arm.medium}. */
    public Optional<String> resourceClass() {
        return Optional.ofNullable(resourceClass);
    }

    /** {@code shell}: the shell for run steps. */
    public Optional<String> shell() {
        return Optional.ofNullable(shell);
    }

    /** {@code working_directory}: the directory steps run in. */
    public Optional<String> workingDirectory() {
        return Optional.ofNullable(workingDirectory);
    }

    /**
     * {@code environment}: environment variables: a mapping, a list of {@code NAME=value} strings
     * or one such string, as written.
     */
    public Optional<EnvironmentVariables> environment() {
        return Optional.ofNullable(environment);
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
    static Executor fromData(Map<?, ?> map, String path, Warnings warnings) {
        FieldReader r = new FieldReader(map, path, warnings, "an executor");
        Builder b = builder();
        r.read("description", Shape.STRING, b::description);
        r.read("parameters", Parameter.SECTION, b::parameters);
        r.read("docker", DockerImage.LIST, b::docker);
        r.read("machine", Machine.VALUE, b::machine);
        r.read("macos", MacOs.SHAPE, b::macos);
        r.read("resource_class", Shape.STRING, b::resourceClass);
        r.read("shell", Shape.STRING, b::shell);
        r.read("working_directory", Shape.STRING, b::workingDirectory);
        r.read("environment", Shape.ENVIRONMENT, b::environment);
        return b.extra(r.extra()).build();
    }

    static final Shape<Executor> SHAPE = Shape.mapping("a mapping (an executor)", Executor::fromData);

    /** An {@code executors} section: executors by name. */
    static final Shape<Map<String, Executor>> SECTION = Shape.namedOf("a mapping of executor names to executors (mappings)",
            SHAPE);

    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof Executor o
                && Objects.equals(description, o.description)
                && Objects.equals(parameters, o.parameters)
                && Objects.equals(docker, o.docker)
                && Objects.equals(machine, o.machine)
                && Objects.equals(macos, o.macos)
                && Objects.equals(resourceClass, o.resourceClass)
                && Objects.equals(shell, o.shell)
                && Objects.equals(workingDirectory, o.workingDirectory)
                && Objects.equals(environment, o.environment)
                && extra.equals(o.extra);
    }

    @Override
    public int hashCode() {
        return Objects.hash( description, parameters, docker, machine, macos, resourceClass, shell,
                workingDirectory, environment, extra);
    }

    /** The data, for debugging. */
    @Override
    public String toString() {
        return "Executor" + toData();
    }

    /** Builds {@link Executor}; mutable, not thread-safe. */
    public static final class Builder {
        private @Nullable String description;
        private @Nullable Map<String, Parameter> parameters;
        private @Nullable List<DockerImage> docker;
        private @Nullable Machine machine;
        private @Nullable MacOs macos;
        private @Nullable String resourceClass;
        private @Nullable String shell;
        private @Nullable String workingDirectory;
        private @Nullable EnvironmentVariables environment;
        private final Map<String, @Nullable Object> extra = new LinkedHashMap<>();

        private Builder() {
        }

        /** Sets {@code description}: what the executor is for. */
        @CanIgnoreReturnValue
        public Builder description(String description) {
            this.description = checkNotNull(description, "description");
            return this;
        }

        /**
         * Replaces {@code parameters}: declared parameters by name, in order; an empty map is
         * written as {@code {}}.
         */
        @CanIgnoreReturnValue
        public Builder parameters(Map<String, ? extends Parameter> parameters) {
            checkNotNull(parameters, "parameters");
            this.parameters = new LinkedHashMap<>();
            parameters.forEach((k, v) -> this.parameters.put(checkNotNull(k, "name"), checkNotNull(v, "parameter")));
            return this;
        }

        /** Adds or replaces one entry of {@code parameters}, keeping the order of first addition. */
        @CanIgnoreReturnValue
        public Builder putParameter(String name, Parameter parameter) {
            if (this.parameters == null) {
                this.parameters = new LinkedHashMap<>();
            }
            this.parameters.put(checkNotNull(name, "name"), checkNotNull(parameter, "parameter"));
            return this;
        }

        /**
         * Replaces {@code docker}: Docker images, the primary container first; an empty list is
         * written as {@code []}.
         */
        @CanIgnoreReturnValue
        public Builder docker(List<? extends DockerImage> docker) {
            this.docker = new ArrayList<>(List.copyOf(docker));
            return this;
        }

        /** Appends to {@code docker}. */
        @CanIgnoreReturnValue
        public Builder addDocker(DockerImage docker) {
            if (this.docker == null) {
                this.docker = new ArrayList<>();
            }
            this.docker.add(checkNotNull(docker, "docker"));
            return this;
        }

        /** Sets {@code machine}: a virtual machine. */
        @CanIgnoreReturnValue
        public Builder machine(Machine machine) {
            this.machine = checkNotNull(machine, "machine");
            return this;
        }

        /** Sets {@code macos}: a macOS virtual machine. */
        @CanIgnoreReturnValue
        public Builder macos(MacOs macos) {
            this.macos = checkNotNull(macos, "macos");
            return this;
        }

        /**
         * Sets {@code resource_class}: the size of the container or VM, such as {@code large} or
         * {@code arm.medium}.
         */
        @CanIgnoreReturnValue
        public Builder resourceClass(String resourceClass) {
            this.resourceClass = checkNotNull(resourceClass, "resourceClass");
            return this;
        }

        /** Sets {@code shell}: the shell for run steps. */
        @CanIgnoreReturnValue
        public Builder shell(String shell) {
            this.shell = checkNotNull(shell, "shell");
            return this;
        }

        /** Sets {@code working_directory}: the directory steps run in. */
        @CanIgnoreReturnValue
        public Builder workingDirectory(String workingDirectory) {
            this.workingDirectory = checkNotNull(workingDirectory, "workingDirectory");
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

        /** Appends a Docker image by name to {@code docker}. */
        @CanIgnoreReturnValue
        public Builder addDocker(String image) {
            return addDocker(DockerImage.of(image));
        }

        /** Replaces the kept keys; see {@link Executor#extra()}. Values are copied as plain data. */
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
        public Executor build() {
            return new Executor(this);
        }
    }
}
