package dev.pipewright;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.pipewright.internal.Reach;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.jspecify.annotations.Nullable;

/**
 * Properties of pipelines, filters and the reach analysis over generated inputs.
 *
 * <p>The generator draws <em>genes</em> (small integers and lists of them, which jqwik shrinks
 * well) and interprets them into a {@link PipelineSpec}: a plain description of a pipeline that
 * can build it, build it with one defect injected, or answer what should run where. Interpreted
 * as valid, a spec is valid by construction:
 *
 * <ul>
 *   <li>needs point only to stages generated earlier, so the graph is a DAG; the declaration
 *       order is then shuffled, so the builder must sort;
 *   <li>one <em>witness</em> ref (a branch or a tag from the pool) passes every filter: stages',
 *       environments' and the first trigger's, so every stage can run;
 *   <li>environments form a prefix of development &rarr; staging &rarr; production (plus an
 *       unchained preview); a stage enters an environment only when nothing upstream is further
 *       down the chain, and needs a stage of the environment it is promoted from;
 *   <li>a protected production has an approval and a branch restriction, and its stages are
 *       approved themselves or behind an approved production stage;
 *   <li>every declared role is held by a stage, environment roles only by that environment's
 *       stages.
 * </ul>
 *
 * <p>Interpreted as wild, the same genes give stages with arbitrary filters and environments
 * for the reach analysis, which must be sound whatever the filters.
 *
 * <p>Properties that build whole pipelines run 100 tries, the others 200, which keeps the class
 * within a few seconds; every property has also passed 3,000 tries.
 */
class PipelinePropertiesTest {

    // ---------------------------------------------------------------- valid pipelines

    @Property(tries = 100)
    void build_generatedValidPipeline_succeedsWithEveryStage(@ForAll("validPipelines") PipelineSpec spec) {
        Pipeline p = spec.build();

        assertThat(p.stages()).extracting(Stage::name)
                .containsExactlyInAnyOrderElementsOf(spec.stages().stream().map(StageSpec::name).toList());
        for (StageSpec s : spec.stages()) {
            Stage built = p.stage(s.name()).orElseThrow();
            assertThat(built.needs()).containsExactlyElementsOf(s.needs());
            assertThat(built.environment().map(Environment::name)).isEqualTo(Optional.ofNullable(s.env()));
        }
        assertThat(p.environments()).extracting(Environment::name)
                .containsExactlyElementsOf(spec.environments().stream().map(EnvSpec::name).toList());
    }

    @Property(tries = 100)
    void build_sameSpecTwice_givesEqualPipelines(@ForAll("validPipelines") PipelineSpec spec) {
        Pipeline a = spec.build();
        Pipeline b = spec.build();

        assertThat(b).isEqualTo(a);
        assertThat(b.hashCode()).isEqualTo(a.hashCode());
    }

    @Property(tries = 100)
    void toBuilder_build_equalsOriginal(@ForAll("validPipelines") PipelineSpec spec) {
        Pipeline p = spec.build();

        Pipeline again = p.toBuilder().build();

        assertThat(again).isEqualTo(p);
        assertThat(again.hashCode()).isEqualTo(p.hashCode());
        assertThat(again.stages()).containsExactlyElementsOf(p.stages());
        assertThat(again.roles()).containsExactlyElementsOf(p.roles());
        assertThat(again.triggers()).containsExactlyElementsOf(p.triggers());
    }

    @Property(tries = 100)
    void toBuilder_build_equalsOriginal_forStagesEnvironmentsRolesFiltersAndGates(
            @ForAll("validPipelines") PipelineSpec spec) {
        Pipeline p = spec.build();

        for (Stage s : p.stages()) {
            assertRoundTrip(s, s.toBuilder().build());
            assertRoundTrip(s.filter(), s.filter().toBuilder().build());
            s.gates().forEach(g -> assertRoundTrip(g, g.toBuilder().build()));
        }
        for (Environment e : p.environments()) {
            assertRoundTrip(e, e.toBuilder().build());
        }
        for (Role r : p.roles()) {
            assertRoundTrip(r, r.toBuilder().build());
        }
    }

    private static void assertRoundTrip(Object original, Object again) {
        assertThat(again).isEqualTo(original);
        assertThat(again.hashCode()).isEqualTo(original.hashCode());
    }

    // ---------------------------------------------------------------- injected defects

    @Property(tries = 100)
    void build_withCycle_reportsOneCycleThroughTheInjectedNeed(@ForAll("validPipelines") PipelineSpec spec,
            @ForAll @IntRange(min = 0, max = 10_000) int at, @ForAll @IntRange(min = 0, max = 10_000) int to) {
        int i = at % spec.stages().size();
        // The earlier stage needs a later one that (transitively) needs it, or itself: a cycle.
        List<Integer> downstream = spec.downstream(i);
        int j = downstream.isEmpty() ? i : downstream.get(to % downstream.size());
        String from = spec.stages().get(i).name();
        String target = spec.stages().get(j).name();
        PipelineSpec broken = spec.withStage(i, spec.stages().get(i).withNeed(target));

        List<Problem> problems = broken.problems();

        assertThat(problems).hasSize(1);
        Problem problem = problems.get(0);
        assertThat(problem.message()).startsWith("cycle ").endsWith(".");
        List<String> cycle = List.of(problem.message().substring("cycle ".length(), problem.message().length() - 1)
                .split(" -> "));
        assertThat(cycle).contains(from, target);
        assertThat(cycle.get(0)).isEqualTo(cycle.get(cycle.size() - 1));
        assertThat(new LinkedHashSet<>(cycle.subList(0, cycle.size() - 1))).hasSize(cycle.size() - 1);
        assertThat(problem.path()).isEqualTo("stage '" + cycle.get(0) + "' > needs");
        Map<String, List<String>> needs = broken.needsByName();
        for (int k = 0; k + 1 < cycle.size(); k++) {
            assertThat(needs.get(cycle.get(k))).as("%s needs %s", cycle.get(k), cycle.get(k + 1))
                    .contains(cycle.get(k + 1));
        }
    }

