package dev.pipewright.circleci;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.errorprone.annotations.CanIgnoreReturnValue;
import dev.pipewright.Environment;
import dev.pipewright.Gate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One job invocation in a workflow's {@code jobs}: the job (defined under {@code jobs}, in an
 * orb as {@code alias/job}, or only here for {@code type: approval}), what it waits for, where and
 * when it runs, and the arguments it passes to the job's parameters.
 *
 * <p>Its data is {@code {job: {...}}}. Keys that are not keys of an invocation are the job's
 * {@linkplain #arguments() arguments}, not warnings; {@link #extra()} holds only known keys whose
 * values did not fit.
 *
 * <p>Immutable and null-hostile: builder setters reject null, an absent key reads as an empty
 * {@code Optional} or an empty collection, and a list or map that was set (even empty) is written.
 * Keys the model does not know, and known keys whose values do not fit their field, are kept in
 * {@link #extra()} and written after the typed keys.
 *
 * <pre>{@code
 * WorkflowJob.of("build")
 * WorkflowJob.builder("deploy")
 *     .addRequires("build")
 *     .addContext("production")
 *     .filters(Filters.branches(Patterns.only("main")))
 *     .putArgument("stage", "production")
 *     .build()
 * }</pre>
 *
 * @since 0.1
 */
public final class WorkflowJob {
    private final String job;
    private final @Nullable String name;
    private final @Nullable List<Requirement> requires;
    private final @Nullable List<String> context;
    private final @Nullable JobType type;
    private final @Nullable Filters filters;
    private final @Nullable Matrix matrix;
    private final @Nullable List<CircleCiStep> preSteps;
    private final @Nullable List<CircleCiStep> postSteps;
    private final @Nullable String serialGroup;
    private final @Nullable String overrideWith;
    private final Map<String, @Nullable Object> arguments;
    private final Map<String, @Nullable Object> extra;
    private final Map<String, @Nullable Object> data;

    private WorkflowJob(Builder b) {
        this.job = checkNotNull(b.job, "job");
        this.name = b.name;
        this.requires = b.requires == null ? null : List.copyOf(b.requires);
        this.context = b.context == null ? null : List.copyOf(b.context);
        this.type = b.type;
        this.filters = b.filters;
        this.matrix = b.matrix;
        this.preSteps = b.preSteps == null ? null : List.copyOf(b.preSteps);
        this.postSteps = b.postSteps == null ? null : List.copyOf(b.postSteps);
        this.serialGroup = b.serialGroup;
        this.overrideWith = b.overrideWith;
        this.arguments = Collections.unmodifiableMap(new LinkedHashMap<>(b.arguments));
        this.extra = Collections.unmodifiableMap(new LinkedHashMap<>(b.extra));
        arguments.keySet().forEach(k -> checkArgument(!KEYS.contains(k),
                "argument '%s' is named like a key of a workflow job; set that key instead", k));
        extra.keySet().forEach(k -> checkArgument(KEYS.contains(k),
                "'%s' is no key of a workflow job, so it is an argument; use putArgument", k));
        this.data = new FieldWriter()
                .put("name", name)
                .putList("requires", requires, Requirement::toData)
                .put("context", context)
                .put("type", type, JobType::keyword)
                .put("filters", filters, FieldWriter::data)
                .put("matrix", matrix, Matrix::toData)
                .putList("pre-steps", preSteps, FieldWriter::data)
                .putList("post-steps", postSteps, FieldWriter::data)
                .put("serial-group", serialGroup)
                .put("override-with", overrideWith)
                .putAll(arguments)
                .build(extra);
    }

    /** An invocation of {@code job} with no further keys: {@code - job}. */
    public static WorkflowJob of(String job) {
        return builder(job).build();
    }

    /** A builder for an invocation of {@code job}. */
    public static Builder builder(String job) {
        Builder b = new Builder();
        b.job = checkNotNull(job, "job");
        return b;
    }

    /**
     * A builder for the approval job that enters {@code environment}, placed as the compiler places
     * it: named after the environment's approval gate, {@code type: approval}, and filtered as the
     * environment when its filter restricts branches or tags. Add what it waits for.
     *
     * <pre>{@code
     * WorkflowJob.approval(PRODUCTION).addRequires("deploy-to-staging").build()
     * }</pre>
     *
     * @throws IllegalArgumentException if entering the environment needs no approval
     */
    public static Builder approval(Environment environment) {
        checkNotNull(environment, "environment");
        Gate gate = environment.approval().orElseThrow(() -> new IllegalArgumentException("environment '"
                + environment.name() + "' needs no approval, so it has no approval job; add .approval(...) to it"));
        Builder b = builder(gate.name()).type(JobType.APPROVAL);
        FilterExport.filters(environment.filter()).ifPresent(b::filters);
        return b;
    }

    /** A builder holding this value's fields. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.name = name;
        b.requires = requires == null ? null : new ArrayList<>(requires);
        b.context = context == null ? null : new ArrayList<>(context);
        b.type = type;
        b.filters = filters;
        b.matrix = matrix;
        b.preSteps = preSteps == null ? null : new ArrayList<>(preSteps);
        b.postSteps = postSteps == null ? null : new ArrayList<>(postSteps);
        b.serialGroup = serialGroup;
        b.overrideWith = overrideWith;
        b.arguments.putAll(arguments);
        b.extra.putAll(extra);
        return b;
    }

    /** The job invoked: its name under {@code jobs}, or {@code alias/job} for an orb's job. */
    public String job() {
        return job;
    }

    /** {@code name}: the name of this invocation, to invoke a job twice or to name matrix invocations. */
    public Optional<String> name() {
        return Optional.ofNullable(name);
    }

    /** {@code requires}: the invocations that must finish first, and in which states. Empty when absent. */
    public List<Requirement> requires() {
        return requires == null ? List.of() : requires;
    }

    /** {@code context}: the contexts (organisation secrets) the job gets. Empty when absent. */
    public List<String> context() {
        return context == null ? List.of() : context;
    }

    /** {@code type}: the job type, {@code approval} for a manual hold. */
    public Optional<JobType> type() {
        return Optional.ofNullable(type);
    }

    /** {@code filters}: the branches and tags the job runs for. */
    public Optional<Filters> filters() {
        return Optional.ofNullable(filters);
    }

    /** {@code matrix}: runs the job once per combination of values. */
    public Optional<Matrix> matrix() {
        return Optional.ofNullable(matrix);
    }

    /** {@code pre-steps}: steps run before the job's own. Empty when absent. */
    public List<CircleCiStep> preSteps() {
        return preSteps == null ? List.of() : preSteps;
    }

    /** {@code post-steps}: steps run after the job's own. Empty when absent. */
    public List<CircleCiStep> postSteps() {
        return postSteps == null ? List.of() : postSteps;
    }

    /** {@code serial-group}: the group within which such jobs run one at a time, across pipelines. */
    public Optional<String> serialGroup() {
        return Optional.ofNullable(serialGroup);
    }

    /** {@code override-with}: an orb job, {@code alias/job}, that replaces this one when it exists. */
    public Optional<String> overrideWith() {
        return Optional.ofNullable(overrideWith);
    }

    /** Values for the job's parameters, in order, as plain data: every key that is not a key of an invocation. */
    public Map<String, @Nullable Object> arguments() {
        return arguments;
    }

    /** Keys the model does not know, and known keys whose values did not fit, as written. */
    public Map<String, @Nullable Object> extra() {
        return extra;
    }

    /** The value as data: {@code {<name>: {...}}}. */
    Map<String, @Nullable Object> toData() {
        return Map.of(job, data);
    }

    /** Reads a mapping; keys that do not fit are kept in {@link #extra()} with a warning. */
    static WorkflowJob fromData(String job, Map<?, ?> map, String path, Warnings warnings) {
        FieldReader r = new FieldReader(map, path, warnings, "a workflow job");
        Builder b = builder(job);
        r.read("name", Shape.STRING, b::name);
        r.read("requires", Requirement.LIST, b::requires);
        r.read("context", Shape.STRINGS, b::context);
        r.read("type", JobType.SHAPE, b::type);
        r.read("filters", Shape.FILTERS, b::filters);
        r.read("matrix", Matrix.SHAPE, b::matrix);
        r.read("pre-steps", Shape.STEPS, b::preSteps);
        r.read("post-steps", Shape.STEPS, b::postSteps);
        r.read("serial-group", Shape.STRING, b::serialGroup);
        r.read("override-with", Shape.STRING, b::overrideWith);
        return b.arguments(r.others()).extra(r.misfits()).build();
    }

    private static final Set<String> KEYS = Set.of("name", "requires", "context", "type", "filters", "matrix", "pre-steps",
            "post-steps", "serial-group", "override-with");

    /** One invocation: a one-key mapping of the job's name to its keys. */
    static final Shape<WorkflowJob> ENTRY = new Shape<>("a job name, or a one-key mapping of a job name to its keys",
            (v, p, w) -> {
                if (!(v instanceof Map<?, ?> m) || m.size() != 1) {
                    return null;
                }
                Map.Entry<?, ?> only = m.entrySet().iterator().next();
                String job = (String) only.getKey();
                return only.getValue() instanceof Map<?, ?> body ? fromData(job, body, Warnings.child(p, job), w) : null;
            });

    /** A workflow's or group's {@code jobs}. */
    static final Shape<List<WorkflowJob>> LIST = Shape.listOf("a list of job invocations", ENTRY);

    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof WorkflowJob o
                && Objects.equals(job, o.job)
                && Objects.equals(name, o.name)
                && Objects.equals(requires, o.requires)
                && Objects.equals(context, o.context)
                && Objects.equals(type, o.type)
                && Objects.equals(filters, o.filters)
                && Objects.equals(matrix, o.matrix)
                && Objects.equals(preSteps, o.preSteps)
                && Objects.equals(postSteps, o.postSteps)
                && Objects.equals(serialGroup, o.serialGroup)
                && Objects.equals(overrideWith, o.overrideWith)
                && Objects.equals(arguments, o.arguments)
                && extra.equals(o.extra);
    }

    @Override
    public int hashCode() {
        return Objects.hash( job, name, requires, context, type, filters, matrix, preSteps,
                postSteps, serialGroup, overrideWith, arguments, extra);
    }

    /** The data, for debugging. */
    @Override
    public String toString() {
        return "WorkflowJob" + toData();
    }

    /** Builds {@link WorkflowJob}; mutable, not thread-safe. */
    public static final class Builder {
        private @Nullable String job;
        private @Nullable String name;
        private @Nullable List<Requirement> requires;
        private @Nullable List<String> context;
        private @Nullable JobType type;
        private @Nullable Filters filters;
        private @Nullable Matrix matrix;
        private @Nullable List<CircleCiStep> preSteps;
        private @Nullable List<CircleCiStep> postSteps;
        private @Nullable String serialGroup;
        private @Nullable String overrideWith;
        private final Map<String, @Nullable Object> arguments = new LinkedHashMap<>();
        private final Map<String, @Nullable Object> extra = new LinkedHashMap<>();

        private Builder() {
        }

        /** Sets {@code name}: the name of this invocation, to invoke a job twice or to name matrix invocations. */
        @CanIgnoreReturnValue
        public Builder name(String name) {
            this.name = checkNotNull(name, "name");
            return this;
        }

        /**
         * Replaces {@code requires}: the invocations that must finish first, and in which states;
         * an empty list is written as {@code []}.
         */
        @CanIgnoreReturnValue
        public Builder requires(List<? extends Requirement> requires) {
            this.requires = new ArrayList<>(List.copyOf(requires));
            return this;
        }

        /** Appends to {@code requires}. */
        @CanIgnoreReturnValue
        public Builder addRequirement(Requirement requirement) {
            if (this.requires == null) {
                this.requires = new ArrayList<>();
            }
            this.requires.add(checkNotNull(requirement, "requirement"));
            return this;
        }

        /**
         * Replaces {@code context}: the contexts (organisation secrets) the job gets; an empty list
         * is written as {@code []}.
         */
        @CanIgnoreReturnValue
        public Builder context(List<? extends String> context) {
            this.context = new ArrayList<>(List.copyOf(context));
            return this;
        }

        /** Appends to {@code context}. */
        @CanIgnoreReturnValue
        public Builder addContext(String context) {
            if (this.context == null) {
                this.context = new ArrayList<>();
            }
            this.context.add(checkNotNull(context, "context"));
            return this;
        }

        /**
         * Runs the job in {@code environment}, as the compiler places a stage deployed there:
         * appends the environment's CircleCI contexts to {@code context} and, when its filter
         * restricts branches or tags, sets {@code filters} to that filter. Contexts added later
         * come after the environment's.
         *
         * <pre>{@code
         * WorkflowJob.builder("deploy-to-staging").addRequires("build").environment(STAGING).build()
         * }</pre>
         */
        @CanIgnoreReturnValue
        public Builder environment(Environment environment) {
            checkNotNull(environment, "environment");
            environment.circleci().contexts().forEach(this::addContext);
            FilterExport.filters(environment.filter()).ifPresent(this::filters);
            return this;
        }

        /** Sets {@code type}: the job type, {@code approval} for a manual hold. */
        @CanIgnoreReturnValue
        public Builder type(JobType type) {
            this.type = checkNotNull(type, "type");
            return this;
        }

        /** Sets {@code filters}: the branches and tags the job runs for. */
        @CanIgnoreReturnValue
        public Builder filters(Filters filters) {
            this.filters = checkNotNull(filters, "filters");
            return this;
        }

        /** Sets {@code matrix}: runs the job once per combination of values. */
        @CanIgnoreReturnValue
        public Builder matrix(Matrix matrix) {
            this.matrix = checkNotNull(matrix, "matrix");
            return this;
        }

        /** Replaces {@code pre-steps}: steps run before the job's own; an empty list is written as {@code []}. */
        @CanIgnoreReturnValue
        public Builder preSteps(List<? extends CircleCiStep> preSteps) {
            this.preSteps = new ArrayList<>(List.copyOf(preSteps));
            return this;
        }

        /** Appends to {@code pre-steps}. */
        @CanIgnoreReturnValue
        public Builder addPreStep(CircleCiStep preStep) {
            if (this.preSteps == null) {
                this.preSteps = new ArrayList<>();
            }
            this.preSteps.add(checkNotNull(preStep, "preStep"));
            return this;
        }

        /** Replaces {@code post-steps}: steps run after the job's own; an empty list is written as {@code []}. */
        @CanIgnoreReturnValue
        public Builder postSteps(List<? extends CircleCiStep> postSteps) {
            this.postSteps = new ArrayList<>(List.copyOf(postSteps));
            return this;
        }

        /** Appends to {@code post-steps}. */
        @CanIgnoreReturnValue
        public Builder addPostStep(CircleCiStep postStep) {
            if (this.postSteps == null) {
                this.postSteps = new ArrayList<>();
            }
            this.postSteps.add(checkNotNull(postStep, "postStep"));
            return this;
        }

        /** Sets {@code serial-group}: the group within which such jobs run one at a time, across pipelines. */
        @CanIgnoreReturnValue
        public Builder serialGroup(String serialGroup) {
            this.serialGroup = checkNotNull(serialGroup, "serialGroup");
            return this;
        }

        /** Sets {@code override-with}: an orb job, {@code alias/job}, that replaces this one when it exists. */
        @CanIgnoreReturnValue
        public Builder overrideWith(String overrideWith) {
            this.overrideWith = checkNotNull(overrideWith, "overrideWith");
            return this;
        }

        /** Replaces the arguments; values are copied as plain data. */
        @CanIgnoreReturnValue
        public Builder arguments(Map<String, ?> arguments) {
            this.arguments.clear();
            this.arguments.putAll(PlainData.copyMap(arguments));
            return this;
        }

        /** Adds or replaces an argument; the value is copied as plain data. */
        @CanIgnoreReturnValue
        public Builder putArgument(String name, @Nullable Object value) {
            this.arguments.put(checkNotNull(name, "name"), PlainData.copy(value));
            return this;
        }

        /** Appends a plain requirement: {@code job} must succeed first. */
        @CanIgnoreReturnValue
        public Builder addRequires(String job) {
            return addRequirement(Requirement.of(job));
        }

        /** Replaces the kept keys; see {@link WorkflowJob#extra()}. Values are copied as plain data. */
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
         * @throws IllegalArgumentException when a kept key is also set as a typed field, or when an
         *     argument is named like a key of a workflow job, or a kept key is
         *     not one (it is an argument)
         */
        public WorkflowJob build() {
            return new WorkflowJob(this);
        }
    }
}
