package dev.pipewright.circleci;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import dev.pipewright.CircleCiOptions;
import dev.pipewright.Environment;
import dev.pipewright.Filter;
import dev.pipewright.Gate;
import dev.pipewright.OrbStep;
import dev.pipewright.Pipeline;
import dev.pipewright.Role;
import dev.pipewright.ShellStep;
import dev.pipewright.Stage;
import dev.pipewright.Step;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import javax.lang.model.element.Modifier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline a configuration is the compiled form of, when it is one: its jobs are stages, its
 * approval jobs are gates, the contexts and branch filters of its deploy jobs are environments,
 * the {@code aws-cli/setup} role steps are roles.
 *
 * <p>The configuration is read into a plan ({@link Plan}), the plan is built into a
 * {@link Pipeline}, and the pipeline is compiled with {@link CircleCiCompiler}: the plan is used
 * only when the compiled data equals the configuration's. The same plan writes the source, call
 * for call as it built the pipeline, so the class builds that pipeline.
 */
final class ImportPipeline {
    private static final Logger LOG = LoggerFactory.getLogger(ImportPipeline.class);
    private static final Set<String> ROOT_KEYS = Set.of("version", "orbs", "executors", "jobs", "workflows");
    private static final Set<String> JOB_KEYS = Set.of("docker", "machine", "executor", "resource_class",
            "environment", "steps");
    private static final Set<String> ENVIRONMENT_WORDS = Set.of("dev", "development", "develop", "test", "testing",
            "qa", "uat", "integration", "stage", "staging", "preprod", "prod", "production", "live", "sandbox", "demo",
            "preview");
    private static final String ROLE_STEP = "aws-cli/setup";
    private static final String IAM_ROLE = "arn:aws:iam::";

    private final Plan plan;

    private ImportPipeline(Plan plan) {
        this.plan = plan;
    }

    // ---------------------------------------------------------------------------------------------
    // The plan

    /** A branch and tag filter, patterns as written. */
    record RefFilter(List<String> onlyBranches, List<String> ignoreBranches, List<String> onlyTags,
            List<String> ignoreTags) {
        static final RefFilter NONE = new RefFilter(List.of(), List.of(), List.of(), List.of());

        boolean isEmpty() {
            return equals(NONE);
        }

        boolean hasTags() {
            return !onlyTags.isEmpty() || !ignoreTags.isEmpty();
        }
    }

    /**
     * An environment: its filter and contexts, the variables all its stages have, the role all of
     * them act as (an ARN, or null), and whether entering it needs its approval.
     */
    record EnvironmentPlan(String name, String constant, RefFilter filter, List<String> contexts,
            Map<String, String> variables, @Nullable String role, boolean approval) {
    }

    /** A role assumed through OIDC. */
    record RolePlan(String name, String constant, String arn) {
    }

    /** A shell step, or an orb step when {@code orb} is set. */
    record StepPlan(String command, @Nullable String name, @Nullable String shell, Map<String, String> environment,
            @Nullable String workingDirectory, @Nullable Map<String, Object> orb) {
    }

    /** The executor of a stage or the pipeline: a Docker image and services, a machine, or a named executor. */
    record ExecutorPlan(String kind, String image, List<String> services) {
    }

    /**
     * A stage: what its job, its workflow entry and the approval entries before it say; a deploy
     * stage gets its environment's role and approval through {@code deploy(...)}.
     */
    record StagePlan(String name, boolean deploy, List<String> needs, @Nullable String environment, List<String> roles,
            List<String> approvals, RefFilter filter, List<String> contexts, Map<String, String> variables,
            @Nullable ExecutorPlan executor, @Nullable String resourceClass, @Nullable String attachWorkspace,
            List<String> restoreCache, List<StepPlan> steps, List<StepPlan> onFailure,
            List<Map.Entry<String, List<String>>> saveCaches, List<Map.Entry<String, List<String>>> persist,
            List<String> testResults, List<String> artifacts) {
    }

    /** The whole pipeline. */
    record Plan(String name, @Nullable ExecutorPlan executor, @Nullable String resourceClass, Map<String, String> orbs,
            List<EnvironmentPlan> environments, List<RolePlan> roles, List<StagePlan> stages) {
    }

    /**
     * The pipeline {@code config} compiles from, if it has environments, gates or roles and its
     * compiled data is the configuration's data.
     */
    static Optional<ImportPipeline> of(CircleCiConfig config) {
        Optional<Plan> plan;
        try {
            plan = plan(config);
        } catch (RuntimeException e) {
            LOG.debug("{} is no pipeline's configuration: {}", config.file(), e.toString());
            return Optional.empty();
        }
        if (plan.isEmpty() || plan.get().environments().isEmpty() && plan.get().roles().isEmpty()
                && plan.get().stages().stream().allMatch(s -> s.approvals().isEmpty())) {
            return Optional.empty();
        }
        try {
            Pipeline pipeline = build(plan.get());
            return CircleCiCompiler.compile(pipeline).data().equals(config.data())
                    ? Optional.of(new ImportPipeline(plan.get())) : Optional.empty();
        } catch (RuntimeException e) {
            // A value the DSL refuses (a name, a pattern): the configuration is no pipeline's.
            LOG.debug("{} is no pipeline's configuration: {}", config.file(), e.toString());
            return Optional.empty();
        }
    }

