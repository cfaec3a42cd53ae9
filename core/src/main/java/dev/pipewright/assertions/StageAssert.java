package dev.pipewright.assertions;

import static com.google.common.base.Preconditions.checkNotNull;

import com.google.errorprone.annotations.CanIgnoreReturnValue;
import dev.pipewright.Environment;
import dev.pipewright.Gate;
import dev.pipewright.Ref;
import dev.pipewright.Stage;
import dev.pipewright.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Assertions about one stage of a pipeline: what it needs, where and for which branches and tags
 * it runs, what gates it, which roles it acts as and what its steps are. Get one from {@link
 * PipelineAssert#stage(String)}; {@link #pipeline()} goes back.
 *
 * <pre>{@code
 * assertThat(pipeline).stage("deploy-production")
 *     .isIn("production")
 *     .runsAfter("deploy-staging", "build-and-test")
 *     .runsOnlyOnBranches("master")
 *     .isGatedByManualApproval()
 *     .actsOnlyAs("deploy-production")
 *     .pipeline()
 *     .stage("build-and-test").needs("check-formatting");
 * }</pre>
 *
 * <p>Branch and tag assertions read the stage's own filter, its environment's, those of every
 * stage it needs directly or not, and the pipeline's triggers: a stage runs for a branch or tag
 * only when all of them let it through.
 *
 * @since 0.1
 */
public final class StageAssert extends AbstractPipelineAssert<StageAssert, Stage> {
    private final PipelineAssert pipeline;
    private final Analysis analysis;

    StageAssert(PipelineAssert pipeline, Analysis analysis, Stage stage) {
        super(stage, StageAssert.class);
        this.pipeline = pipeline;
        this.analysis = analysis;
    }

    @Override
    String subject() {
        return "stage " + quote(actual.name()) + " of " + analysis.subject();
    }

    /** Back to the assertions about the whole pipeline this stage belongs to. */
    public PipelineAssert pipeline() {
        return pipeline;
    }

    /**
     * Checks that the stage directly needs each of these stages, and maybe others.
     *
     * @throws AssertionError if it does not need one of them, with what it needs and what is missing
     * @throws NullPointerException if {@code stages} is or holds null
     * @throws IllegalArgumentException if no stage is given
     */
    @CanIgnoreReturnValue
    public StageAssert needs(String... stages) {
        List<String> expected = checkSomeNames(stages, "stage names");
        Difference difference = Difference.between(expected, actual.needs());
        if (!difference.missing().isEmpty()) {
            throw failure("need " + expected, "it needs " + stageList(actual.needs()) + " (missing: "
                    + difference.missing() + ")" + Analysis.unknownNote("stage", expected, analysis.stageNames()));
        }
        return myself;
    }

    /**
     * Checks that the stage needs each of these stages, directly or through others, so it only
     * starts after all of them have succeeded.
     *
     * @throws AssertionError if it does not, with every stage it does run after and what is missing
     * @throws NullPointerException if {@code stages} is or holds null
     * @throws IllegalArgumentException if no stage is given
     */
    @CanIgnoreReturnValue
    public StageAssert runsAfter(String... stages) {
        List<String> expected = checkSomeNames(stages, "stage names");
        List<String> upstream = List.copyOf(analysis.upstream(actual));
        Difference difference = Difference.between(expected, upstream);
        if (!difference.missing().isEmpty()) {
            throw failure("run after " + expected, "it runs after " + stageList(upstream) + " (missing: "
                    + difference.missing() + ")" + Analysis.unknownNote("stage", expected, analysis.stageNames()));
        }
        return myself;
    }

    /**
     * Checks that a push of branch {@code branch} runs the stage.
     *
     * @throws AssertionError if it does not, naming each filter or trigger that keeps it out
     * @throws NullPointerException if {@code branch} is null
     * @throws IllegalArgumentException if {@code branch} is blank
     */
    @CanIgnoreReturnValue
    public StageAssert runsOnBranch(String branch) {
        return runsOn(Ref.branch(checkNotNull(branch, "branch")));
    }

    /**
     * Checks that a push of branch {@code branch} does not run the stage.
     *
     * @throws AssertionError if it does, with the filters in play
     * @throws NullPointerException if {@code branch} is null
     * @throws IllegalArgumentException if {@code branch} is blank
     */
    @CanIgnoreReturnValue
    public StageAssert doesNotRunOnBranch(String branch) {
        return doesNotRunOn(Ref.branch(checkNotNull(branch, "branch")));
    }

    /**
     * Checks that a push of tag {@code tag} runs the stage. A stage runs on tags only when a tag
     * filter lets them through: without one, tag pushes skip it.
     *
     * @throws AssertionError if it does not, naming each filter or trigger that keeps it out
     * @throws NullPointerException if {@code tag} is null
     * @throws IllegalArgumentException if {@code tag} is blank
     */
    @CanIgnoreReturnValue
    public StageAssert runsOnTag(String tag) {
        return runsOn(Ref.tag(checkNotNull(tag, "tag")));
    }

    /**
     * Checks that a push of tag {@code tag} does not run the stage.
     *
     * @throws AssertionError if it does, with the filters in play
     * @throws NullPointerException if {@code tag} is null
     * @throws IllegalArgumentException if {@code tag} is blank
     */
    @CanIgnoreReturnValue
    public StageAssert doesNotRunOnTag(String tag) {
        return doesNotRunOn(Ref.tag(checkNotNull(tag, "tag")));
    }

    private StageAssert runsOn(Ref ref) {
        if (!analysis.runsOn(actual, ref)) {
            throw failure("run on " + describe(ref),
                    "it does not: " + String.join("; ", analysis.rejections(actual, ref)));
        }
        return myself;
    }

    private StageAssert doesNotRunOn(Ref ref) {
        if (analysis.runsOn(actual, ref)) {
            throw failure("not run on " + describe(ref), "it does: " + analysis.filtersInPlay(actual));
        }
        return myself;
    }

    private static String describe(Ref ref) {
        return (ref.kind() == Ref.Kind.BRANCH ? "branch " : "tag ") + quote(ref.name());
    }

    /**
     * Checks that the branches the stage runs on are exactly these: no fewer, no more. The set
     * must be known exactly, which it is when some filter or the triggers name the branches
     * (exact names, not {@code /regex/}); give none to check the stage runs on no branch.
     *
     * @throws AssertionError if the sets differ (with what is missing and unexpected), or if the
     *     set is unbounded because only regular expressions or exclusions bound it; then assert
     *     single branches with {@link #runsOnBranch} and {@link #doesNotRunOnBranch}
     * @throws NullPointerException if {@code branches} is or holds null
     */
    @CanIgnoreReturnValue
    public StageAssert runsOnlyOnBranches(String... branches) {
        List<String> expected = checkNames(branches, "branch names");
        Optional<String> why = analysis.whyNotOnlyOn(actual, expected);
        if (why.isPresent()) {
            throw failure(Analysis.runOnlyOn(expected), why.get());
        }
        return myself;
    }

    /**
     * Checks that a person must approve before the stage starts: one of its own gates is a manual
     * approval, or a stage it needs, directly or not, in the <em>same</em> environment has one
     * (entering an environment is approved once; the stages that follow in it are covered). A
     * stage that works in no environment is gated only by its own gates.
     *
     * @throws AssertionError if no approval gates it, with its gates and environment
     */
    @CanIgnoreReturnValue
    public StageAssert isGatedByManualApproval() {
        Optional<String> why = analysis.whyNotGated(actual);
        if (why.isPresent()) {
            throw failure("be gated by a manual approval", why.get());
        }
        return myself;
    }

    /**
     * Checks that no manual approval gates the stage, in the sense of {@link
     * #isGatedByManualApproval()}.
     *
     * @throws AssertionError if one does, naming each approval and where it is
     */
    @CanIgnoreReturnValue
    public StageAssert isNotGatedByManualApproval() {
        List<String> approvals = analysis.approvals(actual);
        if (!approvals.isEmpty()) {
            throw failure("not be gated by a manual approval", "it is, by " + String.join("; ", approvals));
        }
        return myself;
    }

    /**
     * Checks that one of the stage's own gates is called {@code gateName}. Manual approvals are
     * called {@value Gate#DEFAULT_APPROVAL_NAME} unless named; an environment's approval is called
     * {@code approve-<environment>}.
     *
     * @throws AssertionError if none is, listing its gates
     * @throws NullPointerException if {@code gateName} is null
     */
    @CanIgnoreReturnValue
    public StageAssert hasGate(String gateName) {
        checkNotNull(gateName, "gateName");
        if (actual.gates().stream().noneMatch(g -> g.name().equals(gateName))) {
            throw failure("have gate " + quote(gateName),
                    actual.gates().isEmpty() ? "it has no gates" : "its gates are " + actual.gates());
        }
        return myself;
    }

    /**
     * Checks that the stage works in the environment called {@code environment}.
     *
     * @throws AssertionError if it works in another or none; if the name is not declared, the
     *     message lists the environments that are
     * @throws NullPointerException if {@code environment} is null
     */
    @CanIgnoreReturnValue
    public StageAssert isIn(String environment) {
        checkNotNull(environment, "environment");
        if (!Analysis.isIn(actual, environment)) {
            throw failure("work in environment " + quote(environment), "it works in "
                    + actual.environment().map(Environment::name).map(e -> "environment " + quote(e))
                            .orElse("no environment")
                    + Analysis.unknownNote("environment", List.of(environment), analysis.environmentNames()));
        }
        return myself;
    }

    /**
     * Checks that the stage acts as each of these roles, and maybe others.
     *
     * @throws AssertionError if it does not act as one of them, with the roles it holds and what is
     *     missing; an undeclared role name is reported with the roles that are declared
     * @throws NullPointerException if {@code roles} is or holds null
     * @throws IllegalArgumentException if no role is given
     */
    @CanIgnoreReturnValue
    public StageAssert actsAs(String... roles) {
        List<String> expected = checkSomeNames(roles, "role names");
        List<String> held = Analysis.roleNames(actual);
        Difference difference = Difference.between(expected, held);
        if (!difference.missing().isEmpty()) {
            throw failure("act as " + expected, "it acts as " + roleList(held) + " (missing: " + difference.missing()
                    + ")" + Analysis.unknownNote("role", expected, analysis.roleNames()));
        }
        return myself;
    }

    /**
     * Checks that the roles the stage acts as are exactly these; give none to check it acts as no
     * role.
     *
     * @throws AssertionError if the sets differ, with what is missing and unexpected
     * @throws NullPointerException if {@code roles} is or holds null
     */
    @CanIgnoreReturnValue
    public StageAssert actsOnlyAs(String... roles) {
        List<String> expected = checkNames(roles, "role names");
        List<String> held = Analysis.roleNames(actual);
        Difference difference = Difference.between(expected, held);
        if (!difference.isEmpty()) {
            throw failure("act only as " + expected, "it acts as " + roleList(held) + " (" + difference + ")"
                    + Analysis.unknownNote("role", expected, analysis.roleNames()));
        }
        return myself;
    }

    /**
     * Checks that the stage acts as no role, so it receives no credentials.
     *
     * @throws AssertionError if it holds a role, listing them
     */
    @CanIgnoreReturnValue
    public StageAssert actsAsNoRole() {
        if (!actual.roles().isEmpty()) {
            throw failure("act as no role", "it acts as " + Analysis.roleNames(actual));
        }
        return myself;
    }

    /**
     * Checks that each role the stage acts as covers some permission its steps declare, as {@link
     * PipelineAssert#hasNoStageHoldingAnUnusedRole()} does for every stage.
     *
     * @throws AssertionError naming each unused role, with its grants and the steps' permissions
     */
    @CanIgnoreReturnValue
    public StageAssert usesEveryRoleItHolds() {
        List<String> unused = new ArrayList<>();
        Analysis.unusedRoles(actual).forEach((role, why) -> unused.add("role " + quote(role) + " " + why));
        if (!unused.isEmpty()) {
            throw failure("use every role it holds", unused.size() == 1 ? unused.get(0)
                    : list(unused.size() + " roles are unused", unused));
        }
        return myself;
    }

    /**
     * Checks that one of the stage's steps has type {@code typeId}, such as {@code shell} or
     * {@code aws.lambda.deploy}.
     *
     * @throws AssertionError if none has, listing its steps with their types
     * @throws NullPointerException if {@code typeId} is null
     */
    @CanIgnoreReturnValue
    public StageAssert hasStepOfType(String typeId) {
        checkNotNull(typeId, "typeId");
        if (actual.steps().stream().noneMatch(s -> s.type().equals(typeId))) {
            throw failure("have a step of type " + quote(typeId), "its steps are "
                    + actual.steps().stream().map(StageAssert::describe).toList());
        }
        return myself;
    }

    private static String describe(Step step) {
        return step.type() + " " + quote(step.name());
    }

    private static String stageList(List<String> stages) {
        return stages.isEmpty() ? "no stage" : stages.toString();
    }

    private static String roleList(List<String> roles) {
        return roles.isEmpty() ? "no role" : roles.toString();
    }
}
