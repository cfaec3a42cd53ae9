package dev.pipewright.examples;

import static dev.pipewright.assertions.PipelineAssertions.assertThat;

import dev.pipewright.Pipeline;
import org.junit.jupiter.api.Test;

/** The housing API team's delivery policy, checked against the pipeline they ship. */
class HousingApiPolicyTest {
    private final Pipeline pipeline = HousingApi.pipeline();

    @Test
    void everyStageInProduction_isGatedByManualApproval() {
        assertThat(pipeline).everyStageIn("production").areGatedByManualApproval();
    }

    @Test
    void deploysToStagingAndProduction_runOnlyOnMaster() {
        assertThat(pipeline)
                .stage("deploy-staging").runsOnlyOnBranches("master")
                .pipeline()
                .stage("deploy-production").runsOnlyOnBranches("master");
    }

    @Test
    void deployToDevelopment_runsOnlyOnDevelopment() {
        assertThat(pipeline).stage("deploy-development").runsOnlyOnBranches("development");
    }

    @Test
    void formattingAndTests_runOnEveryBranch() {
        assertThat(pipeline).runsOnEveryBranch("check-formatting", "build-and-test");
    }

    @Test
    void noStage_holdsARoleItDoesNotUse() {
        assertThat(pipeline).hasNoStageHoldingAnUnusedRole();
    }

    @Test
    void eachDeploy_actsOnlyAsItsEnvironmentsRole() {
        assertThat(pipeline)
                .stage("deploy-development").actsOnlyAs("deploy-development")
                .pipeline()
                .stage("deploy-staging").actsOnlyAs("deploy-staging")
                .pipeline()
                .stage("deploy-production").actsOnlyAs("deploy-production");
    }

    @Test
    void deployToProduction_runsAfterStagingAndTests() {
        assertThat(pipeline).stage("deploy-production").runsAfter("deploy-staging", "build-and-test");
    }

    @Test
    void environments_promoteFromDevelopmentThroughStagingToProduction() {
        assertThat(pipeline).promotesEnvironmentsInOrder("development", "staging", "production");
    }

    @Test
    void apiDefinition_isPublishedAfterProductionDeploys() {
        assertThat(pipeline).stage("publish-api-definition").runsAfter("deploy-production");
    }
}
