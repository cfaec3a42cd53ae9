package dev.pipewright;

import dev.pipewright.internal.Graph;
import dev.pipewright.internal.Reach;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The checks that need the whole pipeline: references between stages, environments and roles,
 * cycles, stages that can never run, promotion order, protected environments and unused roles.
 * Each check adds to the shared {@link Problems}; none stops at the first problem.
 */
final class PipelineValidator {
    private final Problems problems;
    private final List<Environment> environments;
    private final List<Role> roles;
    private final List<Trigger> triggers;
    private final Map<String, Stage> stages;
    private final Set<String> stageNames;
    private final CircleCiOptions circleci;

    PipelineValidator(Problems problems, List<Environment> environments, List<Role> roles, List<Trigger> triggers,
            Map<String, Stage> stages, Set<String> stageNames, CircleCiOptions circleci) {
        this.problems = problems;
        this.environments = environments;
        this.roles = roles;
        this.triggers = triggers;
        this.stages = stages;
        this.stageNames = stageNames;
        this.circleci = circleci;
    }

    /** Runs every check; returns the stages in topological order when there is no cycle. */
    List<Stage> validate() {
        checkEnvironments();
        checkRoles();
        stages.values().forEach(this::checkReferences);
        Map<String, List<String>> needs = new LinkedHashMap<>();
        stages.values().forEach(s -> needs.put(s.name(), s.needs()));
        Graph graph = Graph.of(needs);
        List<List<String>> cycles = graph.cycles();
        for (List<String> cycle : cycles) {
            problems.add("stage " + Problems.quote(cycle.get(0)) + " > needs",
                    "cycle " + String.join(" -> ", cycle) + ".", "Remove one of these needs.");
        }
        if (!cycles.isEmpty()) {
            return List.of();
        }
        List<Stage> ordered = graph.topologicalOrder().stream().map(stages::get).toList();
        // A stage whose needs all built (transitively) can be judged even when others failed;
        // promotion and unused roles look across stages, so they wait until every stage built.
        boolean complete = stages.size() == stageNames.size();
        Set<String> sound = new java.util.HashSet<>();
        Reach reach = Reach.of(stages, triggers);
        for (Stage s : ordered) {
            if (!s.needs().stream().allMatch(sound::contains)) {
                continue;
            }
            sound.add(s.name());
            checkCanRun(s, reach);
            s.environment().filter(Environment::isProtected).ifPresent(e -> checkProtected(s, e, graph));
            if (complete) {
                s.environment().ifPresent(e -> checkPromotion(s, e, graph, reach));
            }
        }
        if (complete) {
            checkRolesUsed();
        }
        return ordered;
    }

    private void checkEnvironments() {
        Map<String, List<Environment>> byName = environments.stream()
                .collect(Collectors.groupingBy(Environment::name, LinkedHashMap::new, Collectors.toList()));
        byName.forEach((name, list) -> {
            if (list.size() > 1) {
                boolean same = list.stream().distinct().count() == 1;
                problems.add("environment " + Problems.quote(name),
                        same ? "it is declared " + list.size() + " times." : list.size()
                                + " different environments have this name.",
                        same ? "Declare it once." : "Give each environment its own name.");
            }
        });
        for (Environment e : environments) {
            e.promotedFrom().ifPresent(p -> checkDeclared(p, "environment " + Problems.quote(e.name())
                    + " > promotedFrom(" + p.name() + ")"));
        }
    }

    private void checkRoles() {
        Map<String, List<Role>> byName = roles.stream()
                .collect(Collectors.groupingBy(Role::name, LinkedHashMap::new, Collectors.toList()));
        byName.forEach((name, list) -> {
            if (list.size() > 1) {
                problems.add("role " + Problems.quote(name), list.size() + " different roles have this name.",
                        "Give each role its own name, or use the same Role object everywhere.");
            }
        });
    }

