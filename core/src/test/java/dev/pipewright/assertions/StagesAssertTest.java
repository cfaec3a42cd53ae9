package dev.pipewright.assertions;

import static dev.pipewright.assertions.PipelineAssertions.assertThat;
import static dev.pipewright.assertions.SamplePipelines.shop;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipewright.Environment;
import dev.pipewright.Pipeline;
import org.junit.jupiter.api.Test;

class StagesAssertTest {

    @Test
    void pipeline_navigatesBackToThePipeline() {
        PipelineAssert pipeline = assertThat(shop());

        org.assertj.core.api.Assertions.assertThat(pipeline.everyStageIn("production").pipeline()).isSameAs(pipeline);
    }

    @Test
    void areGatedByManualApproval_withEveryStageApproved_passes() {
        assertThat(shop()).everyStageIn("production").areGatedByManualApproval();
    }

    @Test
    void areGatedByManualApproval_withUngatedStages_listsEachWithItsGates() {
        Environment staging = Environment.named("staging").branches("master").build();
        Pipeline pipeline = Pipeline.named("api")
                .environments(staging)
                .deploy(staging, s -> s.run("./deploy.sh"))
                .stage("smoke-staging", s -> s.in(staging).needs("deploy-staging").run("./smoke.sh"))
                .build();

        assertThatThrownBy(() -> assertThat(pipeline).everyStageIn("staging").areGatedByManualApproval())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting every stage in environment 'staging' of pipeline 'api'"
                        + " [deploy-staging, smoke-staging]\n  to be gated by a manual approval\n")
                .hasMessageContaining("but 2 of 2 do not:")
                .hasMessageContaining("- 'deploy-staging': it has no manual approval, and no stage it needs in"
                        + " environment 'staging' has one (gates: [])")
                .hasMessageContaining("- 'smoke-staging': it has no manual approval");
    }

    @Test
    void runOnlyOnBranches_withEveryStageOnThoseBranches_passes() {
        assertThat(shop()).everyStageIn("production").runOnlyOnBranches("master");
    }

    @Test
    void runOnlyOnBranches_withOtherBranches_listsEachStageWithDifference() {
        assertThatThrownBy(() -> assertThat(shop()).everyStageIn("production").runOnlyOnBranches("main"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("to run only on branches [main]")
                .hasMessageContaining("but 2 of 2 do not:")
                .hasMessageContaining("- 'deploy-production': it runs on branches [master] (missing: [main],"
                        + " unexpected: [master])")
                .hasMessageContaining("- 'smoke-production': it runs on branches [master]");
    }

    @Test
    void runOnlyOnBranches_withRegexOnlyFilter_saysTheSetIsUnbounded() {
        assertThatThrownBy(() -> assertThat(shop()).everyStageIn("preview").runOnlyOnBranches("feature-1"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("- 'preview': the set of branches it runs on is unbounded");
    }

    @Test
    void actOnlyAs_withRolesAmongThoseGiven_passes() {
        assertThat(shop()).everyStageIn("production").actOnlyAs("deploy-production");
        assertThat(shop()).everyStageIn("production").actOnlyAs("deploy-production", "reader");
    }

    @Test
    void actOnlyAs_withOtherRole_listsOnlyTheOffenders() {
        assertThatThrownBy(() -> assertThat(shop()).everyStageIn("production").actOnlyAs("deploy-staging"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("to act only as roles among [deploy-staging]")
                .hasMessageContaining("but 1 of 2 does not:\n  - 'deploy-production': it also acts as"
                        + " [deploy-production] (roles: [deploy-production]).")
                .hasMessageNotContaining("'smoke-production':");
    }

    @Test
    void actOnlyAs_withUndeclaredRole_listsDeclaredRoles() {
        assertThatThrownBy(() -> assertThat(shop()).everyStageIn("production").actOnlyAs("deploy-prod"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("\nNote: no role is called 'deploy-prod'; roles: [reader, deploy-development,"
                        + " deploy-staging, deploy-production].");
    }

    @Test
    void describedAs_prefixesFailureMessages() {
        assertThatThrownBy(() -> assertThat(shop()).everyStageIn("production").describedAs("production policy")
                .runOnlyOnBranches("main"))
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("[production policy] Expecting every stage in environment 'production'");
    }

    @Test
    void assertionMethods_withNullArguments_throwNullPointerException() {
        StagesAssert production = assertThat(shop()).everyStageIn("production");

        assertThatThrownBy(() -> production.runOnlyOnBranches("master", null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> production.actOnlyAs((String[]) null)).isInstanceOf(NullPointerException.class);
    }
}
