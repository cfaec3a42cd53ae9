package dev.pipewright.assertions;

import static dev.pipewright.assertions.AbstractPipelineAssert.quote;

import dev.pipewright.Environment;
import dev.pipewright.Filter;
import dev.pipewright.Gate;
import dev.pipewright.Permission;
import dev.pipewright.Pipeline;
import dev.pipewright.Ref;
import dev.pipewright.Role;
import dev.pipewright.Stage;
import dev.pipewright.Trigger;
import dev.pipewright.internal.Graph;
import dev.pipewright.internal.Reach;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * One pipeline's facts as the assertions need them, worked out once and shared by a pipeline's
 * assertion and the stage assertions it navigates to. Where an answer depends on filters, the
 * explanation names each filter with where it comes from, so a failure says where to look.
 */
final class Analysis {
    private final Pipeline pipeline;
    private final Map<String, Stage> stages = new LinkedHashMap<>();
    private final Graph graph;
    private final Reach reach;

    private Analysis(Pipeline pipeline) {
        this.pipeline = pipeline;
        Map<String, List<String>> needs = new LinkedHashMap<>();
        for (Stage s : pipeline.stages()) {
            stages.put(s.name(), s);
            needs.put(s.name(), s.needs());
        }
        this.graph = Graph.of(needs);
        this.reach = Reach.of(stages, pipeline.triggers());
    }

    static Analysis of(Pipeline pipeline) {
        return new Analysis(pipeline);
    }

    Pipeline pipeline() {
        return pipeline;
    }

    String subject() {
        return "pipeline " + quote(pipeline.name());
    }

    Optional<Stage> stage(String name) {
        return Optional.ofNullable(stages.get(name));
    }

    List<String> stageNames() {
        return List.copyOf(stages.keySet());
    }

    List<String> environmentNames() {
        return pipeline.environments().stream().map(Environment::name).toList();
    }

    List<String> roleNames() {
        return pipeline.roles().stream().map(Role::name).toList();
    }

    /** The stages working in the environment called {@code environment}, in topological order. */
    List<Stage> stagesIn(String environment) {
        return stages.values().stream().filter(s -> isIn(s, environment)).toList();
    }

    /** Every stage {@code stage} needs, directly or through others. */
    Set<String> upstream(Stage stage) {
        return graph.upstream(stage.name());
    }

    /**
     * {@code no stage is called 'x'; stages: [a, b]} for the names in {@code given} that are not
     * in {@code known}, or the empty string when all are known.
     */
    static String unknown(String kind, Collection<String> given, List<String> known) {
        List<String> unknown = given.stream().filter(g -> !known.contains(g)).distinct().toList();
        if (unknown.isEmpty()) {
            return "";
        }
        return "no " + kind + " is called " + unknown.stream().map(AbstractPipelineAssert::quote)
                .collect(Collectors.joining(" or ")) + "; " + kind + "s: " + known;
    }

    /** {@code ; no stage is called 'x'; stages: [a, b]}, or the empty string when all are known. */
    static String unknownNote(String kind, Collection<String> given, List<String> known) {
        String unknown = unknown(kind, given, known);
        return unknown.isEmpty() ? "" : "; " + unknown;
    }

    static List<String> roleNames(Stage stage) {
        return stage.roles().stream().map(Role::name).toList();
    }

    static boolean isIn(Stage stage, String environment) {
        return stage.environment().filter(e -> e.name().equals(environment)).isPresent();
    }

    boolean runsOn(Stage stage, Ref ref) {
        return reach.runsOn(stage.name(), ref);
    }

    /** The exact branches {@code stage} runs on, or empty when the set is unbounded. */
    Optional<Set<String>> branches(Stage stage) {
        return reach.names(stage.name(), Ref.Kind.BRANCH).map(TreeSet::new);
    }

    /** {@code run only on branches [a, b]}, or {@code run on no branch}. */
    static String runOnlyOn(Collection<String> branches) {
        return branches.isEmpty() ? "run on no branch" : "run only on branches " + branches;
    }

    /** {@code branches [a, b]} or {@code no branch}. */
    static String describeBranches(Set<String> branches) {
        return branches.isEmpty() ? "no branch" : "branches " + new TreeSet<>(branches);
    }

    /** A filter a run must pass to reach a stage, and where it comes from. */
    private record Source(String where, Filter filter) {
        @Override
        public String toString() {
            return where + " (" + filter + ")";
        }
    }

    /** The filters a run must pass to reach {@code stage}, the same ones {@link Reach} reads. */
    private List<Source> sources(Stage stage) {
        List<Source> all = new ArrayList<>();
        Set<String> environments = new HashSet<>();
        all.add(new Source("its own filter", stage.filter()));
        stage.environment().ifPresent(e -> {
            environments.add(e.name());
            all.add(new Source("environment " + quote(e.name()), e.filter()));
        });
        for (String name : upstream(stage)) {
            Stage u = stages.get(name);
            all.add(new Source("needed stage " + quote(name), u.filter()));
            u.environment().filter(e -> environments.add(e.name())).ifPresent(e -> all.add(
                    new Source("environment " + quote(e.name()) + " of needed stage " + quote(name), e.filter())));
        }
        return all;
    }

