package dev.pipewright;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import com.google.errorprone.annotations.CanIgnoreReturnValue;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A delivery pipeline: stages with their dependencies, gates, environments, roles and triggers.
 * An immutable value, built by a fluent DSL that does not compile without a stage:
 *
 * <pre>{@code
 * Pipeline api = Pipeline.named("housing-api")
 *     .environments(development, staging, production)
 *     .stage("test", s -> s.run("./mvnw -B verify"))
 *     .deploy(development, s -> s.needs("test").run("./deploy.sh development"))
 *     .deploy(staging, s -> s.needs("test").run("./deploy.sh staging"))
 *     .deploy(production, s -> s.needs("deploy-staging").run("./deploy.sh production"))
 *     .build();
 * }</pre>
 *
 * <p>{@link Builder#build()} checks the whole pipeline and throws one {@link
 * InvalidPipelineException} listing every problem. Until then, a null or invalid argument given
 * to the DSL is recorded, not thrown at the call. A built pipeline is immutable and thread-safe;
 * its builder is not thread-safe.
 *
 * @since 0.1
 */
public final class Pipeline {
    private final String name;
    private final Optional<String> description;
    private final List<Environment> environments;
    private final List<Role> roles;
    private final List<Role> declaredRoles;
    private final List<Trigger> triggers;
    private final List<Stage> stages;
    private final CircleCiOptions circleci;
    private final List<Step> onFailure;
    private final List<Step> always;
    private final Set<String> inherited;

    Pipeline(String name, @Nullable String description, List<Environment> environments, List<Role> roles,
            List<Role> declaredRoles, List<Trigger> triggers, List<Stage> stages, CircleCiOptions circleci,
            List<Step> onFailure, List<Step> always, Set<String> inherited) {
        this.name = name;
        this.description = Optional.ofNullable(description);
        this.environments = ImmutableList.copyOf(environments);
        this.roles = ImmutableList.copyOf(roles);
        this.declaredRoles = ImmutableList.copyOf(declaredRoles);
        this.triggers = ImmutableList.copyOf(triggers);
        this.stages = ImmutableList.copyOf(stages);
        this.circleci = circleci;
        this.onFailure = ImmutableList.copyOf(onFailure);
        this.always = ImmutableList.copyOf(always);
        this.inherited = ImmutableSet.copyOf(inherited);
    }

    /**
     * Starts a pipeline called {@code name}. The name is checked by {@code build()}.
     *
     * @return the pipeline's first step, which has no {@code build()} until a stage is added
     */
    public static Draft named(String name) {
        return new PipelineBuilder(name);
    }

    /** A builder holding this pipeline's values, ready to change and build again. */
    public Builder toBuilder() {
        return new PipelineBuilder(this);
    }

    /** The pipeline's name, as the command line and the exported configuration know it. */
    public String name() {
        return name;
    }

    /** What the pipeline delivers, in words; empty when none was given. */
    public Optional<String> description() {
        return description;
    }

    /** The declared environments, in the order declared. */
    public List<Environment> environments() {
        return environments;
    }

    /** The declared roles: those declared on the pipeline, then those of its environments. */
    public List<Role> roles() {
        return roles;
    }

    /** What starts the pipeline; {@link Trigger#push()} when none was declared. */
    public List<Trigger> triggers() {
        return triggers;
    }

    /**
     * The stages in a topological order: every stage after the stages it needs, ties kept in the
     * order declared.
     */
    public List<Stage> stages() {
        return stages;
    }

    /** The roles declared with {@code role(...)}, without those that came with environments. */
    List<Role> declaredRoles() {
        return declaredRoles;
    }

    /** The pipeline-wide CircleCI options. */
    public CircleCiOptions circleci() {
        return circleci;
    }

    /**
     * Steps run once at the end of a run that failed or was cancelled, after every stage stopped,
     * with no environment and no role: notifications go here; a stage's rollback goes in its own
     * {@link Stage#onFailure()}. CircleCI has no workflow-level hook, so there they end every job,
     * with {@code when: on_fail}.
     */
    public List<Step> onFailure() {
        return onFailure;
    }

    /**
     * Steps run once at the end of every run, after the {@link #onFailure()} steps, with no
     * environment and no role. In CircleCI they end every job, with {@code when: always}.
     */
    public List<Step> always() {
        return always;
    }

    /**
     * The names of the runner's own environment variables that local stages may inherit although
     * they look like credentials ({@code AWS_REGION}, say). Every other credential-like variable
     * ({@code AWS_*}, {@code *TOKEN*}, {@code *SECRET*}, {@code *PASSWORD*}...) is removed from
     * what a stage inherits: a stage gets credentials only from its roles.
     */
    public Set<String> inherited() {
        return inherited;
    }

