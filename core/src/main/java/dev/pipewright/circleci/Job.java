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
 * A job under {@code jobs}: where it runs ({@code docker}, {@code machine}, {@code macos} or a
 * reusable {@code executor}), its steps and settings. Non-build jobs ({@code type: approval},
 * {@code no-op}, {@code release}, {@code lock}, {@code unlock}) need no executor or steps.
 *
 * <p>Immutable and null-hostile: builder setters reject null, an absent key reads as an empty
 * {@code Optional} or an empty collection, and a list or map that was set (even empty) is written.
 * Keys the model does not know, and known keys whose values do not fit their field, are kept in
 * {@link #extra()} and written after the typed keys.
 *
 * <pre>{@code
 * Job.builder()
 *     .addDocker("cimg/openjdk:21.0")
 *     .addStep(CircleCiStep.checkout())
 *     .addStep(CircleCiStep.run("./mvnw -B verify"))
 *     .build()
 * }</pre>
 *
 * @since 0.1
 */
public final class Job {
    private final @Nullable JobType type;
    private final @Nullable String description;
    private final @Nullable Map<String, Parameter> parameters;
    private final @Nullable ExecutorReference executor;
    private final @Nullable List<DockerImage> docker;
    private final @Nullable Machine machine;
    private final @Nullable MacOs macos;
    private final @Nullable String resourceClass;
    private final @Nullable String shell;
    private final @Nullable String workingDirectory;
    private final @Nullable EnvironmentVariables environment;
    private final @Nullable Interpolable<Integer> parallelism;
    private final @Nullable List<CircleCiStep> steps;
    private final @Nullable Interpolable<Boolean> circleciIpRanges;
    private final @Nullable Retention retention;
    private final @Nullable Patterns branches;
    private final @Nullable String planName;
    private final @Nullable String key;
    private final Map<String, @Nullable Object> extra;
    private final Map<String, @Nullable Object> data;

    private Job(Builder b) {
        this.type = b.type;
        this.description = b.description;
        this.parameters = b.parameters == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(b.parameters));
        this.executor = b.executor;
        this.docker = b.docker == null ? null : List.copyOf(b.docker);
        this.machine = b.machine;
        this.macos = b.macos;
        this.resourceClass = b.resourceClass;
        this.shell = b.shell;
        this.workingDirectory = b.workingDirectory;
        this.environment = b.environment;
        this.parallelism = b.parallelism;
        this.steps = b.steps == null ? null : List.copyOf(b.steps);
        this.circleciIpRanges = b.circleciIpRanges;
        this.retention = b.retention;
        this.branches = b.branches;
        this.planName = b.planName;
        this.key = b.key;
        this.extra = Collections.unmodifiableMap(new LinkedHashMap<>(b.extra));
        this.data = new FieldWriter()
                .put("type", type, JobType::keyword)
                .put("description", description)
                .putMap("parameters", parameters, Parameter::toData)
                .put("executor", executor, ExecutorReference::toData)
                .putList("docker", docker, DockerImage::toData)
                .put("machine", machine, Machine::toValue)
                .put("macos", macos, MacOs::toData)
                .put("resource_class", resourceClass)
                .put("shell", shell)
                .put("working_directory", workingDirectory)
                .put("environment", environment == null ? null : FieldWriter.data(environment))
                .put("parallelism", parallelism)
                .putList("steps", steps, FieldWriter::data)
                .put("circleci_ip_ranges", circleciIpRanges)
                .put("retention", retention, Retention::toData)
                .put("branches", branches, Patterns::toData)
                .put("plan_name", planName)
                .put("key", key)
                .build(extra);
    }

    /** An empty builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this value's fields. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.type = type;
        b.description = description;
        b.parameters = parameters == null ? null : new LinkedHashMap<>(parameters);
        b.executor = executor;
        b.docker = docker == null ? null : new ArrayList<>(docker);
        b.machine = machine;
        b.macos = macos;
        b.resourceClass = resourceClass;
        b.shell = shell;
        b.workingDirectory = workingDirectory;
        b.environment = environment;
        b.parallelism = parallelism;
        b.steps = steps == null ? null : new ArrayList<>(steps);
        b.circleciIpRanges = circleciIpRanges;
        b.retention = retention;
        b.branches = branches;
        b.planName = planName;
        b.key = key;
        b.extra.putAll(extra);
        return b;
    }

    /** {@code type}: the job type; build when absent. */
    public Optional<JobType> type() {
        return Optional.ofNullable(type);
    }

    /** {@code description}: what the job does. */
    public Optional<String> description() {
        return Optional.ofNullable(description);
    }

    /** {@code parameters}: declared parameters by name, in order. Empty when absent. */
    public Map<String, Parameter> parameters() {
        return parameters == null ? Map.of() : parameters;
    }

    /** {@code executor}: a reusable or orb executor, by name or with arguments. */
    public Optional<ExecutorReference> executor() {
        return Optional.ofNullable(executor);
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

    /** {@code parallelism}: how many containers run the job at once. */
    public Optional<Interpolable<Integer>> parallelism() {
        return Optional.ofNullable(parallelism);
    }

    /** {@code steps}: the steps, in order. Empty when absent. */
    public List<CircleCiStep> steps() {
        return steps == null ? List.of() : steps;
    }

    /** {@code circleci_ip_ranges}: whether to run from CircleCI's well-known IP ranges. */
    public Optional<Interpolable<Boolean>> circleciIpRanges() {
        return Optional.ofNullable(circleciIpRanges);
    }

    /** {@code retention}: how long caches are kept. */
    public Optional<Retention> retention() {
        return Optional.ofNullable(retention);
    }

    /** {@code branches}: legacy (configuration 2.0): the branches the job runs for when no workflow says. */
    public Optional<Patterns> branches() {
        return Optional.ofNullable(branches);
    }

    /** {@code plan_name}: the release plan of a {@code release} job. */
    public Optional<String> planName() {
        return Optional.ofNullable(planName);
    }

    /** {@code key}: the lock of a {@code lock} or {@code unlock} job. */
    public Optional<String> key() {
        return Optional.ofNullable(key);
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
    static Job fromData(Map<?, ?> map, String path, Warnings warnings) {
        FieldReader r = new FieldReader(map, path, warnings, "a job");
        Builder b = builder();
        r.read("type", JobType.SHAPE, b::type);
        r.read("description", Shape.STRING, b::description);
        r.read("parameters", Parameter.SECTION, b::parameters);
        r.read("executor", ExecutorReference.SHAPE, b::executor);
        r.read("docker", DockerImage.LIST, b::docker);
        r.read("machine", Machine.VALUE, b::machine);
        r.read("macos", MacOs.SHAPE, b::macos);
        r.read("resource_class", Shape.STRING, b::resourceClass);
        r.read("shell", Shape.STRING, b::shell);
        r.read("working_directory", Shape.STRING, b::workingDirectory);
        r.read("environment", Shape.ENVIRONMENT, b::environment);
        r.read("parallelism", Shape.INTEGER, b::parallelism);
        r.read("steps", Shape.STEPS, b::steps);
        r.read("circleci_ip_ranges", Shape.BOOLEAN, b::circleciIpRanges);
        r.read("retention", Retention.SHAPE, b::retention);
        r.read("branches", Patterns.SHAPE, b::branches);
        r.read("plan_name", Shape.STRING, b::planName);
        r.read("key", Shape.STRING, b::key);
        return b.extra(r.extra()).build();
    }

    static final Shape<Job> SHAPE = Shape.mapping("a mapping (a job)", Job::fromData);

    /** A {@code jobs} section: jobs by name. */
    static final Shape<Map<String, Job>> SECTION = Shape.namedOf("a mapping of job names to jobs (mappings)", SHAPE);

    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof Job o
                && Objects.equals(type, o.type)
                && Objects.equals(description, o.description)
                && Objects.equals(parameters, o.parameters)
                && Objects.equals(executor, o.executor)
                && Objects.equals(docker, o.docker)
                && Objects.equals(machine, o.machine)
                && Objects.equals(macos, o.macos)
                && Objects.equals(resourceClass, o.resourceClass)
                && Objects.equals(shell, o.shell)
                && Objects.equals(workingDirectory, o.workingDirectory)
                && Objects.equals(environment, o.environment)
                && Objects.equals(parallelism, o.parallelism)
                && Objects.equals(steps, o.steps)
                && Objects.equals(circleciIpRanges, o.circleciIpRanges)
                && Objects.equals(retention, o.retention)
                && Objects.equals(branches, o.branches)
                && Objects.equals(planName, o.planName)
                && Objects.equals(key, o.key)
                && extra.equals(o.extra);
    }

    @Override
    public int hashCode() {
        return Objects.hash( type, description, parameters, executor, docker, machine, macos,
                resourceClass, shell, workingDirectory, environment, parallelism, steps,
                circleciIpRanges, retention, branches, planName, key, extra);
    }

    /** The data, for debugging. */
    @Override
    public String toString() {
        return "Job" + toData();
    }

    /** Builds {@link Job}; mutable, not thread-safe. */
    public static final class Builder {
        private @Nullable JobType type;
        private @Nullable String description;
        private @Nullable Map<String, Parameter> parameters;
        private @Nullable ExecutorReference executor;
        private @Nullable List<DockerImage> docker;
        private @Nullable Machine machine;
        private @Nullable MacOs macos;
        private @Nullable String resourceClass;
        private @Nullable String shell;
        private @Nullable String workingDirectory;
        private @Nullable EnvironmentVariables environment;
        private @Nullable Interpolable<Integer> parallelism;
        private @Nullable List<CircleCiStep> steps;
        private @Nullable Interpolable<Boolean> circleciIpRanges;
        private @Nullable Retention retention;
        private @Nullable Patterns branches;
        private @Nullable String planName;
        private @Nullable String key;
        private final Map<String, @Nullable Object> extra = new LinkedHashMap<>();

        private Builder() {
        }

        /** Sets {@code type}: the job type; build when absent. */
        @CanIgnoreReturnValue
        public Builder type(JobType type) {
            this.type = checkNotNull(type, "type");
            return this;
        }

        /** Sets {@code description}: what the job does. */
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

        /** Sets {@code executor}: a reusable or orb executor, by name or with arguments. */
        @CanIgnoreReturnValue
        public Builder executor(ExecutorReference executor) {
            this.executor = checkNotNull(executor, "executor");
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

        /** Sets {@code parallelism}: how many containers run the job at once. */
        @CanIgnoreReturnValue
        public Builder parallelism(int parallelism) {
            this.parallelism = Interpolable.of(parallelism);
            return this;
        }

        /** Sets {@code parallelism} as written: an integer or an interpolation. */
        @CanIgnoreReturnValue
        public Builder parallelism(Interpolable<Integer> parallelism) {
            this.parallelism = checkNotNull(parallelism, "parallelism");
            return this;
        }

        /** Replaces {@code steps}: the steps, in order; an empty list is written as {@code []}. */
        @CanIgnoreReturnValue
        public Builder steps(List<? extends CircleCiStep> steps) {
            this.steps = new ArrayList<>(List.copyOf(steps));
            return this;
        }

        /** Appends to {@code steps}. */
        @CanIgnoreReturnValue
        public Builder addStep(CircleCiStep step) {
            if (this.steps == null) {
                this.steps = new ArrayList<>();
            }
            this.steps.add(checkNotNull(step, "step"));
            return this;
        }

        /** Sets {@code circleci_ip_ranges} to {@code true}. */
        @CanIgnoreReturnValue
        public Builder circleciIpRanges() {
            this.circleciIpRanges = Interpolable.of(true);
            return this;
        }

        /** Sets {@code circleci_ip_ranges} as written: {@code true}, {@code false} or an interpolation. */
        @CanIgnoreReturnValue
        public Builder circleciIpRanges(Interpolable<Boolean> circleciIpRanges) {
            this.circleciIpRanges = checkNotNull(circleciIpRanges, "circleciIpRanges");
            return this;
        }

        /** Sets {@code retention}: how long caches are kept. */
        @CanIgnoreReturnValue
        public Builder retention(Retention retention) {
            this.retention = checkNotNull(retention, "retention");
            return this;
        }

        /** Sets {@code branches}: legacy (configuration 2.0): the branches the job runs for when no workflow says. */
        @CanIgnoreReturnValue
        public Builder branches(Patterns branches) {
            this.branches = checkNotNull(branches, "branches");
            return this;
        }

        /** Sets {@code plan_name}: the release plan of a {@code release} job. */
        @CanIgnoreReturnValue
        public Builder planName(String planName) {
            this.planName = checkNotNull(planName, "planName");
            return this;
        }

        /** Sets {@code key}: the lock of a {@code lock} or {@code unlock} job. */
        @CanIgnoreReturnValue
        public Builder key(String key) {
            this.key = checkNotNull(key, "key");
            return this;
        }

        /** Appends a Docker image by name to {@code docker}. */
        @CanIgnoreReturnValue
        public Builder addDocker(String image) {
            return addDocker(DockerImage.of(image));
        }

        /** Sets {@code executor} to a reusable or orb executor by name. */
        @CanIgnoreReturnValue
        public Builder executor(String name) {
            return executor(ExecutorReference.named(name));
        }

        /** Replaces the kept keys; see {@link Job#extra()}. Values are copied as plain data. */
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
        public Job build() {
            return new Job(this);
        }
    }
}