    /**
     * Several needs added against the generation order, the first one closing a cycle: one problem
     * per strongly connected component that holds a cycle, ordered by, and reported at the needs
     * of, the component's earliest-declared stage; nothing else, since the checks that follow the
     * cycle check need an order.
     */
    @Property(tries = 100)
    void build_withSeveralCycles_reportsOneCyclePerStronglyConnectedComponent(
            @ForAll("validPipelines") PipelineSpec spec,
            @ForAll @Size(min = 2, max = 8) List<@IntRange(min = 0, max = 10_000) Integer> picks) {
        int n = spec.stages().size();
        PipelineSpec broken = spec;
        for (int k = 0; k + 1 < picks.size(); k += 2) {
            int i = picks.get(k) % n;
            int j = picks.get(k + 1) % n;
            if (k == 0) {
                List<Integer> downstream = spec.downstream(i);
                j = downstream.isEmpty() ? i : downstream.get(j % downstream.size());
            }
            StageSpec s = broken.stages().get(Math.min(i, j));
            String target = broken.stages().get(Math.max(i, j)).name();
            if (!s.needs().contains(target)) {
                broken = broken.withStage(Math.min(i, j), s.withNeed(target));
            }
        }
        List<String> declared = broken.declared().stream().map(StageSpec::name).toList();
        Map<String, List<String>> needs = broken.needsByName();
        Map<String, Set<String>> reachable = new LinkedHashMap<>();
        for (String s : declared) {
            Set<String> seen = new LinkedHashSet<>();
            List<String> todo = new ArrayList<>(needs.get(s));
            while (!todo.isEmpty()) {
                String next = todo.remove(todo.size() - 1);
                if (seen.add(next)) {
                    todo.addAll(needs.get(next));
                }
            }
            reachable.put(s, seen);
        }
        Map<String, Set<String>> components = new LinkedHashMap<>();
        for (String s : declared) {
            Set<String> component = new LinkedHashSet<>();
            component.add(s);
            reachable.get(s).stream().filter(t -> reachable.get(t).contains(s)).forEach(component::add);
            String earliest = declared.stream().filter(component::contains).findFirst().orElseThrow();
            if (component.size() > 1 || needs.get(s).contains(s)) {
                components.put(earliest, component);
            }
        }

        List<Problem> problems = broken.problems();

        assertThat(problems).extracting(Problem::path).containsExactlyElementsOf(declared.stream()
                .filter(components::containsKey).map(s -> "stage '" + s + "' > needs").toList());
        for (Problem problem : problems) {
            assertThat(problem.message()).startsWith("cycle ").endsWith(".");
            List<String> cycle = List.of(problem.message()
                    .substring("cycle ".length(), problem.message().length() - 1).split(" -> "));
            String start = cycle.get(0);
            assertThat(problem.path()).isEqualTo("stage '" + start + "' > needs");
            assertThat(cycle.get(cycle.size() - 1)).isEqualTo(start);
            assertThat(components.get(start)).containsAll(cycle);
            for (int k = 0; k + 1 < cycle.size(); k++) {
                assertThat(needs.get(cycle.get(k))).contains(cycle.get(k + 1));
            }
        }
    }

    @Property(tries = 100)
    void build_withDanglingNeed_reportsItAtTheStagesNeeds(@ForAll("validPipelines") PipelineSpec spec,
            @ForAll @IntRange(min = 0, max = 10_000) int at, @ForAll("unknownNames") String ghost) {
        int i = at % spec.stages().size();
        StageSpec s = spec.stages().get(i);

        List<Problem> problems = spec.withStage(i, s.withNeed(ghost)).problems();

        assertThat(problems).hasSize(1);
        assertThat(problems.get(0).path()).isEqualTo("stage '" + s.name() + "' > needs");
        assertThat(problems.get(0).message()).startsWith("no stage is called '" + ghost + "'");
    }

    @Property(tries = 100)
    void build_withDuplicateStageName_reportsTheSecondStage(@ForAll("validPipelines") PipelineSpec spec,
            @ForAll @IntRange(min = 0, max = 10_000) int at) {
        StageSpec s = spec.stages().get(at % spec.stages().size());

        List<Problem> problems = spec.withExtraStage(StageSpec.plain(s.name())).problems();

        assertThat(problems).containsExactly(new Problem("stage '" + s.name() + "'",
                "the name is used by another stage.", "Give every stage its own name."));
    }

    /**
     * An undeclared environment. On a stage without one, it is the only problem: the undeclared
     * environment accepts every ref, so it changes no reach. On a stage that worked in a declared
     * environment, moving it away may legitimately cause more (the environment's role is then
     * held outside it or by no stage, a later environment loses the stage it is promoted from),
     * so the problem need only be among them.
     */
    @Property(tries = 100)
    void build_withUndeclaredEnvironment_reportsItAtIn(@ForAll("validPipelines") PipelineSpec spec,
            @ForAll @IntRange(min = 0, max = 10_000) int at) {
        int i = at % spec.stages().size();
        StageSpec s = spec.stages().get(i);

        List<Problem> problems = spec.withStage(i, s.withGhostEnvironment()).problems();

        Problem expected = new Problem("stage '" + s.name() + "' > in(nowhere)",
                "environment 'nowhere' is not declared on the pipeline; declared: "
                        + spec.environments().stream().map(EnvSpec::name).toList() + ".",
                "Declare it with .environments(...).");
        if (s.env() == null) {
            assertThat(problems).containsExactly(expected);
        } else {
            assertThat(problems).contains(expected);
        }
    }

    @Property(tries = 100)
    void build_withUndeclaredRole_reportsItAtAs(@ForAll("validPipelines") PipelineSpec spec,
            @ForAll @IntRange(min = 0, max = 10_000) int at) {
        int i = at % spec.stages().size();
        StageSpec s = spec.stages().get(i);

        List<Problem> problems = spec.withStage(i, s.withGhostRole()).problems();

        assertThat(problems).hasSize(1);
        assertThat(problems.get(0).path()).isEqualTo("stage '" + s.name() + "' > as(intruder)");
        assertThat(problems.get(0).message()).startsWith("role 'intruder' is not declared; declared: ");
    }

    @Property(tries = 100)
    void build_withSeveralDefects_reportsEachOne(@ForAll("validPipelines") PipelineSpec spec,
            @ForAll @IntRange(min = 0, max = 10_000) int a, @ForAll @IntRange(min = 0, max = 10_000) int b,
            @ForAll @IntRange(min = 0, max = 10_000) int c, @ForAll("unknownNames") String ghost) {
        int n = spec.stages().size();
        StageSpec dangling = spec.stages().get(a % n);
        PipelineSpec broken = spec.withStage(a % n, dangling.withNeed(ghost));
        StageSpec intruder = broken.stages().get(b % n);
        broken = broken.withStage(b % n, intruder.withGhostRole());
        String duplicate = spec.stages().get(c % n).name();
        broken = broken.withExtraStage(StageSpec.plain(duplicate));

        List<Problem> problems = broken.problems();

        assertThat(problems).extracting(Problem::path).containsExactlyInAnyOrder(
                "stage '" + dangling.name() + "' > needs",
                "stage '" + intruder.name() + "' > as(intruder)",
                "stage '" + duplicate + "'");
    }

    /**
     * A stage given any filter may become unable to run, or make the stages after it so; the
     * validator may miss such a stage (where only regular expressions bound it), but must never
     * report one that some ref runs.
     */
    @Property(tries = 100)
    void build_withAnArbitraryFilter_reportsOnlyStagesThatTrulyCannotRun(@ForAll("validPipelines") PipelineSpec spec,
            @ForAll @IntRange(min = 0, max = 10_000) int at, @ForAll("filters") FilterSpec filter,
            @ForAll("someNames") List<String> randomNames) {
        int i = at % spec.stages().size();
        PipelineSpec changed = spec.withStage(i, spec.stages().get(i).withFilter(filter));
        Map<Ref, Set<String>> running = runningByRef(changed, refs(candidates(randomNames)));

        for (Problem problem : changed.problemsIfAny()) {
            if (problem.message().startsWith("the stage can never run")) {
                String stage = problem.path().substring("stage '".length(), problem.path().length() - 1);
                running.forEach((ref, names) -> assertThat(names).as("on %s: %s", ref, problem).doesNotContain(stage));
            }
        }
    }

    // ---------------------------------------------------------------- topological order