    /** Whether some trigger starts the pipeline for every branch. */
    boolean triggersAcceptEveryBranch() {
        return pipeline.triggers().stream().anyMatch(t -> !t.filter().restrictsBranches());
    }

    private String triggers() {
        return "the pipeline's triggers " + pipeline.triggers();
    }

    /** What restricts the branches {@code stage} runs on; empty when it runs on every branch. */
    List<String> branchRestrictions(Stage stage) {
        List<String> found = new ArrayList<>();
        for (Source s : sources(stage)) {
            if (s.filter().restrictsBranches()) {
                found.add(s.toString());
            }
        }
        if (!triggersAcceptEveryBranch()) {
            found.add(triggers());
        }
        return found;
    }

    /** What keeps {@code stage} from running for {@code ref}; empty when it runs. */
    List<String> rejections(Stage stage, Ref ref) {
        List<String> found = new ArrayList<>();
        for (Source s : sources(stage)) {
            if (!s.filter().accepts(ref)) {
                found.add(ref.kind() == Ref.Kind.TAG && !s.filter().hasTagFilter()
                        ? s.where() + " has no tag filter, so tag pushes skip it"
                        : s + " rejects it");
            }
        }
        if (pipeline.triggers().stream().noneMatch(t -> t.accepts(ref))) {
            found.add("no trigger starts the pipeline for it (" + triggers() + ")");
        }
        return found;
    }

    /** The filters that say anything, for explaining why a ref does get through. */
    String filtersInPlay(Stage stage) {
        List<String> found = new ArrayList<>();
        for (Source s : sources(stage)) {
            if (!s.filter().equals(Filter.allBranches())) {
                found.add(s.toString());
            }
        }
        if (!pipeline.triggers().equals(List.of(Trigger.push()))) {
            found.add(triggers());
        }
        return found.isEmpty() ? "no filter or trigger restricts it" : "filters in play: " + String.join("; ", found);
    }

    /** Why {@code stage} does not run on exactly {@code expected} branches; empty when it does. */
    Optional<String> whyNotOnlyOn(Stage stage, Collection<String> expected) {
        Optional<Set<String>> found = branches(stage);
        if (found.isEmpty()) {
            List<String> restrictions = branchRestrictions(stage);
            return Optional.of(restrictions.isEmpty()
                    ? "it runs on every branch: no filter or trigger restricts its branches"
                    : "the set of branches it runs on is unbounded: no filter or trigger names its branches exactly ("
                            + String.join("; ", restrictions) + ")");
        }
        Difference difference = Difference.between(expected, found.get());
        return difference.isEmpty() ? Optional.empty()
                : Optional.of("it runs on " + describeBranches(found.get()) + " (" + difference + ")");
    }

    /**
     * The manual approvals {@code stage} waits for: its own, and those of the stages it needs,
     * directly or not, that work in its environment.
     */
    List<String> approvals(Stage stage) {
        List<String> found = new ArrayList<>();
        stage.gates().stream().filter(Gate::isManualApproval).forEach(g -> found.add(g + " (its own)"));
        if (stage.environment().isEmpty()) {
            return found;
        }
        String environment = stage.environment().get().name();
        for (String name : upstream(stage)) {
            Stage u = stages.get(name);
            if (isIn(u, environment)) {
                u.gates().stream().filter(Gate::isManualApproval).forEach(g -> found.add(
                        g + " of needed stage " + quote(name) + " in environment " + quote(environment)));
            }
        }
        return found;
    }

    /** Why {@code stage} is not gated by a manual approval; empty when it is. */
    Optional<String> whyNotGated(Stage stage) {
        if (!approvals(stage).isEmpty()) {
            return Optional.empty();
        }
        String gates = " (gates: " + stage.gates() + ")";
        return Optional.of(stage.environment()
                .map(e -> "it has no manual approval, and no stage it needs in environment " + quote(e.name())
                        + " has one" + gates)
                .orElse("it has no manual approval, and it works in no environment, so approvals of the stages"
                        + " it needs do not count" + gates));
    }

    /**
     * Each role {@code stage} holds that covers none of its steps' permissions, by name, with
     * why: {@code grants [...], which covers none of what its steps need: [...]}.
     */
    static Map<String, String> unusedRoles(Stage stage) {
        Map<String, String> found = new LinkedHashMap<>();
        List<Permission> needed = stage.permissions();
        for (Role r : stage.roles()) {
            if (!stage.uses(r)) {
                found.put(r.name(), "grants " + r.grants() + (needed.isEmpty()
                        ? ", but its steps declare no permissions"
                        : ", which covers none of what its steps need: " + needed));
            }
        }
        return found;
    }

    /** Why {@code stage} acts as a role outside {@code allowed}; empty when it does not. */
    static Optional<String> whyNotOnlyAs(Stage stage, Collection<String> allowed) {
        List<String> held = roleNames(stage);
        List<String> extra = held.stream().filter(r -> !allowed.contains(r)).toList();
        return extra.isEmpty() ? Optional.empty()
                : Optional.of("it also acts as " + extra + " (roles: " + held + ")");
    }
}
