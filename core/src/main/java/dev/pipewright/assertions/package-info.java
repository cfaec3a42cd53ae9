/**
 * Pipeline assertions for a team's own tests, in the style of AssertJ: state delivery policy
 * ("every stage in production is behind a manual approval", "only master deploys to staging")
 * as a test that fails with what was expected, what was found and where.
 *
 * <pre>{@code
 * import static dev.pipewright.assertions.PipelineAssertions.assertThat;
 *
 * assertThat(HousingApi.pipeline())
 *     .runsOnEveryBranch("check-formatting", "build-and-test")
 *     .hasNoStageHoldingAnUnusedRole()
 *     .stage("deploy-production")
 *         .isGatedByManualApproval()
 *         .runsOnlyOnBranches("master");
 * }</pre>
 *
 * <p>Key types: {@link dev.pipewright.assertions.PipelineAssertions} (entry point), {@link
 * dev.pipewright.assertions.PipelineAssert}, {@link dev.pipewright.assertions.StageAssert} and
 * {@link dev.pipewright.assertions.StagesAssert}. A failed assertion throws {@link
 * java.lang.AssertionError}, which every test framework reports as a failure; core depends on
 * no test framework.
 *
 * <p>Branch and tag questions are answered as the pipeline's exporters and runners answer them:
 * a stage runs for a branch or tag when a trigger starts the pipeline for it and its own filter,
 * its environment's filter and those of every stage it needs, directly or not, accept it.
 *
 * @since 0.1
 */
@NullMarked
@CheckReturnValue
package dev.pipewright.assertions;

import com.google.errorprone.annotations.CheckReturnValue;
import org.jspecify.annotations.NullMarked;
