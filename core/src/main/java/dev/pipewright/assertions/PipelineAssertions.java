package dev.pipewright.assertions;

import static com.google.common.base.Preconditions.checkNotNull;

import dev.pipewright.Pipeline;

/**
 * Entry point of the pipeline assertions: import {@link #assertThat(Pipeline)} statically and
 * state a pipeline's delivery policy as a test.
 *
 * <pre>{@code
 * import static dev.pipewright.assertions.PipelineAssertions.assertThat;
 *
 * @Test
 * void productionIsBehindApprovalAndOnlyMasterGetsThere() {
 *     assertThat(HousingApi.pipeline())
 *         .promotesEnvironmentsInOrder("development", "staging", "production")
 *         .everyStageIn("production")
 *             .areGatedByManualApproval()
 *             .runOnlyOnBranches("master");
 * }
 * }</pre>
 *
 * <p>The name clashes with AssertJ's {@code Assertions.assertThat} only in appearance: both can
 * be imported statically, and Java picks this one for a {@link Pipeline}.
 *
 * @since 0.1
 */
public final class PipelineAssertions {

    private PipelineAssertions() {
    }

    /**
     * Assertions about {@code pipeline}, a built and therefore valid pipeline.
     *
     * @throws NullPointerException if {@code pipeline} is null
     */
    public static PipelineAssert assertThat(Pipeline pipeline) {
        return new PipelineAssert(checkNotNull(pipeline, "pipeline"));
    }
}
