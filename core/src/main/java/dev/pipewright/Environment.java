package dev.pipewright;

import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import com.google.errorprone.annotations.CanIgnoreReturnValue;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Where a stage deploys to: the branches and tags allowed to deploy there, the environment it is
 * promoted from, its twelve-factor configuration (variables, and the names of secrets supplied at
 * run time), the role used to deploy there, the approval needed to enter it and whether it is
 * protected.
 *
 * <pre>{@code
 * Environment production = Environment.named("production")
 *     .promotedFrom(staging)
 *     .branches("master")
 *     .putVariable("STAGE", "production")
 *     .secrets("SLACK_WEBHOOK_URL")
 *     .role(deployProduction)
 *     .approval(a -> a.message("Deploy to production?").approvers("housing-leads"))
 *     .protect()
 *     .build();
 * }</pre>
 *
 * <p>A stage placed {@code in(environment)} runs only where the environment's filter allows and
 * sees its variables and secrets; {@code Pipeline.Draft#deploy} also gives it the environment's
 * role and approval.
 *
 * <p>Environments are immutable and thread-safe, and equal when all their values are. Two
 * environments of the same name that differ are a problem the pipeline reports: use the same
 * object everywhere.
 *
 * @since 0.1
 */
public final class Environment {
    private final String name;
    private final Optional<String> description;
    private final Filter filter;
    private final Optional<Environment> promotedFrom;
    private final Map<String, String> variables;
    private final Set<String> secrets;
    private final Optional<Role> role;
    private final Optional<Gate> approval;
    private final boolean isProtected;
    private final CircleCiOptions circleci;

    private Environment(Builder b) {
        this.name = b.name;
        this.description = Optional.ofNullable(b.description);
        this.filter = b.filter.buildLenient();
        this.promotedFrom = Optional.ofNullable(b.promotedFrom);
        this.variables = ImmutableMap.copyOf(b.variables);
        this.secrets = ImmutableSet.copyOf(b.secrets);
        this.role = Optional.ofNullable(b.role);
        this.approval = Optional.ofNullable(b.approval);
        this.isProtected = b.isProtected;
        this.circleci = b.circleci.buildLenient();
    }

    /**
     * Starts an environment called {@code name}: every branch, no tag, no role, no approval. The
     * name is checked by {@code build()}.
     */
    public static Builder named(String name) {
        return new Builder(name);
    }

    /** A builder holding this environment's values. */
    public Builder toBuilder() {
        Builder b = new Builder(name);
        b.description = description.orElse(null);
        b.filter = filter.toBuilder();
        b.promotedFrom = promotedFrom.orElse(null);
        b.variables.putAll(variables);
        b.secrets.addAll(secrets);
        b.role = role.orElse(null);
        b.approval = approval.orElse(null);
        b.isProtected = isProtected;
        b.circleci = circleci.toBuilder();
        return b;
    }

    /** The environment's name, unique within its pipeline. */
    public String name() {
        return name;
    }

    /** What the environment is for, in words; empty when none was given. */
    public Optional<String> description() {
        return description;
    }

    /** Which branches and tags may deploy here. */
    public Filter filter() {
        return filter;
    }

    /** The environment a change passes through before this one; empty for the first. */
    public Optional<Environment> promotedFrom() {
        return promotedFrom;
    }

    /** Configuration variables, in the order declared. */
    public Map<String, String> variables() {
        return variables;
    }

    /** Names of secret variables supplied at run time (a CircleCI context, a local secrets file). */
    public Set<String> secrets() {
        return secrets;
    }

    /** The role that deploys here; empty when none was given. */
    public Optional<Role> role() {
        return role;
    }

    /** The manual approval needed to enter this environment; empty when entering needs none. */
    public Optional<Gate> approval() {
        return approval;
    }

    /**
     * Whether the environment is protected: it must have an approval and restrict branches (a
     * tag-only environment ignores every branch), and every stage in it must be behind a manual
     * approval, its own or that of a stage it needs in the same environment.
     */
    public boolean isProtected() {
        return isProtected;
    }

    /** CircleCI options for every stage in this environment, over the pipeline's. */
    public CircleCiOptions circleci() {
        return circleci;
    }

    /** How many environments precede this one in its promotion chain: 0 for the first. */
    public int promotionDepth() {
        return promotedFrom.map(p -> p.promotionDepth() + 1).orElse(0);
    }

    /** Whether {@code other} comes before this environment in its promotion chain. */
    public boolean isPromotedFrom(Environment other) {
        for (Optional<Environment> p = promotedFrom; p.isPresent(); p = p.get().promotedFrom) {
            if (p.get().equals(other)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof Environment e && name.equals(e.name) && description.equals(e.description)
                && filter.equals(e.filter) && promotedFrom.equals(e.promotedFrom) && variables.equals(e.variables)
                && secrets.equals(e.secrets) && role.equals(e.role) && approval.equals(e.approval)
                && isProtected == e.isProtected && circleci.equals(e.circleci);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, description, filter, promotedFrom, variables, secrets, role, approval, isProtected,
                circleci);
    }

    @Override
    public String toString() {
        return "environment '" + name + "'";
    }

    /**
     * Builds an {@link Environment}. A null or invalid argument is recorded as a problem, not
     * thrown: {@link #build()} reports every problem at once. Not thread-safe.
     *
     * @since 0.1
     */
    public static final class Builder {
        private final String name;
        private @Nullable String description;
        private Filter.Builder filter = Filter.builder();
        private @Nullable Environment promotedFrom;
        private final Map<String, String> variables = new LinkedHashMap<>();
        private final Set<String> secrets = new LinkedHashSet<>();
        private @Nullable Role role;
        private @Nullable Gate approval;
        private boolean isProtected;
        private CircleCiOptions.Builder circleci = CircleCiOptions.builder();
        private final Problems problems = new Problems();

        private Builder(String name) {
            this.name = name;
        }

        /** What the environment is for, in words. */
        @CanIgnoreReturnValue
        public Builder description(String description) {
            if (problems.nonNull(description, "description")) {
                this.description = description;
            }
            return this;
        }

        /** Only these branches (exact names or {@code /regex/}) may deploy here. Replaces. */
        @CanIgnoreReturnValue
        public Builder branches(String... patterns) {
            filter.onlyBranches(patterns);
            return this;
        }

        /** These tags may deploy here too (without, no tag does). Replaces. */
        @CanIgnoreReturnValue
        public Builder tags(String... patterns) {
            filter.onlyTags(patterns);
            return this;
        }

        /** Adjusts the filter in place: <code>filter(f -&gt; f.ignoreBranches("/wip-.*&#47;"))</code>. */
        @CanIgnoreReturnValue
        public Builder filter(Consumer<Filter.Builder> adjust) {
            if (problems.nonNull(adjust, "filter")) {
                adjust.accept(filter);
            }
            return this;
        }

        /** Changes reach this environment after passing through {@code previous}. */
        @CanIgnoreReturnValue
        public Builder promotedFrom(Environment previous) {
            if (problems.nonNull(previous, "promotedFrom")) {
                promotedFrom = previous;
            }
            return this;
        }

        /**
         * Sets a configuration variable. Names start with a letter or {@code _}, hold letters,
         * digits and {@code _}, and must not start with {@code CIRCLE_}.
         */
        @CanIgnoreReturnValue
        public Builder putVariable(String key, String value) {
            if (problems.nonNull(key, "variables") && problems.nonNull(value, "variables." + key)) {
                problems.checkVariableName(key, "variables");
                variables.put(key, value);
            }
            return this;
        }

        /** Replaces the variables. */
        @CanIgnoreReturnValue
        public Builder variables(Map<String, String> variables) {
            this.variables.clear();
            if (problems.nonNull(variables, "variables")) {
                variables.forEach(this::putVariable);
            }
            return this;
        }

        /** Replaces the names of secret variables supplied at run time. */
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

        /** The role that deploys here. */
        @CanIgnoreReturnValue
        public Builder role(Role role) {
            if (problems.nonNull(role, "role")) {
                this.role = role;
            }
            return this;
        }

        /** Entering needs a manual approval named {@code approve-<environment>}. */
        @CanIgnoreReturnValue
        public Builder approval() {
            return approval(a -> { });
        }

        /** Entering needs a manual approval with these details. */
        @CanIgnoreReturnValue
        public Builder approval(Consumer<Gate.Builder> details) {
            if (problems.nonNull(details, "approval")) {
                try {
                    approval = Gate.manualApproval(a -> {
                        a.name("approve-" + name);
                        details.accept(a);
                    });
                } catch (InvalidPipelineException e) {
                    problems.addAll(e.problems(), "approval");
                }
            }
            return this;
        }

        /** Entering needs this manual approval gate. */
        @CanIgnoreReturnValue
        public Builder approval(Gate gate) {
            if (problems.nonNull(gate, "approval")) {
                if (!gate.isManualApproval()) {
                    problems.add("approval", gate + " is not a manual approval.",
                            "Use Gate.manualApproval(...); put checks on the stages.");
                } else {
                    approval = gate;
                }
            }
            return this;
        }

        /**
         * Protects the environment; {@code build()} then requires an approval and a branch
         * restriction (for tag-only deploys, ignore every branch).
         */
        @CanIgnoreReturnValue
        public Builder protect() {
            isProtected = true;
            return this;
        }

        /** CircleCI options for every stage in this environment, typically its context. */
        @CanIgnoreReturnValue
        public Builder circleci(Consumer<CircleCiOptions.Builder> options) {
            if (problems.nonNull(options, "circleci")) {
                options.accept(circleci);
            }
            return this;
        }

        /**
         * The environment.
         *
         * @throws InvalidPipelineException listing every problem
         */
        public Environment build() {
            Problems all = new Problems();
            all.checkName(name, "name");
            all.addAll(problems.list(), "");
            all.addAll(filter.problems(), "filter");
            all.addAll(circleci.problems(), "circleci");
            all.checkSecretsAreNotVariables(secrets, variables);
            if (isProtected) {
                if (approval == null) {
                    all.add("protect", "a protected environment needs an approval to enter it, but none was given.",
                            "Add .approval(...) or drop .protect().");
                }
                Filter f = filter.buildLenient();
                if (!f.restrictsBranches()) {
                    all.add("protect", "a protected environment accepts deploys from every branch.",
                            "Restrict it with .branches(...); for tag-only deploys add"
                                    + " .filter(f -> f.ignoreBranches(\"/.*/\")).");
                }
            }
            all.throwIfAny("Environment " + Problems.quote(name));
            return new Environment(this);
        }
    }
}
