package dev.pipewright.assertions;

import com.google.errorprone.annotations.CanIgnoreReturnValue;
import dev.pipewright.Environment;
import dev.pipewright.Stage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Assertions about a group of stages, each of which must pass: every stage working in one
 * environment. Get one from {@link PipelineAssert#everyStageIn(String)}; {@link #pipeline()} goes
 * back. A failure lists every offending stage, not only the first.
 *
 * <pre>{@code
 * assertThat(pipeline).everyStageIn("production")
 *     .areGatedByManualApproval()
 *     .runOnlyOnBranches("master")
 *     .actOnlyAs("deploy-production");
 * }</pre>
 *
 * @since 0.1
 */
public final class StagesAssert extends AbstractPipelineAssert<StagesAssert, List<Stage>> {
    private final PipelineAssert pipeline;
    private final Analysis analysis;
    private final Environment environment;

    StagesAssert(PipelineAssert pipeline, Analysis analysis, Environment environment, List<Stage> stages) {
        super(List.copyOf(stages), StagesAssert.class);
        this.pipeline = pipeline;
        this.analysis = analysis;
        this.environment = environment;
    }

    @Override
    String subject() {
        return "every stage in environment " + quote(environment.name()) + " of " + analysis.subject() + " "
                + actual.stream().map(Stage::name).toList();
    }

    /** Back to the assertions about the whole pipeline. */
    public PipelineAssert pipeline() {
        return pipeline;
    }

    /**
     * Checks that every stage of the group is gated by a manual approval, as {@link
     * StageAssert#isGatedByManualApproval()} defines it: its own, or one of a stage it needs in
     * the same environment.
     *
     * @throws AssertionError listing each stage that is not, with its gates
     */
    @CanIgnoreReturnValue
    public StagesAssert areGatedByManualApproval() {
        return each("be gated by a manual approval", analysis::whyNotGated, "");
    }

    /**
     * Checks that every stage of the group runs on exactly these branches, as {@link
     * StageAssert#runsOnlyOnBranches(String...)} does.
     *
     * @throws AssertionError listing each stage whose branches differ (with the difference) or are
     *     unbounded
     * @throws NullPointerException if {@code branches} is or holds null
     */
    @CanIgnoreReturnValue
    public StagesAssert runOnlyOnBranches(String... branches) {
        List<String> expected = checkNames(branches, "branch names");
        return each(Analysis.runOnlyOn(expected), s -> analysis.whyNotOnlyOn(s, expected), "");
    }

    /**
     * Checks that every stage of the group acts only as roles among these: each stage's roles
     * are a subset of {@code roles}, so a stage acting as no role passes.
     *
     * @throws AssertionError listing each stage acting as another role, with its roles; an
     *     undeclared role name is reported with the roles that are declared
     * @throws NullPointerException if {@code roles} is or holds null
     */
    @CanIgnoreReturnValue
    public StagesAssert actOnlyAs(String... roles) {
        List<String> allowed = checkNames(roles, "role names");
        return each("act only as roles among " + allowed, s -> Analysis.whyNotOnlyAs(s, allowed),
                Analysis.unknown("role", allowed, analysis.roleNames()));
    }

    /** Fails listing each stage {@code why} has a reason for, then {@code note} if not empty. */
    private StagesAssert each(String expectation, Function<Stage, Optional<String>> why, String note) {
        List<String> offenders = new ArrayList<>();
        for (Stage s : actual) {
            why.apply(s).ifPresent(w -> offenders.add(quote(s.name()) + ": " + w));
        }
        if (!offenders.isEmpty()) {
            throw failure(expectation, list(offenders.size() + " of " + actual.size() + " "
                    + (offenders.size() == 1 ? "does" : "do") + " not", offenders)
                    + (note.isEmpty() ? "" : "\nNote: " + note + "."));
        }
        return myself;
    }
}