    private static Optional<Plan> plan(CircleCiConfig config) {
        Map<String, @Nullable Object> data = config.data();
        if (!ROOT_KEYS.containsAll(data.keySet()) || !config.version().equals(Optional.of(Version.V2_1))
                || config.workflows().size() != 1 || config.workflowsVersion().isPresent()) {
            return Optional.empty();
        }
        Map<String, String> orbs = new LinkedHashMap<>();
        for (Map.Entry<String, Orb> e : config.orbs().entrySet()) {
            if (!(e.getValue() instanceof OrbReference r)) {
                return Optional.empty();
            }
            orbs.put(e.getKey(), r.reference());
        }
        ExecutorPlan shared = null;
        String sharedClass = null;
        if (!config.executors().isEmpty()) {
            Executor e = config.executors().get("default");
            if (e == null || config.executors().size() != 1 || !Set.of("docker", "machine", "resource_class")
                    .containsAll(e.toData().keySet())) {
                return Optional.empty();
            }
            Optional<ExecutorPlan> executor = executor(e.docker(), e.machine());
            if (executor.isEmpty()) {
                return Optional.empty();
            }
            shared = executor.get();
            sharedClass = e.resourceClass().orElse(null);
        }
        Map.Entry<String, Workflow> workflow = config.workflows().entrySet().iterator().next();
        if (!workflow.getValue().toData().keySet().equals(Set.of("jobs"))) {
            return Optional.empty();
        }
        Optional<List<StagePlan>> stages = stages(workflow.getValue(), config, shared != null);
        if (stages.isEmpty()) {
            return Optional.empty();
        }
        List<EnvironmentPlan> environments = new ArrayList<>();
        List<StagePlan> placed = environments(stages.get(), environments);
        List<RolePlan> roles = new ArrayList<>();
        ImportNames.Scope constants = new ImportNames.Scope();
        environments.forEach(e -> constants.reserve(e.constant()));
        for (StagePlan s : placed) {
            for (String arn : s.roles()) {
                // a role an environment deploys with is declared by the environment
                if (roles.stream().noneMatch(r -> r.arn().equals(arn))) {
                    String name = roleName(arn, roles.size());
                    roles.add(new RolePlan(name, constants.take(ImportNames.constant(name, "ROLE"), "_ROLE"), arn));
                }
            }
        }
        return Optional.of(new Plan(workflow.getKey(), shared, sharedClass, orbs, environments, roles, placed));
    }

    /** A role's name from its ARN: {@code arn:aws:iam::1:role/deploy-prod} gives {@code deploy-prod}. */
    private static String roleName(String arn, int index) {
        String last = arn.substring(arn.lastIndexOf('/') + 1).replaceAll("[^A-Za-z0-9_-]", "-");
        return last.matches("[A-Za-z][A-Za-z0-9_-]{0,127}") ? last : "role-" + (index + 1);
    }

    private static Optional<ExecutorPlan> executor(List<DockerImage> docker, Optional<Machine> machine) {
        if (!docker.isEmpty() && machine.isEmpty()) {
            List<String> images = new ArrayList<>();
            for (DockerImage image : docker) {
                if (image.image().isEmpty() || image.toData().size() != 1) {
                    return Optional.empty();
                }
                images.add(image.image().get());
            }
            return Optional.of(new ExecutorPlan("docker", images.get(0), images.subList(1, images.size())));
        }
        if (docker.isEmpty() && machine.isPresent() && machine.get().image().isPresent()
                && machine.get().toValue() instanceof Map<?, ?> m && m.size() == 1) {
            return Optional.of(new ExecutorPlan("machine", machine.get().image().get(), List.of()));
        }
        return Optional.empty();
    }

    /** An approval job seen in the workflow, waiting for the stage it gates. */
    private record Approval(String name, List<String> requires, Optional<Filters> filters) {
    }