    /** Whether {@code e} is one of the declared environments; reports it if not. */
    private boolean checkDeclared(Environment e, String path) {
        Optional<Environment> declared = environments.stream().filter(d -> d.name().equals(e.name())).findFirst();
        if (declared.isEmpty()) {
            problems.add(path, "environment " + Problems.quote(e.name()) + " is not declared on the pipeline; declared: "
                    + names(environments.stream().map(Environment::name).toList()) + ".",
                    "Declare it with .environments(...).");
            return false;
        }
        if (!declared.get().equals(e)) {
            problems.add(path, "this environment " + Problems.quote(e.name())
                    + " differs from the one declared on the pipeline under that name.",
                    "Use the same Environment object in both places.");
            return false;
        }
        return true;
    }

    private void checkReferences(Stage s) {
        String path = "stage " + Problems.quote(s.name());
        for (String need : s.needs()) {
            if (!stageNames.contains(need)) {
                problems.add(path + " > needs", "no stage is called " + Problems.quote(need) + suggestion(need, stageNames)
                        + "; stages: " + names(stageNames) + ".", "Fix the name or add the stage.");
            }
        }
        s.environment().ifPresent(e -> checkDeclared(e, path + " > in(" + e.name() + ")"));
        for (Role r : s.roles()) {
            String rolePath = path + " > as(" + r.name() + ")";
            Optional<Role> declared = roles.stream().filter(d -> d.name().equals(r.name())).findFirst();
            if (declared.isEmpty()) {
                problems.add(rolePath, "role " + Problems.quote(r.name()) + " is not declared; declared: "
                        + names(roles.stream().map(Role::name).toList()) + ".",
                        "Declare it with .role(...) on the pipeline or as an environment's role.");
                continue;
            }
            if (!declared.get().equals(r)) {
                problems.add(rolePath, "this role differs from the one declared under that name.",
                        "Use the same Role object in both places.");
                continue;
            }
            List<String> owners = environments.stream().filter(e -> e.role().filter(r::equals).isPresent())
                    .map(Environment::name).toList();
            String own = s.environment().map(Environment::name).orElse(null);
            if (!owners.isEmpty() && !owners.contains(own)) {
                problems.add(rolePath, "the role deploys to environment " + names(owners) + ", but this stage works "
                        + (own == null ? "in no environment." : "in " + Problems.quote(own) + "."),
                        "Act as the role of the stage's own environment, or move the stage into " + names(owners) + ".");
            }
        }
        CircleCiOptions options = circleci;
        if (s.environment().isPresent()) {
            options = options.overriddenBy(s.environment().get().circleci());
        }
        options = options.overriddenBy(s.circleci());
        checkOrbs(path + " > step ", s.steps(), options);
        checkOrbs(path + " > onFailure step ", s.onFailure(), options);
    }