    @Property(tries = 100)
    void stages_comeAfterEveryStageTheyNeed(@ForAll("validPipelines") PipelineSpec spec) {
        List<String> order = spec.build().stages().stream().map(Stage::name).toList();

        for (StageSpec s : spec.stages()) {
            for (String need : s.needs()) {
                assertThat(order.indexOf(need)).as("%s before %s in %s", need, s.name(), order)
                        .isLessThan(order.indexOf(s.name()));
            }
        }
    }

    /**
     * Ties keep the declaration order: each position holds the earliest-declared stage whose needs
     * are all placed. Hence a stage declared before another whose upstream includes all of its own
     * comes first. (That two merely independent stages keep their order cannot be promised: with
     * {@code a} needing {@code c} and {@code b} independent of both, declared a, b, c, it would ask
     * for a &lt; b &lt; c and c &lt; a.)
     */
    @Property(tries = 100)
    void stages_breakTiesByDeclarationOrder(@ForAll("validPipelines") PipelineSpec spec) {
        List<String> order = spec.build().stages().stream().map(Stage::name).toList();
        List<String> declared = spec.declared().stream().map(StageSpec::name).toList();
        Map<String, List<String>> needs = spec.needsByName();

        Set<String> placed = new LinkedHashSet<>();
        for (String next : order) {
            String earliestReady = declared.stream().filter(s -> !placed.contains(s))
                    .filter(s -> placed.containsAll(needs.get(s))).findFirst().orElseThrow();
            assertThat(next).as("after %s", placed).isEqualTo(earliestReady);
            placed.add(next);
        }
        Map<String, Set<String>> upstream = spec.upstreamByName();
        for (int x = 0; x < declared.size(); x++) {
            for (int y = x + 1; y < declared.size(); y++) {
                String first = declared.get(x);
                String second = declared.get(y);
                if (upstream.get(second).containsAll(upstream.get(first))) {
                    assertThat(order.indexOf(first)).as("%s before %s", first, second)
                            .isLessThan(order.indexOf(second));
                }
            }
        }
    }

    @Property(tries = 100)
    void stages_declaredInTopologicalOrder_keepTheirOrder(@ForAll("validPipelines") PipelineSpec spec) {
        PipelineSpec inOrder = spec.declaredInGenerationOrder();

        assertThat(inOrder.build().stages()).extracting(Stage::name)
                .containsExactlyElementsOf(inOrder.stages().stream().map(StageSpec::name).toList());
    }

    // ---------------------------------------------------------------- plans

    @Property(tries = 100)
    void plan_runsAStageExactlyWhenReachSaysItRunsOnTheRef(@ForAll("validPipelines") PipelineSpec spec,
            @ForAll("someRefs") List<Ref> refs) {
        Pipeline p = spec.build();
        Reach reach = Reach.of(byName(p.stages()), p.triggers());

        for (Ref ref : refs) {
            Plan plan = Plan.of(p, ref);
            Set<String> running = spec.running(ref);
            assertThat(plan.entries()).extracting(Plan.Entry::stage).containsExactlyElementsOf(p.stages());
            for (Plan.Entry e : plan.entries()) {
                String name = e.stage().name();
                assertThat(e.runs()).as("%s on %s", name, ref).isEqualTo(reach.runsOn(name, ref));
                assertThat(e.runs()).as("%s on %s", name, ref).isEqualTo(running.contains(name));
                assertThat(e.reason().isEmpty()).isEqualTo(e.runs());
            }
        }
    }

    @Property(tries = 100)
    void plan_neverRunsAStageWhoseNeedIsSkipped(@ForAll("validPipelines") PipelineSpec spec,
            @ForAll("someRefs") List<Ref> refs) {
        Pipeline p = spec.build();

        for (Ref ref : refs) {
            Plan plan = Plan.of(p, ref);
            for (Plan.Entry e : plan.running()) {
                for (String need : e.stage().needs()) {
                    assertThat(plan.runs(need)).as("%s runs on %s but needs %s", e.stage().name(), ref, need)
                            .isTrue();
                }
            }
        }
    }

    @Property(tries = 100)
    void plan_forTheWitness_runsEveryStage(@ForAll("validPipelines") PipelineSpec spec) {
        Plan plan = Plan.of(spec.build(), spec.witness());

        assertThat(plan.skipped()).isEmpty();
    }

    // ---------------------------------------------------------------- filters

    @Property(tries = 200)
    void namePattern_exactName_matchesOnlyItself(@ForAll("exactNames") String name, @ForAll("texts") String other) {
        NamePattern p = NamePattern.of(name);

        assertThat(p.isRegex()).isFalse();
        assertThat(p.problem()).isEmpty();
        assertThat(p.matches(name)).isTrue();
        for (String candidate : List.of(other, name + "x", "x" + name, name.substring(1), name.toUpperCase(),
                name + name)) {
            assertThat(p.matches(candidate)).as("%s matches %s", name, candidate).isEqualTo(candidate.equals(name));
        }
    }

    @Property(tries = 200)
    void namePattern_regex_matchesTheWholeName(@ForAll("texts") String name, @ForAll("texts") String other) {
        NamePattern quoted = NamePattern.of("/" + Pattern.quote(name) + "/");
        NamePattern prefix = NamePattern.of("/" + Pattern.quote(name) + ".*/");

        assertThat(quoted.isRegex()).isTrue();
        assertThat(quoted.problem()).isEmpty();
        assertThat(quoted.matches(name)).isTrue();
        assertThat(quoted.matches(name + "x")).isFalse();
        assertThat(quoted.matches("x" + name)).isFalse();
        assertThat(quoted.matches(other)).isEqualTo(other.equals(name));
        assertThat(prefix.matches(name + other)).isTrue();
        assertThat(prefix.matches(other)).isEqualTo(other.startsWith(name));
    }

    @Property(tries = 200)
    void filter_acceptsAsCircleCiDoes(@ForAll("filters") FilterSpec spec, @ForAll("someRefs") List<Ref> refs) {
        Filter filter = spec.build();

        for (Ref ref : refs) {
            assertThat(filter.accepts(ref)).as("%s accepts %s", filter, ref).isEqualTo(spec.accepts(ref));
        }
    }

    @Property(tries = 200)
    void filter_withoutTagPatterns_acceptsNoTag(@ForAll("filters") FilterSpec spec, @ForAll("names") String tag) {
        Filter filter = new FilterSpec(spec.onlyBranches(), spec.ignoreBranches(), List.of(), List.of()).build();

        assertThat(filter.hasTagFilter()).isFalse();
        assertThat(filter.accepts(Ref.tag(tag))).isFalse();
        assertThat(filter.finiteNames(Ref.Kind.TAG)).contains(Set.of());
    }

    @Property(tries = 200)
    void filter_branchPatternsSayNothingAboutTagsAndTagPatternsNothingAboutBranches(
            @ForAll("filters") FilterSpec a, @ForAll("filters") FilterSpec b, @ForAll("names") String name) {
        Filter aBranchesBTags = new FilterSpec(a.onlyBranches(), a.ignoreBranches(), b.onlyTags(), b.ignoreTags())
                .build();

        assertThat(aBranchesBTags.accepts(Ref.branch(name))).isEqualTo(a.build().accepts(Ref.branch(name)));
        assertThat(aBranchesBTags.accepts(Ref.tag(name))).isEqualTo(b.build().accepts(Ref.tag(name)));
    }