    private static Optional<List<StagePlan>> stages(Workflow workflow, CircleCiConfig config, boolean shared) {
        List<StagePlan> stages = new ArrayList<>();
        List<Approval> pending = new ArrayList<>();
        Set<String> used = new LinkedHashSet<>();
        for (WorkflowJob entry : workflow.jobs()) {
            Map<?, ?> body = (Map<?, ?>) entry.toData().get(entry.job());
            Optional<List<String>> requires = plainRequires(entry);
            if (requires.isEmpty()) {
                return Optional.empty();
            }
            if (entry.type().equals(Optional.of(JobType.APPROVAL))) {
                if (!Set.of("type", "requires", "filters").containsAll(body.keySet())
                        || config.jobs().containsKey(entry.job())) {
                    return Optional.empty();
                }
                pending.add(new Approval(entry.job(), requires.get(), entry.filters()));
                continue;
            }
            Job job = config.jobs().get(entry.job());
            if (job == null || !used.add(entry.job()) || !Set.of("context", "requires", "filters")
                    .containsAll(body.keySet())) {
                return Optional.empty();
            }
            List<String> needs = requires.get();
            List<String> approvals = new ArrayList<>();
            for (int i = 0; i < pending.size(); i++) {
                Approval a = pending.get(i);
                boolean chained = i == 0 || a.requires().equals(List.of(pending.get(i - 1).name()));
                if (!chained || !a.filters().equals(entry.filters())) {
                    return Optional.empty();
                }
                approvals.add(a.name());
            }
            if (!pending.isEmpty()) {
                if (!needs.equals(List.of(pending.get(pending.size() - 1).name()))) {
                    return Optional.empty();
                }
                needs = pending.get(0).requires();
                pending.clear();
            }
            Optional<RefFilter> filter = entry.filters().isEmpty() ? Optional.of(RefFilter.NONE)
                    : patterns(entry.filters().get());
            List<String> stageNeeds = needs;
            Optional<StagePlan> stage = filter.flatMap(f -> stage(entry.job(), job, stageNeeds, approvals, f,
                    entry.context(), shared));
            if (stage.isEmpty()) {
                return Optional.empty();
            }
            stages.add(stage.get());
        }
        return pending.isEmpty() && used.equals(config.jobs().keySet()) ? Optional.of(stages) : Optional.empty();
    }

    private static Optional<List<String>> plainRequires(WorkflowJob entry) {
        List<String> names = new ArrayList<>();
        for (Requirement r : entry.requires()) {
            if (r.status().isPresent() || r.isStatusList()) {
                return Optional.empty();
            }
            names.add(r.job());
        }
        return Optional.of(names);
    }

    private static Optional<RefFilter> patterns(Filters filters) {
        if (!(filters instanceof PatternFilters p) || !p.extra().isEmpty()) {
            return Optional.empty();
        }
        Patterns none = Patterns.builder().build();
        Patterns branches = p.branches().orElse(none);
        Patterns tags = p.tags().orElse(none);
        if (!branches.extra().isEmpty() || !tags.extra().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new RefFilter(branches.only(), branches.ignore(), tags.only(), tags.ignore()));
    }

    private static Optional<StagePlan> stage(String name, Job job, List<String> needs, List<String> approvals,
            RefFilter filter, List<String> contexts, boolean shared) {
        if (!JOB_KEYS.containsAll(job.toData().keySet())) {
            return Optional.empty();
        }
        ExecutorPlan executor;
        if (job.executor().isPresent()) {
            ExecutorReference e = job.executor().get();
            if (e.isMapping() || !job.docker().isEmpty() || job.machine().isPresent()) {
                return Optional.empty();
            }
            executor = shared && e.name().equals("default") ? null : new ExecutorPlan("executor", e.name(), List.of());
        } else {
            Optional<ExecutorPlan> own = executor(job.docker(), job.machine());
            if (own.isEmpty()) {
                return Optional.empty();
            }
            executor = own.get().equals(new ExecutorPlan("docker", CircleCiCompiler.DEFAULT_IMAGE, List.of())) && !shared
                    ? null : own.get();
        }
        Map<String, String> variables = new LinkedHashMap<>();
        if (job.environment().isPresent()) {
            if (!(job.environment().get() instanceof EnvironmentVariables.Mapping m) || !strings(m.values(), variables)) {
                return Optional.empty();
            }
        }
        List<CircleCiStep> steps = job.steps();
        int i = 0;
        if (steps.isEmpty() || !(steps.get(0) instanceof CheckoutStep checkout) || !checkout.toData().equals(
                CircleCiStep.checkout().toData())) {
            return Optional.empty();
        }
        i++;
        String attach = null;
        if (i < steps.size() && steps.get(i) instanceof AttachWorkspaceStep a && a.extra().isEmpty()
                && a.name().isEmpty() && a.at().isPresent()) {
            attach = a.at().get();
            i++;
        }
        List<String> restore = List.of();
        if (i < steps.size() && steps.get(i) instanceof RestoreCacheStep r && r.toData().equals(
                CircleCiStep.restoreCache(r.keys()).toData()) && !r.keys().isEmpty()) {
            restore = r.keys();
            i++;
        }
        List<String> roles = new ArrayList<>();
        while (i < steps.size() && steps.get(i) instanceof CommandStep c && c.name().equals(ROLE_STEP)
                && c.arguments().keySet().equals(Set.of("role_arn", "role_session_name"))
                && c.arguments().get("role_arn") instanceof String arn && arn.startsWith(IAM_ROLE)) {
            roles.add(arn);
            i++;
        }
        List<StepPlan> body = new ArrayList<>();
        List<StepPlan> onFailure = new ArrayList<>();
        for (; i < steps.size(); i++) {
            Optional<StepPlan> step = step(steps.get(i));
            if (step.isEmpty()) {
                break;
            }
            boolean failing = steps.get(i) instanceof RunStep r && r.when().isPresent();
            if (!failing && !onFailure.isEmpty()) {
                return Optional.empty();
            }
            (failing ? onFailure : body).add(step.get());
        }
        List<Map.Entry<String, List<String>>> saves = new ArrayList<>();
        for (; i < steps.size() && steps.get(i) instanceof SaveCacheStep s && s.toData().equals(
                CircleCiStep.saveCache(s.key().orElse(""), s.paths()).toData()) && !s.paths().isEmpty(); i++) {
            saves.add(Map.entry(s.key().orElseThrow(), s.paths()));
        }
        List<Map.Entry<String, List<String>>> persist = new ArrayList<>();
        for (; i < steps.size() && steps.get(i) instanceof PersistToWorkspaceStep s && s.toData().equals(
                CircleCiStep.persistToWorkspace(s.root().orElse(""), s.paths()).toData()) && !s.paths().isEmpty(); i++) {
            persist.add(Map.entry(s.root().orElseThrow(), s.paths()));
        }
        List<String> results = new ArrayList<>();
        for (; i < steps.size() && steps.get(i) instanceof StoreTestResultsStep s && s.path().isPresent()
                && s.toData().equals(CircleCiStep.storeTestResults(s.path().get()).toData()); i++) {
            results.add(s.path().get());
        }
        List<String> artifacts = new ArrayList<>();
        for (; i < steps.size() && steps.get(i) instanceof StoreArtifactsStep s && s.path().isPresent()
                && s.toData().equals(CircleCiStep.storeArtifacts(s.path().get()).toData()); i++) {
            artifacts.add(s.path().get());
        }
        if (i < steps.size()) {
            return Optional.empty();
        }
        return Optional.of(new StagePlan(name, false, needs, null, roles, approvals, filter, contexts, variables, executor,
                job.resourceClass().orElse(null), attach, restore, body, onFailure, saves, persist, results, artifacts));
    }

