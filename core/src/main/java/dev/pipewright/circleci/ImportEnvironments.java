package dev.pipewright.circleci;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import dev.pipewright.Environment;
import dev.pipewright.Filter;
import dev.pipewright.Gate;
import dev.pipewright.InvalidPipelineException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.lang.model.element.Modifier;
import org.jspecify.annotations.Nullable;

/**
 * The environments a configuration's workflows express, for an import that builds the
 * configuration with the CircleCI model's builders. An environment is named by the workflow
 * entries whose names hold one of its words ({@code deploy-to-staging}, {@code assume-role-prod})
 * and expressed by what those entries have: a context named after it, an approval named after it
 * (or waited for only by its entries), or a branch filter on an entry that deploys
 * ({@code deploy}, {@code release}, {@code apply} and the like are among its words). Words such as
 * {@code test} or {@code integration} usually name jobs, so they need a context or an approval.
 *
 * <p>Each environment becomes an {@link Environment} constant holding its filter, contexts,
 * approval and the environment it is promoted from. An entry that runs exactly as the environment
 * places it is written {@code .environment(STAGING)}, and the approval entering it
 * {@code WorkflowJob.approval(PRODUCTION)} (see {@link WorkflowJob.Builder#environment}). Only
 * what rebuilds the same data is used: an entry whose filters or contexts differ from its
 * environment's keeps them as written.
 */
final class ImportEnvironments {
    /** No environments. */
    static final ImportEnvironments NONE = new ImportEnvironments(List.of(), Map.of());

    /** Words naming one environment; a strong one with a branch filter alone makes an environment. */
    private record Group(boolean strong, Set<String> words) {
        Group(boolean strong, String... words) {
            this(strong, Set.of(words));
        }
    }

    private static final List<Group> GROUPS = List.of(
            new Group(true, "dev", "development", "develop"),
            new Group(true, "stage", "staging", "stg"),
            new Group(true, "prod", "production", "live"),
            new Group(true, "preprod"),
            new Group(true, "qa"),
            new Group(true, "uat"),
            new Group(true, "sandbox"),
            new Group(false, "test", "testing"),
            new Group(false, "integration"),
            new Group(false, "demo"),
            new Group(false, "preview"));

    /** Words of a job that deploys, whose branch filter alone can make an environment. */
    private static final Set<String> DEPLOYING = Set.of("deploy", "deployment", "release", "publish", "promote",
            "rollout", "ship", "apply");

    /**
     * An environment: its name and constant, its filter as the workflows write it, its contexts,
     * its approval job's name and the constant of the environment it is promoted from.
     */
    record Plan(String name, String constant, Optional<PatternFilters> filters, List<String> contexts,
            Optional<String> approval, Optional<String> promotedFrom) {
    }

    /**
     * How a workflow entry uses an environment: it runs there, its contexts holding the
     * environment's from {@code contextIndex} on, or it is the approval entering it.
     */
    record Usage(Plan environment, boolean approval, int contextIndex) {
    }

    private final List<Plan> plans;
    private final Map<WorkflowJob, Usage> usages;

    private ImportEnvironments(List<Plan> plans, Map<WorkflowJob, Usage> usages) {
        this.plans = List.copyOf(plans);
        this.usages = Map.copyOf(usages);
    }

    /** The environments {@code config}'s workflows express, in order of first use. */
    static ImportEnvironments of(CircleCiConfig config) {
        List<WorkflowJob> entries = new ArrayList<>();
        config.workflows().values().forEach(w -> entries.addAll(w.jobs()));
        Map<Group, List<WorkflowJob>> byGroup = new LinkedHashMap<>();
        for (WorkflowJob entry : entries) {
            if (entry.type().isEmpty()) {
                group(label(entry)).ifPresent(g -> byGroup.computeIfAbsent(g, k -> new ArrayList<>()).add(entry));
            }
        }
        List<Plan> found = new ArrayList<>();
        Map<Plan, Group> groupOf = new HashMap<>();
        ImportNames.Scope constants = new ImportNames.Scope();
        for (Map.Entry<Group, List<WorkflowJob>> e : byGroup.entrySet()) {
            plan(e.getKey(), e.getValue(), entries, constants).ifPresent(p -> {
                found.add(p);
                groupOf.put(p, e.getKey());
            });
        }
        Map<WorkflowJob, Usage> usages = new LinkedHashMap<>();
        for (WorkflowJob entry : entries) {
            for (Plan p : found) {
                Optional<Usage> usage = usage(entry, p, groupOf.get(p));
                if (usage.isPresent()) {
                    usages.put(entry, usage.get());
                    break;
                }
            }
        }
        // In order of first use; an environment no entry uses is not declared.
        Set<Plan> used = new LinkedHashSet<>();
        usages.values().forEach(u -> used.add(u.environment()));
        return promoted(config, List.copyOf(used), usages);
    }