    @Property(tries = 200)
    void filter_finiteNames_whenPresent_areExactlyTheAcceptedNames(@ForAll("filters") FilterSpec spec,
            @ForAll("someNames") List<String> randomNames) {
        Filter filter = spec.build();

        for (Ref.Kind kind : Ref.Kind.values()) {
            Optional<Set<String>> names = filter.finiteNames(kind);
            if (names.isPresent()) {
                for (String candidate : candidates(randomNames)) {
                    assertThat(filter.accepts(new Ref(kind, candidate))).as("%s %s", kind, candidate)
                            .isEqualTo(names.get().contains(candidate));
                }
            }
        }
    }

    @Property(tries = 200)
    void filter_toBuilder_build_equalsOriginal(@ForAll("filters") FilterSpec spec) {
        Filter filter = spec.build();

        assertRoundTrip(filter, filter.toBuilder().build());
    }

    // ---------------------------------------------------------------- reach, over wild stages

    @Property(tries = 100)
    void reach_runsOn_meansATriggerAndEveryFilterUpstreamAccept(@ForAll("wildPipelines") PipelineSpec spec,
            @ForAll("someRefs") List<Ref> refs) {
        Reach reach = Reach.of(spec.stageMap(), spec.triggerList());

        for (Ref ref : refs) {
            Set<String> running = spec.running(ref);
            for (StageSpec s : spec.stages()) {
                assertThat(reach.runsOn(s.name(), ref)).as("%s on %s", s.name(), ref)
                        .isEqualTo(running.contains(s.name()));
            }
        }
    }

    @Property(tries = 100)
    void reach_names_whenPresent_areExactlyTheNamesThatRun(@ForAll("wildPipelines") PipelineSpec spec,
            @ForAll("someNames") List<String> randomNames) {
        Reach reach = Reach.of(spec.stageMap(), spec.triggerList());

        for (StageSpec s : spec.stages()) {
            for (Ref.Kind kind : Ref.Kind.values()) {
                Optional<Set<String>> names = reach.names(s.name(), kind);
                if (names.isEmpty()) {
                    continue;
                }
                Set<String> candidates = new LinkedHashSet<>(candidates(randomNames));
                candidates.addAll(names.get());
                for (String candidate : candidates) {
                    Ref ref = new Ref(kind, candidate);
                    assertThat(reach.runsOn(s.name(), ref)).as("%s on %s, names %s", s.name(), ref, names.get())
                            .isEqualTo(names.get().contains(candidate));
                }
            }
        }
    }

    @Property(tries = 100)
    void reach_canRunFalse_meansNoRefRunsTheStage(@ForAll("wildPipelines") PipelineSpec spec,
            @ForAll("someNames") List<String> randomNames) {
        Reach reach = Reach.of(spec.stageMap(), spec.triggerList());

        Map<Ref, Set<String>> running = runningByRef(spec, refs(candidates(randomNames)));

        for (StageSpec s : spec.stages()) {
            if (!reach.canRun(s.name())) {
                running.forEach((ref, names) -> assertThat(names).as("on %s", ref).doesNotContain(s.name()));
            }
        }
    }