    private static boolean strings(Map<String, @Nullable Object> values, Map<String, String> into) {
        for (Map.Entry<String, @Nullable Object> e : values.entrySet()) {
            if (!(e.getValue() instanceof String s)) {
                return false;
            }
            into.put(e.getKey(), s);
        }
        return true;
    }

    /** A run step as a shell step, an orb command as an orb step; empty for anything else. */
    private static Optional<StepPlan> step(CircleCiStep step) {
        if (step instanceof RunStep r) {
            Map<String, String> environment = new LinkedHashMap<>();
            boolean plain = r.extra().isEmpty() && r.command().isPresent() && r.background().isEmpty()
                    && r.noOutputTimeout().isEmpty() && r.maxAutoReruns().isEmpty() && r.autoRerunDelay().isEmpty()
                    && r.when().map("on_fail"::equals).orElse(true)
                    && (r.environment().isEmpty() || r.environment().get() instanceof EnvironmentVariables.Mapping m
                            && strings(m.values(), environment));
            return plain ? Optional.of(new StepPlan(r.command().get(), r.name().orElse(null), r.shell().orElse(null),
                    environment, r.workingDirectory().orElse(null), null)) : Optional.empty();
        }
        if (step instanceof CommandStep c && c.isOrbCommand()) {
            Map<String, Object> arguments = new LinkedHashMap<>();
            for (Map.Entry<String, @Nullable Object> e : c.arguments().entrySet()) {
                if (!(e.getValue() instanceof String || e.getValue() instanceof Boolean)) {
                    return Optional.empty(); // numbers compile as Integer, which is not the data's Long
                }
                arguments.put(e.getKey(), e.getValue());
            }
            return Optional.of(new StepPlan(c.name(), null, null, Map.of(), null, arguments));
        }
        return Optional.empty();
    }

