package dev.pipewright.assertions;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.errorprone.annotations.CanIgnoreReturnValue;
import dev.pipewright.Environment;
import dev.pipewright.Pipeline;
import dev.pipewright.Stage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Assertions about a whole {@link Pipeline}, and the way to assertions about its stages: {@link
 * #stage(String)} and {@link #everyStageIn(String)}. Get one from {@link
 * PipelineAssertions#assertThat(Pipeline)}.
 *
 * <pre>{@code
 * assertThat(pipeline)
 *     .hasStages("check-formatting", "build-and-test")
 *     .runsOnEveryBranch("check-formatting", "build-and-test")
 *     .hasNoStageHoldingAnUnusedRole();
 * }</pre>
 *
 * @since 0.1
 */
public final class PipelineAssert extends AbstractPipelineAssert<PipelineAssert, Pipeline> {
    private final Analysis analysis;

    PipelineAssert(Pipeline pipeline) {
        super(pipeline, PipelineAssert.class);
        this.analysis = Analysis.of(pipeline);
    }

    @Override
    String subject() {
        return analysis.subject();
    }

    /**
     * Checks that the pipeline has a stage called {@code name}.
     *
     * @throws AssertionError if it has not, listing the stages it has
     * @throws NullPointerException if {@code name} is null
     */
    @CanIgnoreReturnValue
    public PipelineAssert hasStage(String name) {
        checkNotNull(name, "name");
        if (analysis.stage(name).isEmpty()) {
            throw noStage(name);
        }
        return myself;
    }

    private AssertionError noStage(String name) {
        return failure("have stage " + quote(name), "it has no stage " + quote(name) + "; stages: "
                + analysis.stageNames());
    }

    /**
     * Checks that the pipeline has a stage of each of these names, and maybe others.
     *
     * @throws AssertionError if a stage is missing, listing the missing ones and the stages it has
     * @throws NullPointerException if {@code names} is or holds null
     * @throws IllegalArgumentException if no name is given
     */
    @CanIgnoreReturnValue
    public PipelineAssert hasStages(String... names) {
        List<String> expected = checkSomeNames(names, "stage names");
        List<String> found = analysis.stageNames();
        Difference difference = Difference.between(expected, found);
        if (!difference.missing().isEmpty()) {
            throw failure("have stages " + expected, "it has " + found + " (missing: " + difference.missing() + ")");
        }
        return myself;
    }

    /**
     * Assertions about the stage called {@code name}.
     *
     * @throws AssertionError if there is no such stage, listing the stages there are
     * @throws NullPointerException if {@code name} is null
     */
    public StageAssert stage(String name) {
        checkNotNull(name, "name");
        Stage stage = analysis.stage(name).orElseThrow(() -> noStage(name));
        return new StageAssert(this, analysis, stage);
    }

    /**
     * Assertions about all the stages working in the environment called {@code environment}, as
     * a group.
     *
     * @throws AssertionError if no such environment is declared (listing those that are), or no
     *     stage works in it
     * @throws NullPointerException if {@code environment} is null
     */
    public StagesAssert everyStageIn(String environment) {
        checkNotNull(environment, "environment");
        String expectation = "have stages working in environment " + quote(environment);
        Environment declared = actual.environment(environment).orElseThrow(() -> failure(expectation,
                "no environment " + quote(environment) + " is declared; environments: "
                        + analysis.environmentNames()));
        List<Stage> stages = analysis.stagesIn(environment);
        if (stages.isEmpty()) {
            List<String> used = analysis.environmentNames().stream()
                    .filter(e -> !analysis.stagesIn(e).isEmpty()).toList();
            throw failure(expectation, "no stage works in it; environments with stages: " + used);
        }
        return new StagesAssert(this, analysis, declared, stages);
    }

    /**
     * Checks that each of these stages runs on every branch: no filter restricts its branches,
     * neither its own, nor its environment's, nor those of any stage it needs, directly or not;
     * and some trigger starts the pipeline for every branch. Tags are not considered.
     *
     * @throws AssertionError naming each stage that does not, with what restricts it, or naming a
     *     stage the pipeline does not have
     * @throws NullPointerException if {@code stages} is or holds null
     * @throws IllegalArgumentException if no stage is given
     */
    @CanIgnoreReturnValue
    public PipelineAssert runsOnEveryBranch(String... stages) {
        List<String> names = checkSomeNames(stages, "stage names");
        String expectation = "run " + names + " on every branch";
        requireStages(expectation, names);
        List<String> offenders = new ArrayList<>();
        for (String name : names) {
            List<String> restrictions = analysis.branchRestrictions(analysis.stage(name).orElseThrow());
            if (!restrictions.isEmpty()) {
                offenders.add(quote(name) + " is restricted by " + String.join("; ", restrictions));
            }
        }
        if (!offenders.isEmpty()) {
            throw failure(expectation, list(offenders.size() + " of them " + (offenders.size() == 1 ? "does" : "do")
                    + " not", offenders));
        }
        return myself;
    }

    /**
     * Checks that no stage holds a role it does not use: for every stage and every role it acts
     * as, some permission its steps declare ({@link Stage#permissions()}) is covered by the role
     * ({@link dev.pipewright.Role#allows}). A step that declares no permissions is taken to need
     * no credentials.
     *
     * @throws AssertionError listing every stage and role that break the rule, with the role's
     *     grants and the steps' permissions
     */
    @CanIgnoreReturnValue
    public PipelineAssert hasNoStageHoldingAnUnusedRole() {
        List<String> offenders = new ArrayList<>();
        for (Stage s : actual.stages()) {
            Analysis.unusedRoles(s).forEach((role, why) -> offenders.add(
                    "stage " + quote(s.name()) + " holds role " + quote(role) + ": it " + why));
        }
        if (!offenders.isEmpty()) {
            throw failure("have no stage holding a role it does not use",
                    list(offenders.size() + (offenders.size() == 1 ? " role is" : " roles are") + " held but unused",
                            offenders));
        }
        return myself;
    }

    /**
     * Checks that each of these environments is promoted from the one before it: {@code
     * promotesEnvironmentsInOrder("development", "staging", "production")} holds when staging is
     * {@linkplain Environment#promotedFrom() promoted from} development and production from
     * staging. What the first is promoted from is not checked.
     *
     * @throws AssertionError naming each environment promoted from another one (or from none),
     *     or an environment that is not declared, listing those that are
     * @throws NullPointerException if {@code environments} is or holds null
     * @throws IllegalArgumentException if fewer than two environments are given
     */
    @CanIgnoreReturnValue
    public PipelineAssert promotesEnvironmentsInOrder(String... environments) {
        List<String> names = checkNames(environments, "environment names");
        checkArgument(names.size() >= 2, "give at least two environments, in promotion order, but got %s", names);
        String expectation = "promote environments in order " + String.join(" -> ", names);
        String undeclared = Analysis.unknown("environment", names, analysis.environmentNames());
        if (!undeclared.isEmpty()) {
            throw failure(expectation, undeclared);
        }
        List<String> broken = new ArrayList<>();
        for (int i = 1; i < names.size(); i++) {
            String previous = names.get(i - 1);
            Optional<Environment> from = actual.environment(names.get(i)).orElseThrow().promotedFrom();
            if (from.isEmpty()) {
                broken.add(quote(names.get(i)) + " is promoted from no environment, not " + quote(previous));
            } else if (!from.get().name().equals(previous)) {
                broken.add(quote(names.get(i)) + " is promoted from " + quote(from.get().name()) + ", not "
                        + quote(previous));
            }
        }
        if (!broken.isEmpty()) {
            throw failure(expectation, String.join("; ", broken) + " (declared promotions: " + promotions() + ")");
        }
        return myself;
    }

    /** {@code [development -> staging, staging -> production]}: every declared promotion. */
    private String promotions() {
        return actual.environments().stream().filter(e -> e.promotedFrom().isPresent())
                .map(e -> e.promotedFrom().get().name() + " -> " + e.name())
                .collect(Collectors.joining(", ", "[", "]"));
    }

    /** Fails the assertion when one of {@code names} is not a stage of the pipeline. */
    private void requireStages(String expectation, List<String> names) {
        String unknown = Analysis.unknown("stage", names, analysis.stageNames());
        if (!unknown.isEmpty()) {
            throw failure(expectation, unknown);
        }
    }
}