    @Property(tries = 100)
    void reach_mayRunTogetherFalse_meansNoRefRunsBoth(@ForAll("wildPipelines") PipelineSpec spec,
            @ForAll("someNames") List<String> randomNames, @ForAll @IntRange(min = 1, max = 100) int stride) {
        Reach reach = Reach.of(spec.stageMap(), spec.triggerList());
        List<StageSpec> stages = spec.stages();
        Map<Ref, Set<String>> running = runningByRef(spec, refs(candidates(randomNames)));

        for (int i = 0; i < stages.size(); i++) {
            String a = stages.get(i).name();
            String b = stages.get((i + stride) % stages.size()).name();
            if (!reach.mayRunTogether(a, b)) {
                running.forEach((ref, names) -> assertThat(names.contains(a) && names.contains(b))
                        .as("%s and %s on %s", a, b, ref).isFalse());
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    private static Map<Ref, Set<String>> runningByRef(PipelineSpec spec, List<Ref> refs) {
        Map<Ref, Set<String>> running = new LinkedHashMap<>();
        refs.forEach(ref -> running.put(ref, spec.running(ref)));
        return running;
    }

    private static Map<String, Stage> byName(List<Stage> stages) {
        Map<String, Stage> map = new LinkedHashMap<>();
        stages.forEach(s -> map.put(s.name(), s));
        return map;
    }

    /** The pools' names, every exact name the pools hold, and some random ones. */
    private static List<String> candidates(List<String> randomNames) {
        Set<String> all = new LinkedHashSet<>(BRANCHES);
        all.addAll(TAGS);
        all.addAll(randomNames);
        return List.copyOf(all);
    }

    private static List<Ref> refs(List<String> names) {
        return names.stream().flatMap(n -> Stream.of(Ref.branch(n), Ref.tag(n))).toList();
    }

    // ---------------------------------------------------------------- arbitraries

    static final List<String> BRANCHES = List.of("main", "master", "develop", "release-1", "release-2",
            "feature-a", "feature-b", "hotfix-1");
    static final List<String> TAGS = List.of("v1", "v2", "v1.0.0", "v2.1.0", "nightly", "rc-1");
    static final List<String> REGEXES = List.of("/.*/", "/release-.*/", "/feature-.*/", "/v[0-9]+/", "/v.*/",
            "/ma.*/", "/[a-z]+/", "/.*-1/", "/rc-[0-9]+/", "/v[0-9]+\\.[0-9]+\\.[0-9]+/");
    static final List<String> BRANCH_PATTERNS = concat(BRANCHES, REGEXES);
    static final List<String> TAG_PATTERNS = concat(TAGS, REGEXES);
    static final List<String> CHAIN = List.of("development", "staging", "production");
    static final List<String> FREE_ROLES = List.of("reader", "notifier", "auditor");
    static final List<String> WORDS = List.of("build", "test", "lint", "package", "deploy", "smoke", "publish", "scan");
    static final JavaStep.Action ACTION = context -> { };
    static final Check CHECK = context -> CheckResult.pass("fine");
    static final Environment GHOST_ENVIRONMENT = Environment.named("nowhere").filter(f -> f.onlyTags("/.*/")).build();
    static final Role GHOST_ROLE = Role.named("intruder").build();

    private static <T> List<T> concat(List<T> a, List<T> b) {
        return Stream.concat(a.stream(), b.stream()).toList();
    }

    @Provide
    Arbitrary<PipelineSpec> validPipelines() {
        return pipelineGenes().map(g -> PipelineSpec.interpret(g, true));
    }

    @Provide
    Arbitrary<PipelineSpec> wildPipelines() {
        return pipelineGenes().map(g -> PipelineSpec.interpret(g, false));
    }

    @Provide
    Arbitrary<FilterSpec> filters() {
        return filterGenes().map(FilterSpec::of);
    }

    @Provide
    Arbitrary<List<Ref>> someRefs() {
        Arbitrary<String> name = Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.of(candidates(List.of()))),
                Tuple.of(1, names()));
        Arbitrary<Ref> ref = Combinators.combine(Arbitraries.of(Ref.Kind.class), name).as(Ref::new);
        return ref.list().ofMinSize(1).ofMaxSize(6);
    }

    @Provide
    Arbitrary<List<String>> someNames() {
        return names().list().ofMaxSize(4);
    }

    /** Non-blank names, with the characters of branch names and of regular expressions. */
    @Provide
    Arbitrary<String> names() {
        return Arbitraries.strings().withCharRange('a', 'z').withCharRange('0', '9').withChars("-_./*+?[](){}|\\^$")
                .ofMinLength(1).ofMaxLength(10);
    }

    /** Pattern texts: names, and spaces and letters beyond ASCII too. */
    @Provide
    Arbitrary<String> texts() {
        return Arbitraries.strings().withCharRange('a', 'z').withCharRange('0', '9')
                .withChars("-_./*+?[](){}|\\^$ \u00e9\u00df\u4e2d").ofMinLength(1).ofMaxLength(10);
    }

    @Provide
    Arbitrary<String> exactNames() {
        return texts().filter(n -> !n.isBlank() && !(n.length() >= 2 && n.startsWith("/") && n.endsWith("/")));
    }

    @Provide
    Arbitrary<String> unknownNames() {
        // Generated stage names start with one of WORDS; these never do.
        return Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(8).map(s -> "x" + s);
    }

    static Arbitrary<FilterGene> filterGenes() {
        Arbitrary<List<Integer>> three = Arbitraries.integers().between(0, 63).list().ofMaxSize(3);
        Arbitrary<List<Integer>> two = Arbitraries.integers().between(0, 63).list().ofMaxSize(2);
        Arbitrary<List<Integer>> none = Arbitraries.just(List.of());
        Arbitrary<List<Integer>> someBranches = Arbitraries.frequencyOf(Tuple.of(1, none), Tuple.of(2, three));
        Arbitrary<List<Integer>> someTags = Arbitraries.frequencyOf(Tuple.of(3, none), Tuple.of(2, three));
        Arbitrary<List<Integer>> fewIgnored = Arbitraries.frequencyOf(Tuple.of(3, none), Tuple.of(1, two));
        return Combinators.combine(someBranches, fewIgnored, someTags, fewIgnored).as(FilterGene::new);
    }

    static Arbitrary<PipelineGene> pipelineGenes() {
        Arbitrary<Setting> setting = Combinators.combine(Arbitraries.integers().between(0, 13),
                Arbitraries.integers().between(0, 3), Arbitraries.of(false, true),
                Arbitraries.integers().between(0, 1023)).as(Setting::new);
        Arbitrary<EnvGene> env = Combinators.combine(filterGenes(), Arbitraries.integers().between(0, 7),
                Arbitraries.integers().between(0, 15)).as(EnvGene::new);
        Arbitrary<TriggerGene> trigger = Combinators.combine(Arbitraries.integers().between(0, 2), filterGenes())
                .as(TriggerGene::new);
        Arbitrary<StepGene> step = Combinators.combine(Arbitraries.of(false, true),
                Arbitraries.integers().between(0, 99)).as(StepGene::new);
        Arbitrary<StageGene> stage = Combinators.combine(
                Arbitraries.integers().between(0, 999).list().ofMaxSize(3),
                Arbitraries.integers().between(0, 99),
                Arbitraries.integers().between(0, 31),
                Arbitraries.integers().between(0, 8).list().ofMaxSize(2),
                filterGenes(),
                step.list().ofMinSize(1).ofMaxSize(3),
                Arbitraries.integers().between(0, 127)).as(StageGene::new);
        Arbitrary<Long> shuffle = Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just(0L)),
                Tuple.of(3, Arbitraries.longs().between(1, 1_000_000)));
        return Combinators.combine(setting, env.list().ofSize(4),
                Arbitraries.integers().between(0, 5).list().ofMaxSize(3), trigger.list().ofMaxSize(2),
                stage.list().ofMinSize(1).ofMaxSize(60).withSizeDistribution(RandomDistribution.biased()), shuffle)
                .as(PipelineGene::new);
    }

    // ---------------------------------------------------------------- genes

    /** Raw choices; the interpretation takes them modulo what is available. */
    record FilterGene(List<Integer> onlyBranches, List<Integer> ignoreBranches, List<Integer> onlyTags,
            List<Integer> ignoreTags) {
    }

    record Setting(int witness, int chain, boolean preview, int extras) {
    }

    record EnvGene(FilterGene filter, int flags, int extras) {
    }

    /** Kind 0: a push with a filter; 1: a schedule; 2: every push. */
    record TriggerGene(int kind, FilterGene filter) {
    }

    record StepGene(boolean java, int variant) {
    }

    record StageGene(List<Integer> needs, int env, int flags, List<Integer> roles, FilterGene filter,
            List<StepGene> steps, int extras) {
    }

    record PipelineGene(Setting setting, List<EnvGene> environments, List<Integer> roles, List<TriggerGene> triggers,
            List<StageGene> stages, long shuffle) {
    }

    // ---------------------------------------------------------------- specs

    /** A filter as pattern texts, with CircleCI's reading of them written out independently. */
    record FilterSpec(List<String> onlyBranches, List<String> ignoreBranches, List<String> onlyTags,
            List<String> ignoreTags) {
        static final FilterSpec NONE = new FilterSpec(List.of(), List.of(), List.of(), List.of());

        static FilterSpec of(FilterGene g) {
            return new FilterSpec(pick(g.onlyBranches(), BRANCH_PATTERNS), pick(g.ignoreBranches(), BRANCH_PATTERNS),
                    pick(g.onlyTags(), TAG_PATTERNS), pick(g.ignoreTags(), TAG_PATTERNS));
        }

        private static List<String> pick(List<Integer> picks, List<String> pool) {
            return picks.stream().map(i -> pool.get(i % pool.size())).distinct().toList();
        }

        /** This filter, changed as little as needed so that it accepts {@code witness}. */
        FilterSpec admitting(Ref witness) {
            boolean branch = witness.kind() == Ref.Kind.BRANCH;
            List<String> only = branch ? onlyBranches : onlyTags;
            List<String> ignore = (branch ? ignoreBranches : ignoreTags).stream()
                    .filter(p -> !matches(p, witness.name())).toList();
            if (only.isEmpty() ? !branch && ignore.isEmpty() : only.stream().noneMatch(p -> matches(p, witness.name()))) {
                only = concat(only, List.of(witness.name()));
            }
            return branch ? new FilterSpec(only, ignore, onlyTags, ignoreTags)
                    : new FilterSpec(onlyBranches, ignoreBranches, only, ignore);
        }

        /** This filter with some branch restriction that still lets {@code witness} through. */
        FilterSpec restrictingBranches(Ref witness) {
            if (!onlyBranches.isEmpty() || !ignoreBranches.isEmpty()) {
                return this;
            }
            return witness.kind() == Ref.Kind.BRANCH
                    ? new FilterSpec(List.of(witness.name()), ignoreBranches, onlyTags, ignoreTags)
                    : new FilterSpec(onlyBranches, List.of("/.*/"), onlyTags, ignoreTags);
        }

        boolean accepts(Ref ref) {
            if (ref.kind() == Ref.Kind.BRANCH) {
                return passes(onlyBranches, ignoreBranches, ref.name());
            }
            boolean tagFilter = !onlyTags.isEmpty() || !ignoreTags.isEmpty();
            return tagFilter && passes(onlyTags, ignoreTags, ref.name());
        }

        private static boolean passes(List<String> only, List<String> ignore, String name) {
            return (only.isEmpty() || only.stream().anyMatch(p -> matches(p, name)))
                    && ignore.stream().noneMatch(p -> matches(p, name));
        }

        static boolean matches(String pattern, String name) {
            if (pattern.length() >= 2 && pattern.startsWith("/") && pattern.endsWith("/")) {
                return Pattern.matches(pattern.substring(1, pattern.length() - 1), name);
            }
            return pattern.equals(name);
        }

        void applyTo(Filter.Builder f) {
            f.onlyBranches(onlyBranches.toArray(String[]::new)).ignoreBranches(ignoreBranches.toArray(String[]::new))
                    .onlyTags(onlyTags.toArray(String[]::new)).ignoreTags(ignoreTags.toArray(String[]::new));
        }

        Filter build() {
            Filter.Builder f = Filter.builder();
            applyTo(f);
            return f.build();
        }

        @Override
        public String toString() {
            return "{b+" + onlyBranches + " b-" + ignoreBranches + " t+" + onlyTags + " t-" + ignoreTags + "}";
        }
    }

    record EnvSpec(String name, @Nullable String promotedFrom, int depth, FilterSpec filter, boolean role,
            boolean approval, boolean protect, int extras) {

        String roleName() {
            return "deploy-" + name;
        }

        EnvSpec withoutRole() {
            return new EnvSpec(name, promotedFrom, depth, filter, false, approval, protect, extras);
        }

        Environment build(Map<String, Environment> built, Map<String, Role> roles) {
            Environment.Builder b = Environment.named(name).filter(filter::applyTo);
            if (promotedFrom != null) {
                b.promotedFrom(built.get(promotedFrom));
            }
            if (role) {
                b.role(roles.get(roleName()));
            }
            if (approval) {
                b.approval(a -> {
                    a.message("Deploy to " + name + "?");
                    if ((extras & 1) != 0) {
                        a.approvers("leads").timeout(Duration.ofHours(8));
                    }
                });
            }
            if (protect) {
                b.protect();
            }
            if ((extras & 2) != 0) {
                b.description("where " + name + " runs").putVariable("STAGE", name);
            }
            if ((extras & 4) != 0) {
                b.secrets("DB_PASSWORD", "API_KEY");
            }
            if ((extras & 8) != 0) {
                b.circleci(c -> c.context(name + "-context"));
            }
            return b.build();
        }

        @Override
        public String toString() {
            return name + (promotedFrom == null ? "" : " from " + promotedFrom) + " " + filter + (role ? " role" : "")
                    + (approval ? " approval" : "") + (protect ? " protected" : "");
        }
    }

    record TriggerSpec(boolean schedule, boolean everyPush, FilterSpec filter) {
        static final TriggerSpec EVERY_PUSH = new TriggerSpec(false, true,
                new FilterSpec(List.of(), List.of(), List.of("/.*/"), List.of()));

        Trigger build() {
            if (everyPush) {
                return Trigger.push();
            }
            return schedule ? Trigger.schedule("nightly", "0 2 * * *", filter.onlyBranches().toArray(String[]::new))
                    : Trigger.push(filter::applyTo);
        }

        @Override
        public String toString() {
            return everyPush ? "every push" : (schedule ? "schedule " : "push ") + filter;
        }
    }

    record StepSpec(boolean java, int variant) {
        void addTo(Stage.Builder s) {
            if (java) {
                s.java("check-" + variant, ACTION);
            } else if (variant % 3 == 0) {
                s.run("./mvnw -B verify -Dpart=" + variant);
            } else if (variant % 3 == 1) {
                s.run("echo step " + variant, d -> d.name("step " + variant).putEnvironment("PART", "" + variant));
            } else {
                s.run("./deploy.sh " + variant, d -> d.timeout(Duration.ofMinutes(1 + variant)).workingDirectory("app"));
            }
        }
    }

    record StageSpec(String name, List<String> needs, @Nullable String env, boolean deploy, List<String> roles,
            boolean approvalGate, boolean checkGate, FilterSpec filter, List<StepSpec> steps, int extras,
            boolean ghostEnvironment, boolean ghostRole) {

        /** A stage with one step and nothing else. */
        static StageSpec plain(String name) {
            return new StageSpec(name, List.of(), null, false, List.of(), false, false, FilterSpec.NONE,
                    List.of(new StepSpec(false, 0)), 0, false, false);
        }

        StageSpec withNeed(String need) {
            return new StageSpec(name, concat(needs, List.of(need)), env, deploy, roles, approvalGate, checkGate, filter,
                    steps, extras, ghostEnvironment, ghostRole);
        }

        StageSpec withFilter(FilterSpec other) {
            return new StageSpec(name, needs, env, deploy, roles, approvalGate, checkGate, other, steps, extras,
                    ghostEnvironment, ghostRole);
        }

        StageSpec withRole(String role) {
            return new StageSpec(name, needs, env, deploy, concat(roles, List.of(role)), approvalGate, checkGate,
                    filter, steps, extras, ghostEnvironment, ghostRole);
        }

        StageSpec withGhostEnvironment() {
            return new StageSpec(name, needs, env, deploy, roles, approvalGate, checkGate, filter, steps, extras, true,
                    ghostRole);
        }

        StageSpec withGhostRole() {
            return new StageSpec(name, needs, env, deploy, roles, approvalGate, checkGate, filter, steps, extras,
                    ghostEnvironment, true);
        }

        /** Whether the stage acts as {@code role}, counting the role {@code deploy} gives it. */
        boolean holds(String role, List<EnvSpec> environments) {
            return roles.contains(role) || deploy && environments.stream()
                    .anyMatch(e -> e.name().equals(env) && e.role() && e.roleName().equals(role));
        }

        void configure(Stage.Builder s, Map<String, Environment> environments, Map<String, Role> allRoles) {
            if (!needs.isEmpty()) {
                s.needs(needs.toArray(String[]::new));
            }
            if (env != null && !deploy) {
                s.in(environments.get(env));
            }
            roles.forEach(r -> s.as(allRoles.get(r)));
            if (approvalGate) {
                s.gate(Gate.manualApproval());
            }
            if (checkGate) {
                s.gate(Gate.check("smoke-ok", CHECK));
            }
            steps.forEach(step -> step.addTo(s));
            s.filter(filter::applyTo);
            if ((extras & 1) != 0) {
                s.description("stage " + name);
            }
            if ((extras & 2) != 0) {
                s.putVariable("STAGE_NAME", name);
            }
            if ((extras & 4) != 0) {
                s.secrets("API_TOKEN");
            }
            if ((extras & 8) != 0) {
                s.timeout(Duration.ofMinutes(30));
            }
            if ((extras & 16) != 0) {
                s.retry(3, Duration.ofSeconds(10));
            }
            if ((extras & 32) != 0) {
                s.circleci(c -> c.resourceClass("large").storeTestResults("target/surefire-reports"));
            }
            if (ghostEnvironment) {
                s.in(GHOST_ENVIRONMENT);
            }
            if (ghostRole) {
                s.as(GHOST_ROLE);
            }
        }

        @Override
        public String toString() {
            return name + (needs.isEmpty() ? "" : " needs " + needs) + (env == null ? "" : (deploy ? " deploy " : " in ")
                    + env) + (roles.isEmpty() ? "" : " as " + roles) + (approvalGate ? " approved" : "") + " " + filter
                    + (ghostEnvironment ? " in(nowhere)" : "") + (ghostRole ? " as(intruder)" : "");
        }
    }

    /**
     * A pipeline described plainly. {@code stages} are in generation order (needs point to earlier
     * stages, until a cycle is injected); {@code order} is the declaration order, as indexes into
     * {@code stages}; {@code extra} stages are declared after them.
     */
    record PipelineSpec(Ref witness, List<EnvSpec> environments, List<String> freeRoles, List<TriggerSpec> triggers,
            List<StageSpec> stages, List<Integer> order, List<StageSpec> extra, int extras) {

        static PipelineSpec interpret(PipelineGene g, boolean valid) {
            Setting setting = g.setting();
            int w = setting.witness();
            Ref witness = w < BRANCHES.size() ? Ref.branch(BRANCHES.get(w)) : Ref.tag(TAGS.get(w - BRANCHES.size()));

            List<EnvSpec> environments = new ArrayList<>();
            int chain = valid ? setting.chain() : CHAIN.size();
            for (int k = 0; k < chain; k++) {
                EnvGene e = g.environments().get(k);
                boolean protect = valid && k == 2 && (e.flags() & 4) != 0;
                FilterSpec filter = FilterSpec.of(e.filter());
                if (valid) {
                    filter = filter.admitting(witness);
                }
                if (protect) {
                    filter = filter.restrictingBranches(witness);
                }
                environments.add(new EnvSpec(CHAIN.get(k), k == 0 ? null : CHAIN.get(k - 1), k, filter,
                        (e.flags() & 1) != 0, (e.flags() & 2) != 0 || protect, protect, e.extras()));
            }
            if (setting.preview() || !valid) {
                EnvGene e = g.environments().get(3);
                FilterSpec filter = valid ? FilterSpec.of(e.filter()).admitting(witness) : FilterSpec.of(e.filter());
                environments.add(new EnvSpec("preview", null, -1, filter, (e.flags() & 1) != 0, (e.flags() & 2) != 0,
                        false, e.extras()));
            }

            List<String> freeRoles = valid
                    ? g.roles().stream().map(r -> FREE_ROLES.get(r % FREE_ROLES.size())).distinct().toList()
                    : List.of();

            List<TriggerSpec> triggers = new ArrayList<>();
            for (int k = 0; k < g.triggers().size(); k++) {
                TriggerGene t = g.triggers().get(k);
                if (t.kind() == 2) {
                    triggers.add(TriggerSpec.EVERY_PUSH);
                    continue;
                }
                boolean first = valid && k == 0;
                boolean schedule = t.kind() == 1 && !(first && witness.kind() == Ref.Kind.TAG);
                FilterSpec filter = first ? FilterSpec.of(t.filter()).admitting(witness) : FilterSpec.of(t.filter());
                if (schedule) {
                    List<String> branches = filter.onlyBranches().isEmpty()
                            ? List.of(first ? witness.name() : BRANCHES.get(k)) : filter.onlyBranches();
                    filter = new FilterSpec(branches, List.of(), List.of(), List.of());
                }
                triggers.add(new TriggerSpec(schedule, false, filter));
            }

            int n = g.stages().size();
            List<StageSpec> stages = new ArrayList<>();
            List<BitSet> upstream = new ArrayList<>();
            int[] depth = new int[n];
            boolean[] approved = new boolean[n];
            for (int i = 0; i < n; i++) {
                StageGene sg = g.stages().get(i);
                Set<Integer> needs = new LinkedHashSet<>();
                for (int pick : i == 0 ? List.<Integer>of() : sg.needs()) {
                    needs.add(pick % i);
                }
                BitSet up = new BitSet();
                int maxDepth = -1;
                for (int j : needs) {
                    up.set(j);
                    up.or(upstream.get(j));
                    maxDepth = Math.max(maxDepth, depth[j]);
                }
                EnvSpec env;
                if (valid) {
                    List<EnvSpec> allowed = new ArrayList<>();
                    allowed.add(null);
                    for (EnvSpec e : environments) {
                        boolean notBackwards = e.depth() < 0 || e.depth() >= maxDepth;
                        boolean previousDeployed = e.promotedFrom() == null
                                || stages.stream().anyMatch(s -> e.promotedFrom().equals(s.env()));
                        if (notBackwards && previousDeployed) {
                            allowed.add(e);
                        }
                    }
                    env = allowed.get(sg.env() % allowed.size());
                    if (env != null && env.promotedFrom() != null
                            && up.stream().noneMatch(j -> env.promotedFrom().equals(stages.get(j).env()))) {
                        List<Integer> previous = IntStream.range(0, i)
                                .filter(j -> env.promotedFrom().equals(stages.get(j).env())).boxed().toList();
                        int j = previous.get(sg.env() % previous.size());
                        needs.add(j);
                        up.set(j);
                        up.or(upstream.get(j));
                        maxDepth = Math.max(maxDepth, depth[j]);
                    }
                } else {
                    int pick = sg.env() % (environments.size() + 1);
                    env = pick == 0 ? null : environments.get(pick - 1);
                }
                depth[i] = Math.max(maxDepth, env == null ? -1 : env.depth());

                boolean deploy = valid && env != null && (sg.flags() & 1) != 0;
                List<String> roles = new ArrayList<>();
                if (valid) {
                    for (int r : sg.roles()) {
                        String role = FREE_ROLES.get(r % FREE_ROLES.size());
                        if (freeRoles.contains(role) && !roles.contains(role)) {
                            roles.add(role);
                        }
                    }
                    if (env != null && env.role() && !deploy && (sg.flags() & 2) != 0) {
                        roles.add(env.roleName());
                    }
                }
                boolean approvalGate = (sg.flags() & 16) != 0;
                if (valid && env != null && env.protect() && !deploy) {
                    boolean approvedUpstream = up.stream()
                            .anyMatch(j -> env.name().equals(stages.get(j).env()) && approved[j]);
                    approvalGate |= !approvedUpstream || (sg.flags() & 8) != 0;
                }
                approved[i] = approvalGate || deploy && env.approval();
                FilterSpec filter = valid ? FilterSpec.of(sg.filter()).admitting(witness) : FilterSpec.of(sg.filter());
                List<StepSpec> steps = sg.steps().stream().map(s -> new StepSpec(s.java(), s.variant())).toList();
                List<String> needNames = needs.stream().map(j -> stages.get(j).name()).toList();
                stages.add(new StageSpec(WORDS.get(i % WORDS.size()) + "-" + i, needNames, env == null ? null
                        : env.name(), deploy, List.copyOf(roles), approvalGate, (sg.flags() & 4) != 0, filter, steps,
                        sg.extras(), false, false));
                upstream.add(up);
            }

            if (valid) {
                // Every role must be held: an environment's by one of its stages (or it has none).
                for (int k = 0; k < environments.size(); k++) {
                    EnvSpec e = environments.get(k);
                    if (!e.role()) {
                        continue;
                    }
                    List<Integer> in = IntStream.range(0, n).filter(i -> e.name().equals(stages.get(i).env())).boxed()
                            .toList();
                    if (in.isEmpty()) {
                        environments.set(k, e.withoutRole());
                    } else if (in.stream().noneMatch(i -> stages.get(i).holds(e.roleName(), environments))) {
                        stages.set(in.get(0), stages.get(in.get(0)).withRole(e.roleName()));
                    }
                }
                for (String role : freeRoles) {
                    if (stages.stream().noneMatch(s -> s.roles().contains(role))) {
                        int i = setting.extras() % n;
                        stages.set(i, stages.get(i).withRole(role));
                    }
                }
            }

            List<Integer> order = new ArrayList<>(IntStream.range(0, n).boxed().toList());
            if (g.shuffle() != 0) {
                Collections.shuffle(order, new Random(g.shuffle()));
            }
            return new PipelineSpec(witness, List.copyOf(environments), freeRoles, List.copyOf(triggers),
                    List.copyOf(stages), List.copyOf(order), List.of(), setting.extras());
        }

        PipelineSpec withStage(int i, StageSpec s) {
            List<StageSpec> changed = new ArrayList<>(stages);
            changed.set(i, s);
            return new PipelineSpec(witness, environments, freeRoles, triggers, List.copyOf(changed), order, extra,
                    extras);
        }

        PipelineSpec withExtraStage(StageSpec s) {
            return new PipelineSpec(witness, environments, freeRoles, triggers, stages, order, concat(extra, List.of(s)),
                    extras);
        }

        PipelineSpec declaredInGenerationOrder() {
            return new PipelineSpec(witness, environments, freeRoles, triggers, stages,
                    IntStream.range(0, stages.size()).boxed().toList(), extra, extras);
        }

        /** The stages in declaration order. */
        List<StageSpec> declared() {
            return Stream.concat(order.stream().map(stages::get), extra.stream()).toList();
        }

        Map<String, List<String>> needsByName() {
            Map<String, List<String>> needs = new LinkedHashMap<>();
            stages.forEach(s -> needs.put(s.name(), s.needs()));
            return needs;
        }

        /** Every stage each stage needs, directly or not. Assumes no cycle. */
        Map<String, Set<String>> upstreamByName() {
            Map<String, Set<String>> upstream = new LinkedHashMap<>();
            for (StageSpec s : stages) {
                Set<String> all = new LinkedHashSet<>();
                for (String need : s.needs()) {
                    all.add(need);
                    all.addAll(upstream.get(need));
                }
                upstream.put(s.name(), all);
            }
            return upstream;
        }

        /** Indexes of the stages that need stage {@code i}, directly or not. */
        List<Integer> downstream(int i) {
            Map<String, Set<String>> upstream = upstreamByName();
            String name = stages.get(i).name();
            return IntStream.range(0, stages.size()).filter(j -> upstream.get(stages.get(j).name()).contains(name))
                    .boxed().toList();
        }

        /** The stages that run for {@code ref}, worked out from the specs alone. */
        Set<String> running(Ref ref) {
            Set<String> running = new LinkedHashSet<>();
            boolean triggered = triggers.isEmpty() || triggers.stream().anyMatch(t -> t.filter().accepts(ref));
            if (!triggered) {
                return running;
            }
            Map<String, FilterSpec> environmentFilters = new LinkedHashMap<>();
            environments.forEach(e -> environmentFilters.put(e.name(), e.filter()));
            // Generation order puts needs first, so one pass decides every stage.
            for (StageSpec s : stages) {
                if (s.filter().accepts(ref) && (s.env() == null || environmentFilters.get(s.env()).accepts(ref))
                        && running.containsAll(s.needs())) {
                    running.add(s.name());
                }
            }
            return running;
        }

        private Map<String, Role> roleObjects() {
            Map<String, Role> roles = new LinkedHashMap<>();
            for (EnvSpec e : environments) {
                if (e.role()) {
                    roles.put(e.roleName(), role(e.roleName()));
                }
            }
            freeRoles.forEach(r -> roles.put(r, role(r)));
            return roles;
        }

        private static Role role(String name) {
            return Role.named(name).description("acts for " + name)
                    .assumes("arn:aws:iam::123456789012:role/" + name)
                    .grant("lambda:UpdateFunctionCode", "arn:aws:lambda:*:*:function:" + name).build();
        }

        private Map<String, Environment> environmentObjects(Map<String, Role> roles) {
            Map<String, Environment> built = new LinkedHashMap<>();
            environments.forEach(e -> built.put(e.name(), e.build(built, roles)));
            return built;
        }

        Pipeline build() {
            Map<String, Role> roles = roleObjects();
            Map<String, Environment> envs = environmentObjects(roles);
            Pipeline.Draft draft = Pipeline.named("generated");
            if ((extras & 1) != 0) {
                draft.description("a generated pipeline");
            }
            draft.environments(envs.values().toArray(Environment[]::new));
            if ((extras & 4) != 0) {
                // Environment roles may be declared on the pipeline too.
                environments.stream().filter(EnvSpec::role).forEach(e -> draft.role(roles.get(e.roleName())));
            }
            freeRoles.forEach(r -> draft.role(roles.get(r)));
            triggers.forEach(t -> draft.trigger(t.build()));
            if ((extras & 2) != 0) {
                draft.circleci(c -> c.docker("cimg/openjdk:17.0").resourceClass("medium"));
            }
            Pipeline.Builder builder = null;
            for (StageSpec s : declared()) {
                Pipeline.Draft target = builder == null ? draft : builder;
                Consumer<Stage.Builder> configuration = b -> s.configure(b, envs, roles);
                if (s.deploy()) {
                    builder = target.deploy(s.name(), envs.get(s.env()), configuration);
                } else if ((s.extras() & 64) != 0) {
                    Stage.Builder prebuilt = Stage.named(s.name());
                    configuration.accept(prebuilt);
                    builder = target.stage(prebuilt.build());
                } else {
                    builder = target.stage(s.name(), configuration);
                }
            }
            return builder.build();
        }

        /** The problems {@code build()} reports; fails if it builds. */
        List<Problem> problems() {
            try {
                Pipeline p = build();
                return fail("expected %s to be invalid", p);
            } catch (InvalidPipelineException e) {
                return e.problems();
            }
        }

        /** The problems {@code build()} reports; none if it builds. */
        List<Problem> problemsIfAny() {
            try {
                build();
                return List.of();
            } catch (InvalidPipelineException e) {
                return e.problems();
            }
        }

        /** The stages built one by one, without the pipeline's checks. */
        Map<String, Stage> stageMap() {
            Map<String, Role> roles = roleObjects();
            Map<String, Environment> envs = environmentObjects(roles);
            Map<String, Stage> map = new LinkedHashMap<>();
            for (StageSpec s : stages) {
                Stage.Builder b = Stage.named(s.name());
                s.configure(b, envs, roles);
                map.put(s.name(), b.build());
            }
            return map;
        }

        List<Trigger> triggerList() {
            return triggers.stream().map(TriggerSpec::build).toList();
        }

        @Override
        public String toString() {
            return "witness " + witness + "\n  environments " + environments + "\n  roles " + freeRoles
                    + "\n  triggers " + triggers + "\n  declared in order " + order + "\n  "
                    + Stream.concat(stages.stream(), extra.stream()).map(StageSpec::toString)
                            .collect(Collectors.joining("\n  "));
        }
    }
}