    /**
     * Groups the stages that share contexts and a filter into environments, named after the
     * environment word their contexts or names hold ({@code staging}). An environment takes the
     * variables its stages all have and the role they all act as; its approval when a stage's only
     * gate is named {@code approve-<environment>}. A stage with the environment's gates and role
     * deploys there. Returns the stages placed in them.
     */
    private static List<StagePlan> environments(List<StagePlan> stages, List<EnvironmentPlan> into) {
        Map<List<Object>, List<StagePlan>> groups = new LinkedHashMap<>();
        for (StagePlan s : stages) {
            if (!s.contexts().isEmpty()) {
                groups.computeIfAbsent(List.of(s.contexts(), s.filter()), k -> new ArrayList<>()).add(s);
            }
        }
        ImportNames.Scope names = new ImportNames.Scope();
        ImportNames.Scope constants = new ImportNames.Scope();
        Map<String, EnvironmentPlan> environmentOf = new LinkedHashMap<>();
        for (List<StagePlan> group : groups.values()) {
            StagePlan first = group.get(0);
            String name = names.take(environmentName(first.contexts(), group), "-env");
            Map<String, String> variables = new LinkedHashMap<>(first.variables());
            group.forEach(s -> variables.entrySet().removeIf(v -> !v.getValue().equals(s.variables().get(v.getKey()))));
            String role = first.roles().size() == 1 && group.stream().allMatch(s -> s.roles().equals(first.roles()))
                    ? first.roles().get(0) : null;
            boolean approval = group.stream().anyMatch(s -> deploys(s, name, role, true));
            EnvironmentPlan environment = new EnvironmentPlan(name, constants.take(ImportNames.constant(name,
                    "ENVIRONMENT"), "_ENVIRONMENT"), first.filter(), first.contexts(), variables, role, approval);
            into.add(environment);
            group.forEach(s -> environmentOf.put(s.name(), environment));
        }
        List<StagePlan> placed = new ArrayList<>();
        for (StagePlan s : stages) {
            EnvironmentPlan e = environmentOf.get(s.name());
            if (e == null) {
                placed.add(s);
                continue;
            }
            Map<String, String> own = new LinkedHashMap<>(s.variables());
            own.keySet().removeAll(e.variables().keySet());
            placed.add(new StagePlan(s.name(), deploys(s, e.name(), e.role(), e.approval()), s.needs(), e.name(), s.roles(),
                    s.approvals(), s.filter().hasTags() ? s.filter() : RefFilter.NONE, List.of(), own, s.executor(),
                    s.resourceClass(), s.attachWorkspace(), s.restoreCache(), s.steps(), s.onFailure(), s.saveCaches(),
                    s.persist(), s.testResults(), s.artifacts()));
        }
        return placed;
    }

    /**
     * Whether a stage deploys to the environment: its gates are the environment's approval, if it
     * has one, and its roles the environment's.
     */
    private static boolean deploys(StagePlan s, String environment, @Nullable String role, boolean approval) {
        return s.approvals().equals(approval ? List.of("approve-" + environment) : List.of())
                && s.roles().equals(role == null ? List.of() : List.of(role));
    }

    private static String environmentName(List<String> contexts, List<StagePlan> stages) {
        List<String> texts = new ArrayList<>(contexts);
        stages.forEach(s -> texts.add(s.name()));
        for (String text : texts) {
            for (String word : text.toLowerCase(Locale.ROOT).split("[^a-z0-9]+")) {
                if (ENVIRONMENT_WORDS.contains(word)) {
                    return word;
                }
            }
        }
        String context = contexts.get(0).replaceAll("[^A-Za-z0-9_-]", "-");
        return context.matches("[A-Za-z][A-Za-z0-9_-]{0,127}") ? context : "environment";
    }

    // ---------------------------------------------------------------------------------------------
    // The plan built into a pipeline, and written as source: keep the two in step.

    private static Pipeline build(Plan plan) {
        Map<String, Role> roles = new LinkedHashMap<>();
        plan.roles().forEach(r -> roles.put(r.arn(), Role.named(r.name()).assumes(r.arn()).build()));
        Map<String, Environment> environments = new LinkedHashMap<>();
        for (EnvironmentPlan e : plan.environments()) {
            Environment.Builder b = Environment.named(e.name());
            filter(e.filter(), b::branches, b::tags, b::filter);
            e.variables().forEach(b::putVariable);
            if (e.role() != null) {
                b.role(roles.get(e.role()));
            }
            if (e.approval()) {
                b.approval();
            }
            b.circleci(c -> e.contexts().forEach(c::context));
            environments.put(e.name(), b.build());
        }
        Pipeline.Draft draft = Pipeline.named(plan.name());
        if (!environments.isEmpty()) {
            draft.environments(environments.values().toArray(Environment[]::new));
        }
        plan.roles().stream().filter(r -> !ownedByEnvironment(plan, r)).forEach(r -> draft.role(roles.get(r.arn())));
        if (plan.executor() != null || plan.resourceClass() != null || !plan.orbs().isEmpty()) {
            draft.circleci(c -> options(c, plan.executor(), plan.resourceClass(), plan.orbs()));
        }
        Pipeline.Builder pipeline = null;
        for (StagePlan s : plan.stages()) {
            pipeline = s.deploy() ? draft.deploy(s.name(), environments.get(s.environment()),
                    b -> stage(b, s, environments, roles)) : draft.stage(s.name(), b -> stage(b, s, environments, roles));
        }
        return Objects.requireNonNull(pipeline, "a pipeline has stages").build();
    }

