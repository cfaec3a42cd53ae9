package dev.pipewright;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The one mutable implementation behind {@link Pipeline.Draft} and {@link Pipeline.Builder}.
 * Stage configurations run as they are added; problems they raise are kept, with the stage's
 * path, so that {@link #build()} reports every problem of the pipeline at once.
 */
final class PipelineBuilder implements Pipeline.Builder {
    private final String name;
    private @Nullable String description;
    private final List<Environment> environments = new ArrayList<>();
    private final List<Role> roles = new ArrayList<>();
    private final List<Trigger> triggers = new ArrayList<>();
    private final CircleCiOptions.Builder circleci;
    private final List<Stage.Builder> stages = new ArrayList<>();
    private final List<Step> onFailure = new ArrayList<>();
    private final List<Step> always = new ArrayList<>();
    private final Set<String> inherited = new LinkedHashSet<>();
    private final Problems problems = new Problems();

    PipelineBuilder(String name) {
        this.name = name;
        this.circleci = CircleCiOptions.builder();
    }

    PipelineBuilder(Pipeline pipeline) {
        this.name = pipeline.name();
        this.description = pipeline.description().orElse(null);
        this.environments.addAll(pipeline.environments());
        this.roles.addAll(pipeline.declaredRoles());
        if (!pipeline.triggers().equals(List.of(Trigger.push()))) {
            this.triggers.addAll(pipeline.triggers());
        }
        this.circleci = pipeline.circleci().toBuilder();
        pipeline.stages().forEach(s -> stages.add(s.toBuilder()));
        this.onFailure.addAll(pipeline.onFailure());
        this.always.addAll(pipeline.always());
        this.inherited.addAll(pipeline.inherited());
    }

    @Override
    public PipelineBuilder description(String description) {
        if (problems.nonNull(description, "description")) {
            this.description = description;
        }
        return this;
    }

    @Override
    public PipelineBuilder environment(Environment environment) {
        if (problems.nonNull(environment, "environments")) {
            environments.add(environment);
        }
        return this;
    }

    @Override
    public PipelineBuilder environments(Environment... environments) {
        this.environments.clear();
        if (problems.nonNullElements(environments, "environments")) {
            this.environments.addAll(List.of(environments));
        }
        return this;
    }

    @Override
    public PipelineBuilder role(Role role) {
        if (problems.nonNull(role, "roles")) {
            roles.add(role);
        }
        return this;
    }

    @Override
    public PipelineBuilder trigger(Trigger trigger) {
        if (problems.nonNull(trigger, "triggers")) {
            triggers.add(trigger);
        }
        return this;
    }

    @Override
    public PipelineBuilder circleci(Consumer<CircleCiOptions.Builder> options) {
        if (problems.nonNull(options, "circleci")) {
            options.accept(circleci);
        }
        return this;
    }

    @Override
    public PipelineBuilder onFailure(Step... steps) {
        onFailure.clear();
        if (problems.nonNullElements(steps, "onFailure")) {
            onFailure.addAll(List.of(steps));
        }
        return this;
    }

    @Override
    public PipelineBuilder always(Step... steps) {
        always.clear();
        if (problems.nonNullElements(steps, "always")) {
            always.addAll(List.of(steps));
        }
        return this;
    }

    @Override
    public PipelineBuilder inherit(String... names) {
        inherited.clear();
        if (problems.nonNullElements(names, "inherit")) {
            for (String n : names) {
                problems.checkVariableName(n, "inherit");
                inherited.add(n);
            }
        }
        return this;
    }

    @Override
    public PipelineBuilder stage(Stage stage) {
        if (problems.nonNull(stage, "stages")) {
            stages.add(stage.toBuilder());
        }
        return this;
    }

    @Override
    public PipelineBuilder stage(String name, Consumer<Stage.Builder> stage) {
        return configure(Stage.named(name), stage);
    }

    @Override
    public PipelineBuilder deploy(String name, Environment environment, Consumer<Stage.Builder> stage) {
        Stage.Builder b = Stage.named(name);
        if (environment == null) {
            b.report(List.of(new Problem("deploy", "no environment was given.", "Pass the environment to deploy to.")));
        } else {
            b.in(environment);
            environment.role().ifPresent(b::as);
            environment.approval().ifPresent(b::gate);
        }
        return configure(b, stage);
    }

    private PipelineBuilder configure(Stage.Builder b, @Nullable Consumer<Stage.Builder> stage) {
        if (stage == null) {
            b.report(List.of(new Problem("", "no stage configuration was given.", "Pass s -> s.run(...).")));
        } else {
            try {
                stage.accept(b);
            } catch (InvalidPipelineException e) {
                // A value built inside the lambda (a gate, a step) was invalid: keep its problems
                // under its own name so they join the pipeline's report.
                b.report(prefixed(e));
            } catch (IllegalArgumentException e) {
                // A record's precondition (a blank permission, a bad retry) failed inside the lambda.
                b.report(List.of(new Problem("", e.getMessage() + ".", "Fix the value given.")));
            }
        }
        stages.add(b);
        return this;
    }

    private static List<Problem> prefixed(InvalidPipelineException e) {
        String subject = e.subject();
        String firstWord = subject.split(" ", 2)[0];
        boolean acronym = firstWord.chars().skip(1).anyMatch(Character::isUpperCase); // keep "CircleCI"
        String prefix = subject.isEmpty() || acronym ? subject
                : subject.substring(0, 1).toLowerCase(Locale.ROOT) + subject.substring(1);
        return e.problems().stream().map(p -> p.under(prefix)).toList();
    }

    @Override
    public Pipeline build() {
        Problems all = new Problems();
        all.checkName(name, "name");
        all.addAll(problems.list(), "");
        all.addAll(circleci.problems(), "circleci");

        Map<String, Stage> built = new LinkedHashMap<>();
        Set<String> names = new LinkedHashSet<>();
        for (Stage.Builder b : stages) {
            String stageName = b.name();
            String path = "stage " + Problems.quote(stageName);
            if (stageName != null && !names.add(stageName)) {
                all.add(path, "the name is used by another stage.", "Give every stage its own name.");
                continue;
            }
            List<Problem> found = b.problems();
            if (found.isEmpty()) {
                built.put(stageName, b.build());
            } else {
                all.addAll(found, path);
            }
        }
        for (int i = 0; i < onFailure.size(); i++) {
            Stage.Builder.checkStep(all, onFailure.get(i), "onFailure step " + (i + 1));
        }
        for (int i = 0; i < always.size(); i++) {
            Stage.Builder.checkStep(all, always.get(i), "always step " + (i + 1));
        }
        if (stages.isEmpty()) {
            all.add("stages", "the pipeline has no stages.", "Add one with .stage(...).");
        }
        List<Role> declared = List.copyOf(new LinkedHashSet<>(roles));
        List<Role> allRoles = new ArrayList<>(declared);
        for (Environment e : environments) {
            e.role().filter(r -> !allRoles.contains(r)).ifPresent(allRoles::add);
        }
        List<Trigger> effectiveTriggers = triggers.isEmpty() ? List.of(Trigger.push()) : triggers;
        CircleCiOptions options = circleci.buildLenient();
        PipelineValidator validator = new PipelineValidator(all, environments, allRoles, effectiveTriggers, built,
                names, options);
        List<Stage> ordered = validator.validate();
        validator.checkOrbs("onFailure step ", onFailure, options);
        validator.checkOrbs("always step ", always, options);
        all.throwIfAny("Pipeline " + Problems.quote(name));
        return new Pipeline(name, description, environments, allRoles, declared, effectiveTriggers, ordered,
                options, onFailure, always, inherited);
    }
}