    /** The stage called {@code name}; empty when there is none. */
    public Optional<Stage> stage(String name) {
        return stages.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** The declared environment called {@code name}; empty when there is none. */
    public Optional<Environment> environment(String name) {
        return environments.stream().filter(e -> e.name().equals(name)).findFirst();
    }

    /** The declared role called {@code name}, from {@link #roles()}; empty when there is none. */
    public Optional<Role> role(String name) {
        return roles.stream().filter(r -> r.name().equals(name)).findFirst();
    }

    /**
     * The stages working in {@code environment}, in topological order.
     *
     * @throws NullPointerException if {@code environment} is null
     */
    public List<Stage> stagesIn(Environment environment) {
        return stages.stream().filter(s -> s.environment().filter(environment::equals).isPresent()).toList();
    }

    /**
     * The CircleCI options for {@code stage}'s job: the pipeline's, overridden by its
     * environment's, overridden by its own (see {@link CircleCiOptions#overriddenBy}).
     *
     * @throws NullPointerException if {@code stage} is null
     */
    public CircleCiOptions circleciFor(Stage stage) {
        CircleCiOptions options = circleci;
        if (stage.environment().isPresent()) {
            options = options.overriddenBy(stage.environment().get().circleci());
        }
        return options.overriddenBy(stage.circleci());
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof Pipeline p && name.equals(p.name) && description.equals(p.description)
                && environments.equals(p.environments) && roles.equals(p.roles)
                && declaredRoles.equals(p.declaredRoles) && triggers.equals(p.triggers)
                && stages.equals(p.stages) && circleci.equals(p.circleci) && onFailure.equals(p.onFailure)
                && always.equals(p.always) && inherited.equals(p.inherited);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, description, environments, roles, declaredRoles, triggers, stages, circleci,
                onFailure, always, inherited);
    }

    @Override
    public String toString() {
        return "pipeline '" + name + "' (" + stages.size() + " stages)";
    }

    /**
     * A pipeline without stages yet: everything but {@code build()}, which appears once a stage is
     * added. Do not keep this type in a variable; it is a grammar, not a value.
     *
     * <p>Every method records a null or invalid argument as a problem for {@code build()} to
     * report, rather than throwing. Not thread-safe.
     *
     * @since 0.1
     */
    public interface Draft {

        /** What the pipeline delivers, in words. */
        @CanIgnoreReturnValue
        Draft description(String description);

        /** Declares an environment, with its role. Order declared is the order listed. */
        @CanIgnoreReturnValue
        Draft environment(Environment environment);

        /** Declares these environments, with their roles, replacing those declared before. */
        @CanIgnoreReturnValue
        Draft environments(Environment... environments);

        /** Declares a role not tied to an environment. */
        @CanIgnoreReturnValue
        Draft role(Role role);

        /** Adds a trigger; without any, every push starts the pipeline. */
        @CanIgnoreReturnValue
        Draft trigger(Trigger trigger);

        /** Pipeline-wide CircleCI options: executor, orbs, caches... */
        @CanIgnoreReturnValue
        Draft circleci(Consumer<CircleCiOptions.Builder> options);

        /** Replaces the steps run at the end of a failed or cancelled run; see {@link Pipeline#onFailure()}. */
        @CanIgnoreReturnValue
        Draft onFailure(Step... steps);

        /** Replaces the steps run at the end of every run; see {@link Pipeline#always()}. */
        @CanIgnoreReturnValue
        Draft always(Step... steps);

        /**
         * Lets local stages inherit these credential-like variables of the runner's environment,
         * such as {@code AWS_REGION}; see {@link Pipeline#inherited()}. Replaces.
         */
        @CanIgnoreReturnValue
        Draft inherit(String... names);

        /** Adds a stage built elsewhere, such as one shared by several pipelines. */
        @CanIgnoreReturnValue
        Builder stage(Stage stage);

        /**
         * Adds a stage called {@code name}, configured by {@code stage} right away. A value built
         * inside it that throws {@link InvalidPipelineException} (a gate, a step) stops the
         * configuration; its problems are kept under the stage's path for {@code build()}.
         */
        @CanIgnoreReturnValue
        Builder stage(String name, Consumer<Stage.Builder> stage);

        /** Adds stage {@code deploy-<environment>}: see {@link #deploy(String, Environment, Consumer)}. */
        @CanIgnoreReturnValue
        default Builder deploy(Environment environment, Consumer<Stage.Builder> stage) {
            return deploy("deploy-" + (environment == null ? "null" : environment.name()), environment, stage);
        }

        /**
         * Adds stage {@code name} deploying to {@code environment}: it works {@code in} the
         * environment (its filter, variables and secrets), acts {@code as} its role and waits for
         * its approval, then {@code stage} adds the rest (needs, steps...).
         */
        @CanIgnoreReturnValue
        Builder deploy(String name, Environment environment, Consumer<Stage.Builder> stage);
    }

    /**
     * A pipeline with at least one stage: it can be built. Not thread-safe.
     *
     * @since 0.1
     */
    public interface Builder extends Draft {

        @Override
        Builder description(String description);

        @Override
        Builder environment(Environment environment);

        @Override
        Builder environments(Environment... environments);

        @Override
        Builder role(Role role);

        @Override
        Builder trigger(Trigger trigger);

        @Override
        Builder circleci(Consumer<CircleCiOptions.Builder> options);

        @Override
        Builder onFailure(Step... steps);

        @Override
        Builder always(Step... steps);

        @Override
        Builder inherit(String... names);

        @Override
        default Builder deploy(Environment environment, Consumer<Stage.Builder> stage) {
            return deploy("deploy-" + (environment == null ? "null" : environment.name()), environment, stage);
        }

        /**
         * Checks the whole pipeline and builds it.
         *
         * @throws InvalidPipelineException listing every problem with its path, what was found and
         *     how to fix it
         */
        Pipeline build();
    }
}