    private static void filter(RefFilter p, Consumer<String[]> branches, Consumer<String[]> tags,
            Consumer<Consumer<Filter.Builder>> adjust) {
        if (!p.ignoreBranches().isEmpty() || !p.ignoreTags().isEmpty()) {
            adjust.accept(f -> {
                if (!p.onlyBranches().isEmpty()) {
                    f.onlyBranches(p.onlyBranches().toArray(String[]::new));
                }
                if (!p.ignoreBranches().isEmpty()) {
                    f.ignoreBranches(p.ignoreBranches().toArray(String[]::new));
                }
                if (!p.onlyTags().isEmpty()) {
                    f.onlyTags(p.onlyTags().toArray(String[]::new));
                }
                if (!p.ignoreTags().isEmpty()) {
                    f.ignoreTags(p.ignoreTags().toArray(String[]::new));
                }
            });
            return;
        }
        if (!p.onlyBranches().isEmpty()) {
            branches.accept(p.onlyBranches().toArray(String[]::new));
        }
        if (!p.onlyTags().isEmpty()) {
            tags.accept(p.onlyTags().toArray(String[]::new));
        }
    }

    private static void options(CircleCiOptions.Builder c, @Nullable ExecutorPlan executor, @Nullable String resourceClass,
            Map<String, String> orbs) {
        if (executor != null) {
            switch (executor.kind()) {
                case "docker" -> c.docker(executor.image(), executor.services().toArray(String[]::new));
                case "machine" -> c.machine(executor.image());
                default -> c.executor(executor.image());
            }
        }
        if (resourceClass != null) {
            c.resourceClass(resourceClass);
        }
        orbs.forEach(c::orb);
    }

    private static boolean hasOptions(StagePlan s) {
        return s.executor() != null || s.resourceClass() != null || !s.contexts().isEmpty() || s.attachWorkspace() != null
                || !s.restoreCache().isEmpty() || !s.saveCaches().isEmpty() || !s.persist().isEmpty()
                || !s.testResults().isEmpty() || !s.artifacts().isEmpty();
    }

    private static boolean ownedByEnvironment(Plan plan, RolePlan role) {
        return plan.environments().stream().anyMatch(e -> role.arn().equals(e.role()));
    }

    /** The stage's details; a deploy stage's environment, role and approval come with {@code deploy(...)}. */
    private static void stage(Stage.Builder b, StagePlan s, Map<String, Environment> environments,
            Map<String, Role> roles) {
        if (!s.needs().isEmpty()) {
            b.needs(s.needs().toArray(String[]::new));
        }
        if (s.deploy()) {
            stageRest(b, s);
            return;
        }
        if (s.environment() != null) {
            b.in(environments.get(s.environment()));
        }
        s.roles().forEach(arn -> b.as(roles.get(arn)));
        for (String approval : s.approvals()) {
            b.gate(approval.equals("approve-" + s.name()) ? Gate.manualApproval()
                    : Gate.manualApproval(g -> g.name(approval)));
        }
        stageRest(b, s);
    }

    private static void stageRest(Stage.Builder b, StagePlan s) {
        filter(s.filter(), b::branches, b::tags, b::filter);
        s.variables().forEach(b::putVariable);
        if (hasOptions(s)) {
            b.circleci(c -> {
                options(c, s.executor(), s.resourceClass(), Map.of());
                s.contexts().forEach(c::context);
                if (s.attachWorkspace() != null) {
                    c.attachWorkspace(s.attachWorkspace());
                }
                if (!s.restoreCache().isEmpty()) {
                    c.restoreCache(s.restoreCache().toArray(String[]::new));
                }
                s.saveCaches().forEach(e -> c.saveCache(e.getKey(), e.getValue().toArray(String[]::new)));
                s.persist().forEach(e -> c.persistToWorkspace(e.getKey(), e.getValue().toArray(String[]::new)));
                s.testResults().forEach(c::storeTestResults);
                s.artifacts().forEach(c::storeArtifacts);
            });
        }
        for (StepPlan step : s.steps()) {
            if (step.orb() != null) {
                b.step(OrbStep.of(step.command(), step.orb()));
            } else if (plainRun(step)) {
                b.run(step.command());
            } else {
                b.run(step.command(), r -> shellDetails(r, step));
            }
        }
        if (!s.onFailure().isEmpty()) {
            b.onFailure(s.onFailure().stream().map(ImportPipeline::shellStep).toArray(Step[]::new));
        }
    }

    private static boolean plainRun(StepPlan step) {
        return step.name() == null && step.shell() == null && step.environment().isEmpty()
                && step.workingDirectory() == null;
    }

    private static void shellDetails(ShellStep.Builder r, StepPlan step) {
        if (step.name() != null) {
            r.name(step.name());
        }
        if (step.shell() != null) {
            r.shell(step.shell());
        }
        step.environment().forEach(r::putEnvironment);
        if (step.workingDirectory() != null) {
            r.workingDirectory(step.workingDirectory());
        }
    }

    private static Step shellStep(StepPlan step) {
        if (step.orb() != null) {
            return OrbStep.of(step.command(), step.orb());
        }
        ShellStep.Builder r = ShellStep.builder(step.command());
        shellDetails(r, step);
        return r.build();
    }