    /** The environments, each after the one it is promoted from. */
    List<Plan> plans() {
        return plans;
    }

    /** How {@code entry} uses an environment, or null when it uses none. */
    @Nullable Usage usage(WorkflowJob entry) {
        return usages.get(entry);
    }

    /** The environments' constants. */
    List<FieldSpec> fields() {
        List<FieldSpec> fields = new ArrayList<>();
        for (Plan p : plans) {
            fields.add(FieldSpec.builder(Environment.class, p.constant(), Modifier.PRIVATE, Modifier.STATIC,
                    Modifier.FINAL).initializer(code(p)).build());
        }
        return fields;
    }

    // ---------------------------------------------------------------------------------------------
    // Finding environments

    private static String label(WorkflowJob entry) {
        return entry.name().orElse(entry.job());
    }

    /** The one group whose words are among the words of {@code text}, if exactly one is. */
    private static Optional<Group> group(String text) {
        Group found = null;
        for (String word : ImportNames.words(text)) {
            for (Group g : GROUPS) {
                if (g.words().contains(word)) {
                    if (found != null && found != g) {
                        return Optional.empty();
                    }
                    found = g;
                }
            }
        }
        return Optional.ofNullable(found);
    }

    /** The word of {@code group} used most in these entries' names, the first one on a tie. */
    private static String name(Group group, List<WorkflowJob> entries) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (WorkflowJob entry : entries) {
            for (String word : ImportNames.words(label(entry))) {
                if (group.words().contains(word)) {
                    counts.merge(word, 1, Integer::sum);
                }
            }
        }
        return mostCommon(counts);
    }

    /**
     * The contexts of {@code entry} named after {@code group}: empty when there are none, null
     * when they are not next to each other (no environment can place them).
     */
    private static @Nullable List<String> contextRun(WorkflowJob entry, Group group) {
        List<String> contexts = entry.context();
        int first = -1;
        int last = -1;
        for (int i = 0; i < contexts.size(); i++) {
            if (group(contexts.get(i)).map(group::equals).orElse(false)) {
                if (first >= 0 && last != i - 1) {
                    return null;
                }
                first = first < 0 ? i : first;
                last = i;
            }
        }
        return first < 0 ? List.of() : contexts.subList(first, last + 1);
    }

    private static Optional<Plan> plan(Group group, List<WorkflowJob> members, List<WorkflowJob> all,
            ImportNames.Scope constants) {
        Map<List<String>, Integer> runs = new LinkedHashMap<>();
        for (WorkflowJob m : members) {
            List<String> run = contextRun(m, group);
            if (run != null && !run.isEmpty()) {
                runs.merge(run, 1, Integer::sum);
            }
        }
        List<String> contexts = runs.isEmpty() ? List.of() : mostCommon(runs);
        // Whose filter the environment's is: the entries with its contexts, else those deploying.
        List<WorkflowJob> anchors = contexts.isEmpty()
                ? members.stream().filter(m -> ImportNames.words(label(m)).stream().anyMatch(DEPLOYING::contains)).toList()
                : members.stream().filter(m -> contexts.equals(contextRun(m, group))).toList();
        Map<Optional<Filters>, Integer> filterCounts = new LinkedHashMap<>();
        anchors.forEach(a -> filterCounts.merge(a.filters(), 1, Integer::sum));
        Optional<PatternFilters> filters = anchors.isEmpty() ? Optional.empty()
                : mostCommon(filterCounts).flatMap(ImportEnvironments::placeable);
        String name = name(group, members);
        Optional<String> approval = approval(group, all, filters);
        boolean expressed = !contexts.isEmpty() || approval.isPresent() || group.strong() && filters.isPresent();
        if (!expressed) {
            return Optional.empty();
        }
        Plan plan = new Plan(name, constants.take(ImportNames.constant(name, "ENVIRONMENT"), "_ENVIRONMENT"),
                filters, contexts, approval, Optional.empty());
        try {
            environment(plan);
        } catch (InvalidPipelineException e) {
            return Optional.empty(); // a context or name the DSL refuses
        }
        return Optional.of(plan);
    }

    /** {@code filters} when an environment's filter writes exactly them. */
    private static Optional<PatternFilters> placeable(Filters filters) {
        if (!(filters instanceof PatternFilters p) || !p.extra().isEmpty()
                || p.branches().map(b -> !b.extra().isEmpty()).orElse(false)
                || p.tags().map(t -> !t.extra().isEmpty()).orElse(false)) {
            return Optional.empty();
        }
        try {
            Filter.Builder filter = Filter.builder();
            fill(filter, p);
            Optional<Filters> written = FilterExport.filters(filter.build());
            return written.isPresent() && FieldWriter.data(written.get()).equals(FieldWriter.data(p))
                    ? Optional.of(p) : Optional.empty();
        } catch (InvalidPipelineException e) {
            return Optional.empty(); // a pattern the DSL refuses, such as an invalid regex
        }
    }

    private static void fill(Filter.Builder f, PatternFilters p) {
        p.branches().ifPresent(b -> f.onlyBranches(b.only().toArray(String[]::new))
                .ignoreBranches(b.ignore().toArray(String[]::new)));
        p.tags().ifPresent(t -> f.onlyTags(t.only().toArray(String[]::new)).ignoreTags(t.ignore().toArray(String[]::new)));
    }

    /**
     * The approval entering the environment: the first approval entry named after it, or else
     * waited for by its entries only, that is filtered as the environment, named as a gate may be,
     * and has no further keys than its requirements.
     */
    private static Optional<String> approval(Group group, List<WorkflowJob> all, Optional<PatternFilters> filters) {
        for (WorkflowJob entry : all) {
            if (!entry.type().equals(Optional.of(JobType.APPROVAL)) || entry.name().isPresent()
                    || !entry.filters().equals(filters.map(f -> (Filters) f))
                    || !gateName(entry.job())) {
                continue;
            }
            Optional<Group> named = group(entry.job());
            if (named.isPresent() ? named.get().equals(group) : waitedForBy(entry.job(), all).equals(Set.of(group))) {
                return Optional.of(entry.job());
            }
        }
        return Optional.empty();
    }

    private static boolean gateName(String name) {
        try {
            Gate.manualApproval(g -> g.name(name));
            return true;
        } catch (InvalidPipelineException e) {
            return false;
        }
    }

    /** The groups named by the entries that require {@code job}. */
    private static Set<Group> waitedForBy(String job, List<WorkflowJob> all) {
        Set<Group> groups = new HashSet<>();
        for (WorkflowJob entry : all) {
            if (entry.requires().stream().anyMatch(r -> r.job().equals(job))) {
                Optional<Group> g = group(label(entry));
                if (g.isEmpty()) {
                    return Set.of();
                }
                groups.add(g.get());
            }
        }
        return groups;
    }

    private static Optional<Usage> usage(WorkflowJob entry, Plan plan, Group group) {
        if (entry.type().equals(Optional.of(JobType.APPROVAL))) {
            boolean entering = plan.approval().equals(Optional.of(entry.job())) && entry.name().isEmpty()
                    && entry.filters().equals(plan.filters().map(f -> (Filters) f));
            return entering ? Optional.of(new Usage(plan, true, 0)) : Optional.empty();
        }
        if (entry.type().isPresent() || !group(label(entry)).map(group::equals).orElse(false)
                || !entry.filters().equals(plan.filters().map(f -> (Filters) f))) {
            return Optional.empty();
        }
        if (plan.contexts().isEmpty()) {
            return Optional.of(new Usage(plan, false, 0));
        }
        int at = Collections.indexOfSubList(entry.context(), plan.contexts());
        return at < 0 ? Optional.empty() : Optional.of(new Usage(plan, false, at));
    }

    // ---------------------------------------------------------------------------------------------
    // Promotion

    /**
     * The environments with the environment each is promoted from: of the environments used
     * earlier, the one whose entry a workflow runs last before the environment's first entry (its
     * requirements followed to the end).
     */
    private static ImportEnvironments promoted(CircleCiConfig config, List<Plan> plans, Map<WorkflowJob, Usage> usages) {
        Map<String, Plan> byConstant = new LinkedHashMap<>();
        plans.forEach(p -> byConstant.put(p.constant(), p));
        List<Plan> out = new ArrayList<>();
        for (Plan plan : plans) {
            Optional<String> from = Optional.empty();
            for (Workflow workflow : config.workflows().values()) {
                from = predecessor(workflow, plan, out, usages);
                if (from.isPresent()) {
                    break;
                }
            }
            Plan promoted = new Plan(plan.name(), plan.constant(), plan.filters(), plan.contexts(), plan.approval(), from);
            out.add(promoted);
            usages.replaceAll((entry, u) -> u.environment().equals(plan)
                    ? new Usage(promoted, u.approval(), u.contextIndex()) : u);
        }
        return new ImportEnvironments(out, usages);
    }

    private static Optional<String> predecessor(Workflow workflow, Plan plan, List<Plan> earlier,
            Map<WorkflowJob, Usage> usages) {
        List<WorkflowJob> jobs = workflow.jobs();
        Map<String, WorkflowJob> byLabel = new HashMap<>();
        jobs.forEach(j -> byLabel.put(label(j), j));
        Set<String> before = new HashSet<>();
        for (WorkflowJob j : jobs) {
            Usage u = usages.get(j);
            if (u != null && u.environment().constant().equals(plan.constant())) {
                collectRequirements(j, byLabel, before);
            }
        }
        String best = null;
        int bestIndex = -1;
        for (int i = 0; i < jobs.size(); i++) {
            Usage u = usages.get(jobs.get(i));
            if (u != null && before.contains(label(jobs.get(i))) && i > bestIndex) {
                String constant = u.environment().constant();
                if (earlier.stream().anyMatch(p -> p.constant().equals(constant))) {
                    best = constant;
                    bestIndex = i;
                }
            }
        }
        return Optional.ofNullable(best);
    }

    private static void collectRequirements(WorkflowJob job, Map<String, WorkflowJob> byLabel, Set<String> into) {
        for (Requirement r : job.requires()) {
            if (into.add(r.job())) {
                WorkflowJob required = byLabel.get(r.job());
                if (required != null) {
                    collectRequirements(required, byLabel, into);
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Building and writing

    /**
     * Builds the environment a plan describes as its code does, but for the environment it is
     * promoted from, to find what the DSL refuses.
     *
     * @throws InvalidPipelineException naming what it refuses
     */
    private static Environment environment(Plan plan) {
        Environment.Builder b = Environment.named(plan.name());
        plan.filters().ifPresent(f -> b.filter(x -> fill(x, f)));
        plan.approval().ifPresent(a -> b.approval(g -> g.name(a)));
        b.circleci(c -> plan.contexts().forEach(c::context));
        return b.build();
    }

    /** {@code Environment.named("staging").branches("main")...build()}. */
    private static CodeBlock code(Plan plan) {
        CodeBlock.Builder c = CodeBlock.builder().add("$T.named($S)", Environment.class, plan.name());
        plan.filters().ifPresent(f -> c.add(filterCode(f)));
        plan.promotedFrom().ifPresent(p -> c.add(".promotedFrom($N)", p));
        plan.approval().ifPresent(a -> c.add(a.equals("approve-" + plan.name()) ? CodeBlock.of(".approval()")
                : CodeBlock.of(".approval(a -> a.name($S))", a)));
        if (!plan.contexts().isEmpty()) {
            CodeBlock.Builder contexts = CodeBlock.builder();
            plan.contexts().forEach(x -> contexts.add(".context($S)", x));
            c.add(".circleci(c -> c$L)", contexts.build());
        }
        return c.add(".build()").build();
    }

    private static CodeBlock filterCode(PatternFilters f) {
        List<String> onlyBranches = f.branches().map(Patterns::only).orElse(List.of());
        List<String> ignoreBranches = f.branches().map(Patterns::ignore).orElse(List.of());
        List<String> onlyTags = f.tags().map(Patterns::only).orElse(List.of());
        List<String> ignoreTags = f.tags().map(Patterns::ignore).orElse(List.of());
        if (!onlyBranches.isEmpty() && ignoreBranches.isEmpty() && f.tags().isEmpty()) {
            return CodeBlock.of(".branches($L)", strings(onlyBranches));
        }
        CodeBlock.Builder calls = CodeBlock.builder();
        Map<String, List<String>> parts = new LinkedHashMap<>();
        parts.put("onlyBranches", onlyBranches);
        parts.put("ignoreBranches", ignoreBranches);
        parts.put("onlyTags", onlyTags);
        parts.put("ignoreTags", ignoreTags);
        parts.forEach((method, patterns) -> {
            if (!patterns.isEmpty()) {
                calls.add(".$L($L)", method, strings(patterns));
            }
        });
        return CodeBlock.of(".filter(f -> f$L)", calls.build());
    }

    private static CodeBlock strings(List<String> values) {
        return CodeBlock.join(values.stream().map(v -> CodeBlock.of("$S", v)).toList(), ", ");
    }

    private static <T> T mostCommon(Map<T, Integer> counts) {
        T best = null;
        int most = 0;
        for (Map.Entry<T, Integer> e : counts.entrySet()) {
            if (e.getValue() > most) {
                best = e.getKey();
                most = e.getValue();
            }
        }
        return Objects.requireNonNull(best, "no values counted");
    }
}