    /** Reports orb steps among {@code steps} whose orb {@code options} do not declare. */
    void checkOrbs(String path, List<Step> steps, CircleCiOptions options) {
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i) instanceof OrbStep orb && !options.orbs().containsKey(orb.alias())) {
                problems.add(path + (i + 1), "orb " + Problems.quote(orb.alias()) + " of " + orb
                        + " is not declared; declared: " + names(options.orbs().keySet()) + ".",
                        "Declare it with .circleci(c -> c.orb(\"" + orb.alias() + "\", \"namespace/orb@version\")).");
            }
        }
    }

    private void checkCanRun(Stage s, Reach reach) {
        if (reach.canRun(s.name()) || !s.needs().stream().allMatch(reach::canRun)) {
            return; // a stage that cannot run because a need cannot is reported at the need
        }
        StringBuilder why = new StringBuilder("no branch or tag passes its own filter (").append(s.filter()).append(")");
        s.environment().ifPresent(e -> why.append(", environment ").append(Problems.quote(e.name()))
                .append(" (").append(e.filter()).append(")"));
        for (String need : s.needs()) {
            why.append(", needs ").append(Problems.quote(need)).append(" (").append(reach.describe(need)).append(")");
        }
        if (!triggers.equals(List.of(Trigger.push()))) {
            why.append(", triggers ").append(triggers);
        }
        problems.add("stage " + Problems.quote(s.name()), "the stage can never run: " + why + ".",
                "Make its filter, its environment's and those of the stages it needs share a branch or tag.");
    }

    private void checkPromotion(Stage s, Environment e, Graph graph, Reach reach) {
        String path = "stage " + Problems.quote(s.name()) + " > in(" + e.name() + ")";
        Set<String> upstream = graph.upstream(s.name());
        for (String u : upstream) {
            Optional<Environment> other = stages.get(u).environment();
            if (other.isPresent() && other.get().isPromotedFrom(e)) {
                problems.add(path, "the stage needs " + Problems.quote(u) + ", which works in "
                        + Problems.quote(other.get().name()) + ", but " + Problems.quote(other.get().name())
                        + " is promoted from " + Problems.quote(e.name()) + ": promotion runs backwards.",
                        "Make the stage in " + Problems.quote(other.get().name()) + " need this one instead.");
            }
        }
        if (e.promotedFrom().isEmpty()) {
            return;
        }
        Environment previous = e.promotedFrom().get();
        List<Stage> before = stages.values().stream()
                .filter(t -> t.environment().filter(previous::equals).isPresent()).toList();
        if (before.isEmpty()) {
            problems.add(path, Problems.quote(e.name()) + " is promoted from " + Problems.quote(previous.name())
                    + ", but no stage works in " + Problems.quote(previous.name()) + ".",
                    "Deploy to " + Problems.quote(previous.name()) + " first, or drop promotedFrom.");
            return;
        }
        List<String> together = before.stream().map(Stage::name).filter(t -> reach.mayRunTogether(t, s.name())).toList();
        if (!together.isEmpty() && together.stream().noneMatch(upstream::contains)) {
            problems.add(path, Problems.quote(e.name()) + " is promoted from " + Problems.quote(previous.name())
                    + ", but the stage does not wait for " + names(together) + ", which can run in the same run.",
                    "Add needs(\"" + together.get(0) + "\").");
        }
    }

    private void checkProtected(Stage s, Environment e, Graph graph) {
        if (s.hasManualApproval()) {
            return;
        }
        boolean approvedUpstream = graph.upstream(s.name()).stream().map(stages::get)
                .anyMatch(u -> u.hasManualApproval() && u.environment().filter(e::equals).isPresent());
        if (!approvedUpstream) {
            problems.add("stage " + Problems.quote(s.name()) + " > in(" + e.name() + ")",
                    "the stage works in protected environment " + Problems.quote(e.name())
                            + " but no manual approval gates it.",
                    "Deploy with .deploy(" + e.name() + ", ...), add .gate(Gate.manualApproval()), or make it need"
                            + " an approved stage in the same environment.");
        }
    }

    private void checkRolesUsed() {
        for (Role r : roles) {
            boolean held = stages.values().stream().anyMatch(s -> s.roles().stream().anyMatch(x -> x.name().equals(r.name())));
            if (held) {
                continue;
            }
            List<String> owners = environments.stream().filter(e -> e.role().filter(r::equals).isPresent())
                    .map(Environment::name).toList();
            problems.add("role " + Problems.quote(r.name()), "no stage acts as this role.", owners.isEmpty()
                    ? "Add .as(role) to the stage that needs it, or remove the role."
                    : "Deploy to " + names(owners) + " with .deploy(...), or remove the role from the environment.");
        }
    }

    private static String names(Collection<String> names) {
        return new ArrayList<>(names).toString();
    }

    /** {@code ; did you mean 'test'?} when a known name is within two edits. */
    private static String suggestion(String name, Collection<String> known) {
        String best = null;
        int bestDistance = 3;
        for (String k : known) {
            int d = distance(name, k);
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        return best == null ? "" : " (did you mean " + Problems.quote(best) + "?)";
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] t = previous;
            previous = current;
            current = t;
        }
        return previous[b.length()];
    }
}