    /** The class: environments and roles as constants, {@code pipeline()}, and a {@code main} printing its YAML. */
    /** The names of the pipeline's environments, in order. */
    List<String> environments() {
        return plan.environments().stream().map(EnvironmentPlan::name).toList();
    }

    TypeSpec type(String className, String origin) {
        ImportCode code = new ImportCode(ImportAnchors.NONE);
        TypeSpec.Builder type = TypeSpec.classBuilder(className)
                .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
                .addJavadoc("The delivery pipeline that {@code $L} is the CircleCI form of: {@link #pipeline()} builds it,\n"
                        + "{@link #main} prints its CircleCI configuration.\n\n"
                        + "<p>Imported by Pipewright: {@code circleci import $L}.\n", origin, origin);
        for (RolePlan r : plan.roles()) {
            type.addField(FieldSpec.builder(Role.class, r.constant(), Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                    .initializer("$T.named($S).assumes($S).build()", Role.class, r.name(), r.arn()).build());
        }
        for (EnvironmentPlan e : plan.environments()) {
            CodeBlock.Builder b = CodeBlock.builder().add("$T.named($S)", Environment.class, e.name());
            filterCode(b, e.filter());
            e.variables().forEach((k, v) -> b.add(".putVariable($S, $S)", k, v));
            if (e.role() != null) {
                b.add(".role($N)", roleConstant(e.role()));
            }
            if (e.approval()) {
                b.add(".approval()");
            }
            if (!e.contexts().isEmpty()) {
                b.add(".circleci(c -> c$L)", contexts(e.contexts()));
            }
            type.addField(FieldSpec.builder(Environment.class, e.constant(), Modifier.PRIVATE, Modifier.STATIC,
                    Modifier.FINAL).initializer("$L.build()", b.build()).build());
        }
        CodeBlock.Builder pipeline = CodeBlock.builder().add("return $T.named($S)", Pipeline.class, plan.name());
        if (!plan.environments().isEmpty()) {
            pipeline.add(".environments($L)", CodeBlock.join(plan.environments().stream()
                    .map(e -> CodeBlock.of("$N", e.constant())).toList(), ", "));
        }
        plan.roles().stream().filter(r -> !ownedByEnvironment(plan, r)).forEach(r -> pipeline.add(".role($N)",
                r.constant()));
        if (plan.executor() != null || plan.resourceClass() != null || !plan.orbs().isEmpty()) {
            pipeline.add(".circleci(c -> c$L)", optionsCode(plan.executor(), plan.resourceClass(), plan.orbs()));
        }
        for (StagePlan s : plan.stages()) {
            CodeBlock details = stageCode(s, code);
            CodeBlock lambda = details.isEmpty() ? CodeBlock.of("s -> {}") : CodeBlock.of("s -> s$L", details);
            if (!s.deploy()) {
                pipeline.add(".stage($S, $L)", s.name(), lambda);
            } else if (s.name().equals("deploy-" + s.environment())) {
                pipeline.add(".deploy($N, $L)", environmentConstant(s.environment()), lambda);
            } else {
                pipeline.add(".deploy($S, $N, $L)", s.name(), environmentConstant(s.environment()), lambda);
            }
        }
        pipeline.add(".build()");
        type.addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE).build());
        type.addMethod(MethodSpec.methodBuilder("pipeline").addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .addJavadoc("The pipeline.\n").returns(Pipeline.class).addStatement(pipeline.build()).build());
        type.addMethod(ImportSource.main(className, CodeBlock.of("$T.generate(pipeline())", CircleCiCompiler.class)));
        if (code.usesNullableMap()) {
            type.addMethod(ImportSource.nullableMap());
        }
        return type.build();
    }

    private static CodeBlock strings(List<String> values) {
        return CodeBlock.join(values.stream().map(v -> CodeBlock.of("$S", v)).toList(), ", ");
    }

    private static CodeBlock contexts(List<String> contexts) {
        return CodeBlock.join(contexts.stream().map(x -> CodeBlock.of(".context($S)", x)).toList(), "");
    }

    private static void filterCode(CodeBlock.Builder b, RefFilter p) {
        if (!p.ignoreBranches().isEmpty() || !p.ignoreTags().isEmpty()) {
            CodeBlock.Builder f = CodeBlock.builder();
            if (!p.onlyBranches().isEmpty()) {
                f.add(".onlyBranches($L)", strings(p.onlyBranches()));
            }
            if (!p.ignoreBranches().isEmpty()) {
                f.add(".ignoreBranches($L)", strings(p.ignoreBranches()));
            }
            if (!p.onlyTags().isEmpty()) {
                f.add(".onlyTags($L)", strings(p.onlyTags()));
            }
            if (!p.ignoreTags().isEmpty()) {
                f.add(".ignoreTags($L)", strings(p.ignoreTags()));
            }
            b.add(".filter(f -> f$L)", f.build());
            return;
        }
        if (!p.onlyBranches().isEmpty()) {
            b.add(".branches($L)", strings(p.onlyBranches()));
        }
        if (!p.onlyTags().isEmpty()) {
            b.add(".tags($L)", strings(p.onlyTags()));
        }
    }

    private static CodeBlock optionsCode(@Nullable ExecutorPlan executor, @Nullable String resourceClass,
            Map<String, String> orbs) {
        CodeBlock.Builder c = CodeBlock.builder();
        if (executor != null) {
            switch (executor.kind()) {
                case "docker" -> c.add(".docker($L)", strings(concat(executor.image(), executor.services())));
                case "machine" -> c.add(".machine($S)", executor.image());
                default -> c.add(".executor($S)", executor.image());
            }
        }
        if (resourceClass != null) {
            c.add(".resourceClass($S)", resourceClass);
        }
        orbs.forEach((alias, reference) -> c.add(".orb($S, $S)", alias, reference));
        return c.build();
    }

    private static List<String> concat(String first, List<String> rest) {
        List<String> all = new ArrayList<>();
        all.add(first);
        all.addAll(rest);
        return all;
    }

    private CodeBlock stageCode(StagePlan s, ImportCode code) {
        CodeBlock.Builder b = CodeBlock.builder();
        if (!s.needs().isEmpty()) {
            b.add(".needs($L)", strings(s.needs()));
        }
        if (s.deploy()) {
            return stageRestCode(b, s, code);
        }
        if (s.environment() != null) {
            b.add(".in($N)", environmentConstant(s.environment()));
        }
        s.roles().forEach(arn -> b.add(".as($N)", roleConstant(arn)));
        for (String approval : s.approvals()) {
            b.add(approval.equals("approve-" + s.name()) ? CodeBlock.of(".gate($T.manualApproval())", Gate.class)
                    : CodeBlock.of(".gate($T.manualApproval(g -> g.name($S)))", Gate.class, approval));
        }
        return stageRestCode(b, s, code);
    }

    private CodeBlock stageRestCode(CodeBlock.Builder b, StagePlan s, ImportCode code) {
        filterCode(b, s.filter());
        s.variables().forEach((k, v) -> b.add(".putVariable($S, $S)", k, v));
        if (hasOptions(s)) {
            CodeBlock.Builder c = CodeBlock.builder().add(optionsCode(s.executor(), s.resourceClass(), Map.of()));
            c.add(contexts(s.contexts()));
            if (s.attachWorkspace() != null) {
                c.add(".attachWorkspace($S)", s.attachWorkspace());
            }
            if (!s.restoreCache().isEmpty()) {
                c.add(".restoreCache($L)", strings(s.restoreCache()));
            }
            s.saveCaches().forEach(e -> c.add(".saveCache($S, $L)", e.getKey(), strings(e.getValue())));
            s.persist().forEach(e -> c.add(".persistToWorkspace($S, $L)", e.getKey(), strings(e.getValue())));
            s.testResults().forEach(p -> c.add(".storeTestResults($S)", p));
            s.artifacts().forEach(p -> c.add(".storeArtifacts($S)", p));
            b.add(".circleci(c -> c$L)", c.build());
        }
        for (StepPlan step : s.steps()) {
            if (step.orb() != null) {
                b.add(".step($L)", orbStep(step, code));
            } else if (plainRun(step)) {
                b.add(".run($S)", step.command());
            } else {
                b.add(".run($S, r -> r$L)", step.command(), shellDetailsCode(step));
            }
        }
        if (!s.onFailure().isEmpty()) {
            b.add(".onFailure($L)", CodeBlock.join(s.onFailure().stream().map(step -> step.orb() != null
                    ? orbStep(step, code) : CodeBlock.of("$T.builder($S)$L.build()", ShellStep.class, step.command(),
                            shellDetailsCode(step))).toList(), ", "));
        }
        return b.build();
    }

    private String environmentConstant(@Nullable String environment) {
        return plan.environments().stream().filter(e -> e.name().equals(environment)).findFirst().orElseThrow()
                .constant();
    }

    private String roleConstant(String arn) {
        return plan.roles().stream().filter(r -> r.arn().equals(arn)).findFirst().orElseThrow().constant();
    }

    private static CodeBlock orbStep(StepPlan step, ImportCode code) {
        Map<String, Object> arguments = Objects.requireNonNull(step.orb());
        return arguments.isEmpty() ? CodeBlock.of("$T.of($S)", OrbStep.class, step.command())
                : CodeBlock.of("$T.of($S, $L)", OrbStep.class, step.command(), code.map(arguments, "argument"));
    }

    private static CodeBlock shellDetailsCode(StepPlan step) {
        CodeBlock.Builder r = CodeBlock.builder();
        if (step.name() != null) {
            r.add(".name($S)", step.name());
        }
        if (step.shell() != null) {
            r.add(".shell($S)", step.shell());
        }
        step.environment().forEach((k, v) -> r.add(".putEnvironment($S, $S)", k, v));
        if (step.workingDirectory() != null) {
            r.add(".workingDirectory($S)", step.workingDirectory());
        }
        return r.build();
    }
}
