package dev.pipewright;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import com.google.errorprone.annotations.CanIgnoreReturnValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A named unit of a pipeline: steps run in order, after the stages it needs have succeeded,
 * behind its gates, in its environment, as its roles, for the branches and tags its filter and
 * its environment's filter allow. Exported to CircleCI as a job.
 *
 * <p>Usually written inside a pipeline, {@code .stage("test", s -> s.needs("format").run("./mvnw -B verify"))};
 * build one alone with {@link #named(String)} to reuse it or to refer to it by handle in {@link
 * Builder#needs(Stage...)}.
 *
 * <p>Stages are immutable and thread-safe, and equal when all their values are.
 *
 * @since 0.1
 */
public final class Stage {
    private final String name;
    private final Optional<String> description;
    private final List<String> needs;
    private final Optional<Environment> environment;
    private final List<Role> roles;
    private final List<Gate> gates;
    private final List<Step> steps;
    private final List<Step> onFailure;
    private final Filter filter;
    private final Map<String, String> variables;
    private final Set<String> secrets;
    private final Optional<Duration> timeout;
    private final Optional<Retry> retry;
    private final CircleCiOptions circleci;
    private final List<PathPattern> whenChanged;

    private Stage(Builder b) {
        this.name = b.name;
        this.description = Optional.ofNullable(b.description);
        this.needs = ImmutableList.copyOf(b.needs);
        this.environment = Optional.ofNullable(b.environment);
        this.roles = ImmutableList.copyOf(b.roles);
        this.gates = ImmutableList.copyOf(b.gates);
        this.steps = ImmutableList.copyOf(b.steps);
        this.onFailure = ImmutableList.copyOf(b.onFailure);
        this.filter = b.filter.buildLenient();
        this.variables = ImmutableMap.copyOf(b.variables);
        this.secrets = ImmutableSet.copyOf(b.secrets);
        this.timeout = Optional.ofNullable(b.timeout);
        this.retry = Optional.ofNullable(b.retry);
        this.circleci = b.circleci.buildLenient();
        this.whenChanged = ImmutableList.copyOf(b.whenChanged);
    }

    /** Starts a stage called {@code name}; the name is checked by {@code build()}. */
    public static Builder named(String name) {
        return new Builder(name);
    }

    /** A builder holding this stage's values. */
    public Builder toBuilder() {
        Builder b = new Builder(name);
        b.description = description.orElse(null);
        b.needs.addAll(needs);
        b.environment = environment.orElse(null);
        b.roles.addAll(roles);
        b.gates.addAll(gates);
        b.steps.addAll(steps);
        b.onFailure.addAll(onFailure);
        b.filter = filter.toBuilder();
        b.variables.putAll(variables);
        b.secrets.addAll(secrets);
        b.timeout = timeout.orElse(null);
        b.retry = retry.orElse(null);
        b.circleci = circleci.toBuilder();
        b.whenChanged.addAll(whenChanged);
        return b;
    }

    /** The stage's name, unique within its pipeline; the CircleCI job's name. */
    public String name() {
        return name;
    }

    /** What the stage does, in words; empty when none was given. */
    public Optional<String> description() {
        return description;
    }

    /** Names of the stages that must succeed before this one starts, in the order given; empty for none. */
    public List<String> needs() {
        return needs;
    }

    /** The environment this stage works in; empty when it works in none. */
    public Optional<Environment> environment() {
        return environment;
    }

    /** The roles this stage acts as, in the order declared: the only credentials it receives. */
    public List<Role> roles() {
        return roles;
    }

    /** Gates evaluated, in order, before the stage starts. */
    public List<Gate> gates() {
        return gates;
    }

    /** The steps, run in order. */
    public List<Step> steps() {
        return steps;
    }

    /**
     * The steps run, in this stage's context (environment, roles, workspace), when the stage
     * started and did not succeed: it failed, timed out or was cancelled. A rollback goes here.
     * In CircleCI they are the job's last steps, with {@code when: on_fail}.
     */
    public List<Step> onFailure() {
        return onFailure;
    }

    /** The stage's own branch and tag filter; see {@link #filters()} for all that apply. */
    public Filter filter() {
        return filter;
    }

    /** Every filter the stage itself must pass: its own and its environment's. */
    public List<Filter> filters() {
        return environment.map(e -> List.of(filter, e.filter())).orElse(List.of(filter));
    }

    /** The stage's own variables; see {@link #effectiveVariables()}. */
    public Map<String, String> variables() {
        return variables;
    }

    /** The environment's variables overlaid with the stage's own. */
    public Map<String, String> effectiveVariables() {
        Map<String, String> all = new LinkedHashMap<>();
        environment.ifPresent(e -> all.putAll(e.variables()));
        all.putAll(variables);
        return ImmutableMap.copyOf(all);
    }

    /** Names of the stage's own secret variables; see {@link #effectiveSecrets()}. */
    public Set<String> secrets() {
        return secrets;
    }

    /** The environment's secrets and the stage's own. */
    public Set<String> effectiveSecrets() {
        if (environment.isEmpty()) {
            return secrets;
        }
        Set<String> all = new LinkedHashSet<>();
        environment.ifPresent(e -> all.addAll(e.secrets()));
        all.addAll(secrets);
        return ImmutableSet.copyOf(all);
    }

    /** How long the stage may run, all tries included; empty for no limit of its own. */
    public Optional<Duration> timeout() {
        return timeout;
    }

    /** How often the stage is tried again when it fails; empty when it runs once. */
    public Optional<Retry> retry() {
        return retry;
    }

    /** The stage's own CircleCI options; the pipeline computes the effective ones. */
    public CircleCiOptions circleci() {
        return circleci;
    }

    /**
     * The path filter: the stage runs only when these patterns {@linkplain PathPattern#selects(List,
     * java.util.Collection) select} one of the run's changed paths; empty when it runs whatever
     * changed. In CircleCI it becomes a setup workflow with the {@code path-filtering}
     * orb.
     */
    public List<PathPattern> whenChanged() {
        return whenChanged;
    }

    /** Whether one of this stage's own gates is a manual approval. */
    public boolean hasManualApproval() {
        return gates.stream().anyMatch(Gate::isManualApproval);
    }

    /** What the stage's steps declare they need, without repeats. */
    public List<Permission> permissions() {
        Set<Permission> all = new LinkedHashSet<>();
        steps.forEach(s -> all.addAll(s.permissions()));
        return List.copyOf(all);
    }

    /**
     * Whether a step of this stage needs something {@code role} grants. A stage whose steps declare
     * no permissions uses no role.
     */
    public boolean uses(Role role) {
        return permissions().stream().anyMatch(role::allows);
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof Stage s && name.equals(s.name) && description.equals(s.description)
                && needs.equals(s.needs) && environment.equals(s.environment) && roles.equals(s.roles)
                && gates.equals(s.gates) && steps.equals(s.steps) && onFailure.equals(s.onFailure) && filter.equals(s.filter)
                && variables.equals(s.variables) && secrets.equals(s.secrets) && timeout.equals(s.timeout)
                && retry.equals(s.retry) && circleci.equals(s.circleci) && whenChanged.equals(s.whenChanged);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, description, needs, environment, roles, gates, steps, onFailure, filter, variables, secrets,
                timeout, retry, circleci, whenChanged);
    }

    @Override
    public String toString() {
        return "stage '" + name + "'";
    }

    /**
     * Builds a {@link Stage}. Plural setters ({@code needs}, {@code roles}, {@code steps},
     * {@code secrets}) replace; {@code as}, {@code gate}, {@code step}, {@code run}, {@code java}
     * and {@code putVariable} add. References to other stages are checked by the pipeline.
     *
     * <p>A null or invalid argument is recorded as a problem, not thrown: {@link #build()}, or the
     * pipeline the stage is configured in, reports every problem at once. Not thread-safe.
     *
     * @since 0.1
     */
    public static final class Builder {
        private final String name;
        private @Nullable String description;
        private final List<String> needs = new ArrayList<>();
        private @Nullable Environment environment;
        private final List<Role> roles = new ArrayList<>();
        private final List<Gate> gates = new ArrayList<>();
        private final List<Step> steps = new ArrayList<>();
        private final List<Step> onFailure = new ArrayList<>();
        /** Steps given but rejected since {@link #steps(Step...)} last replaced them: they keep their number. */
        private int rejectedSteps;
        /** Whether the configuration stopped early (it threw), so missing steps may just not have been reached. */
        private boolean incomplete;
        private Filter.Builder filter = Filter.builder();
        private final Map<String, String> variables = new LinkedHashMap<>();
        private final Set<String> secrets = new LinkedHashSet<>();
        private @Nullable Duration timeout;
        private @Nullable Retry retry;
        private CircleCiOptions.Builder circleci = CircleCiOptions.builder();
        private final List<PathPattern> whenChanged = new ArrayList<>();
        private final Problems problems = new Problems();

        private Builder(String name) {
            this.name = name;
        }

        /** The stage's name. */
        String name() {
            return name;
        }

        /** What the stage does, in words. */
        @CanIgnoreReturnValue
        public Builder description(String description) {
            if (problems.nonNull(description, "description")) {
                this.description = description;
            }
            return this;
        }

        /** The stages, by name, that must succeed first. Replaces; a name given twice is a problem. */
        @CanIgnoreReturnValue
        public Builder needs(String... stages) {
            needs.clear();
            if (problems.nonNullElements(stages, "needs")) {
                for (String s : stages) {
                    if (needs.contains(s)) {
                        problems.add("needs", "'" + s + "' is named twice.", "Name each stage once.");
                    } else {
                        needs.add(s);
                    }
                }
            }
            return this;
        }

        /** The stages, by handle, that must succeed first. Replaces. */
        @CanIgnoreReturnValue
        public Builder needs(Stage... stages) {
            if (problems.nonNullElements(stages, "needs")) {
                needs(java.util.Arrays.stream(stages).map(Stage::name).toArray(String[]::new));
            }
            return this;
        }

        /** Works in {@code environment}: its filter, variables and secrets apply. */
        @CanIgnoreReturnValue
        public Builder in(Environment environment) {
            if (problems.nonNull(environment, "in")) {
                this.environment = environment;
            }
            return this;
        }

        /**
         * Acts as {@code role} too: the stage receives its credentials. Two roles of one name are a
         * problem.
         */
        @CanIgnoreReturnValue
        public Builder as(Role role) {
            if (problems.nonNull(role, "as")) {
                if (roles.stream().anyMatch(r -> r.name().equals(role.name()))) {
                    problems.add("as(" + role.name() + ")", "the stage already acts as a role of that name.",
                            "Declare each role once.");
                } else {
                    roles.add(role);
                }
            }
            return this;
        }

        /** The roles the stage acts as. Replaces. */
        @CanIgnoreReturnValue
        public Builder roles(Role... roles) {
            this.roles.clear();
            if (problems.nonNullElements(roles, "roles")) {
                for (Role r : roles) {
                    as(r);
                }
            }
            return this;
        }

        /** Adds a gate evaluated before the stage starts. Two gates of one name are a problem. */
        @CanIgnoreReturnValue
        public Builder gate(Gate gate) {
            if (problems.nonNull(gate, "gates")) {
                if (gates.stream().anyMatch(g -> g.name().equals(gate.name()))) {
                    problems.add("gate(" + gate.name() + ")", "the stage already has a gate of that name.",
                            "Give each gate of a stage its own name: Gate.manualApproval(a -> a.name(\"...\")).");
                } else {
                    gates.add(gate);
                }
            }
            return this;
        }

        /** Adds a step. */
        @CanIgnoreReturnValue
        public Builder step(Step step) {
            if (problems.nonNull(step, "steps")) {
                steps.add(step);
            } else {
                rejectedSteps++;
            }
            return this;
        }

        /** Replaces the steps. */
        @CanIgnoreReturnValue
        public Builder steps(Step... steps) {
            this.steps.clear();
            rejectedSteps = 0;
            if (problems.nonNullElements(steps, "steps")) {
                this.steps.addAll(List.of(steps));
            } else {
                rejectedSteps = steps == null ? 1 : steps.length;
            }
            return this;
        }

        /**
         * Replaces the steps that run when the stage started and did not succeed, such as a
         * rollback; see {@link Stage#onFailure()}.
         */
        @CanIgnoreReturnValue
        public Builder onFailure(Step... steps) {
            onFailure.clear();
            if (problems.nonNullElements(steps, "onFailure")) {
                onFailure.addAll(List.of(steps));
            }
            return this;
        }

        /** Adds a shell step running {@code command}. */
        @CanIgnoreReturnValue
        public Builder run(String command) {
            return run(command, s -> { });
        }

        /** Adds a shell step running {@code command}, with details such as its name or timeout. */
        @CanIgnoreReturnValue
        public Builder run(String command, Consumer<ShellStep.Builder> details) {
            ShellStep.Builder b = ShellStep.builder(command);
            if (problems.nonNull(details, "run")) {
                details.accept(b);
            }
            List<Problem> found = b.problems();
            if (found.isEmpty()) {
                steps.add(b.build());
            } else {
                problems.addAll(found, rejectedStepPath());
            }
            return this;
        }

        /** Adds a Java step called {@code name} running {@code action}. */
        @CanIgnoreReturnValue
        public Builder java(String name, JavaStep.Action action) {
            try {
                steps.add(JavaStep.of(name, action));
            } catch (InvalidPipelineException e) {
                problems.addAll(e.problems(), rejectedStepPath());
            }
            return this;
        }

        /** The path of a step being rejected: its place among the steps given, rejected ones included. */
        private String rejectedStepPath() {
            rejectedSteps++;
            return "step " + (steps.size() + rejectedSteps);
        }

        /** Runs only on these branches (exact names or {@code /regex/}). Replaces. */
        @CanIgnoreReturnValue
        public Builder branches(String... patterns) {
            filter.onlyBranches(patterns);
            return this;
        }

        /** Runs on these tags too (without, tag pushes skip the stage). Replaces. */
        @CanIgnoreReturnValue
        public Builder tags(String... patterns) {
            filter.onlyTags(patterns);
            return this;
        }

        /** Adjusts the stage's filter in place. */
        @CanIgnoreReturnValue
        public Builder filter(Consumer<Filter.Builder> adjust) {
            if (problems.nonNull(adjust, "filter")) {
                adjust.accept(filter);
            }
            return this;
        }

        /**
         * Sets a variable for every step of the stage, over the environment's. Names start with a
         * letter or {@code _}, hold letters, digits and {@code _}, and must not start with
         * {@code CIRCLE_}.
         */
        @CanIgnoreReturnValue
        public Builder putVariable(String key, String value) {
            if (problems.nonNull(key, "variables") && problems.nonNull(value, "variables." + key)) {
                problems.checkVariableName(key, "variables");
                variables.put(key, value);
            }
            return this;
        }

        /** Replaces the names of secret variables the stage needs at run time. */
        @CanIgnoreReturnValue
        public Builder secrets(String... names) {
            secrets.clear();
            if (problems.nonNullElements(names, "secrets")) {
                for (String n : names) {
                    problems.checkVariableName(n, "secrets");
                    secrets.add(n);
                }
            }
            return this;
        }

        /** How long the stage may run, all tries included; positive. */
        @CanIgnoreReturnValue
        public Builder timeout(Duration timeout) {
            if (problems.positive(timeout, "timeout")) {
                this.timeout = timeout;
            }
            return this;
        }

        /**
         * Runs the stage up to {@code attempts} times (2 to {@value Retry#MAX_ATTEMPTS}), waiting
         * {@code backoff} (positive, at most an hour), then double, between tries.
         */
        @CanIgnoreReturnValue
        public Builder retry(int attempts, Duration backoff) {
            try {
                retry = Retry.of(attempts, backoff);
            } catch (IllegalArgumentException | NullPointerException e) {
                problems.add("retry", e.getMessage() + ".", "Give 2 to " + Retry.MAX_ATTEMPTS
                        + " attempts and a positive backoff of at most an hour.");
            }
            return this;
        }

        /** CircleCI-only options for this stage's job. */
        @CanIgnoreReturnValue
        public Builder circleci(Consumer<CircleCiOptions.Builder> options) {
            if (problems.nonNull(options, "circleci")) {
                options.accept(circleci);
            }
            return this;
        }

        /**
         * Runs the stage only when a changed path is selected by {@code globs} ({@link PathPattern}:
         * {@code **}, {@code *}, {@code ?}, classes, a leading {@code !} negates). Replaces; none
         * means whatever changed. An invalid glob, or only negated ones, are problems.
         */
        @CanIgnoreReturnValue
        public Builder whenChanged(String... globs) {
            whenChanged.clear();
            if (problems.nonNullElements(globs, "whenChanged")) {
                for (String glob : globs) {
                    PathPattern.Parsed parsed = PathPattern.parse(glob);
                    if (parsed.problem != null) {
                        problems.add("whenChanged", parsed.problem, parsed.fix);
                    } else {
                        whenChanged.add(parsed.pattern());
                    }
                }
                if (!whenChanged.isEmpty() && whenChanged.stream().allMatch(PathPattern::isNegated)) {
                    problems.add("whenChanged", "only negated patterns " + whenChanged + " select no path.",
                            "Start with the paths to select, such as \"**\", then exclude with '!'.");
                }
            }
            return this;
        }

        /** Records problems found by the pipeline while it ran this builder's configuration. */
        void report(List<Problem> found) {
            problems.addAll(found, "");
            incomplete = true;
        }

        /** Every problem of this stage on its own, paths relative to the stage. */
        List<Problem> problems() {
            Problems all = new Problems();
            all.checkName(name, "name");
            all.addAll(problems.list(), "");
            all.addAll(filter.problems(), "filter");
            all.addAll(circleci.problems(), "circleci");
            if (steps.isEmpty() && rejectedSteps == 0 && !incomplete) {
                all.add("steps", "the stage has no steps.", "Add one with .run(...), .java(...) or .step(...).");
            }
            for (int i = 0; i < steps.size(); i++) {
                checkStep(all, steps.get(i), "step " + (i + 1));
            }
            for (int i = 0; i < onFailure.size(); i++) {
                checkStep(all, onFailure.get(i), "onFailure step " + (i + 1));
            }
            all.checkSecretsAreNotVariables(secrets, variables);
            if (environment != null) {
                // The effective variables and secrets join the environment's and the stage's: a name
                // must not be a secret on one level and a plain variable on the other.
                String where = "environment " + Problems.quote(environment.name());
                for (String s : environment.secrets()) {
                    if (variables.containsKey(s)) {
                        all.add("variables", "'" + s + "' is a secret of " + where + " and a variable of the stage.",
                                "Keep it as a secret only, so its value never reaches logs or exported YAML.");
                    }
                }
                for (String s : secrets) {
                    if (environment.variables().containsKey(s)) {
                        all.add("secrets", "'" + s + "' is a variable of " + where + " and a secret of the stage.",
                                "Make it a secret of the environment instead, or give the secret another name.");
                    }
                }
            }
            return all.list();
        }

        static void checkStep(Problems problems, Step step, String path) {
            String type = step.type();
            if (type == null || !Step.TYPE_ID.matcher(type).matches()) {
                problems.add(path, "step type id '" + type + "' of " + step.getClass().getName() + " is not valid.",
                        "Use dot-separated lower-case words, such as acme.migrate.");
            }
            String name = step.name();
            if (name == null || name.isBlank()) {
                problems.add(path, "the step of type '" + type + "' has no name.", "Give every step a name.");
            }
            if (step.parameters() == null || step.permissions() == null) {
                problems.add(path, "the step of type '" + type + "' returned null parameters or permissions.",
                        "Return empty collections instead.");
            }
        }

        /**
         * The stage.
         *
         * @throws InvalidPipelineException listing every problem of the stage on its own; the
         *     pipeline checks references to other stages, environments and roles
         */
        public Stage build() {
            Problems all = new Problems();
            all.addAll(problems(), "");
            all.throwIfAny("Stage " + Problems.quote(name));
            return new Stage(this);
        }
    }
}
