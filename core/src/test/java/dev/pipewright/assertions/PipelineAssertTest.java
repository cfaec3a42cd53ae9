package dev.pipewright.assertions;

import static dev.pipewright.assertions.PipelineAssertions.assertThat;
import static dev.pipewright.assertions.SamplePipelines.DEVELOPMENT;
import static dev.pipewright.assertions.SamplePipelines.shop;
import static dev.pipewright.assertions.SamplePipelines.withUnusedRoles;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipewright.Environment;
import dev.pipewright.Pipeline;
import dev.pipewright.Stage;
import dev.pipewright.Trigger;
import org.junit.jupiter.api.Test;

class PipelineAssertTest {

    @Test
    void assertThat_withNullPipeline_throwsNullPointerException() {
        assertThatThrownBy(() -> assertThat(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("pipeline");
    }

    @Test
    void actual_returnsThePipeline() {
        Pipeline pipeline = shop();

        org.assertj.core.api.Assertions.assertThat(assertThat(pipeline).actual()).isSameAs(pipeline);
    }

    @Test
    void hasStage_withExistingStage_passes() {
        assertThat(shop()).hasStage("lint").hasStage("release");
    }

    @Test
    void hasStage_withMissingStage_listsStages() {
        assertThatThrownBy(() -> assertThat(shop()).hasStage("lnit"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting pipeline 'shop'\n  to have stage 'lnit'\n")
                .hasMessageContaining("but it has no stage 'lnit'; stages: [lint, test, deploy-development,");
    }

    @Test
    void hasStages_withExistingStages_passes() {
        assertThat(shop()).hasStages("lint", "test", "deploy-production");
    }

    @Test
    void hasStages_withMissingStages_namesMissingAndExisting() {
        assertThatThrownBy(() -> assertThat(shop()).hasStages("lint", "tset", "deploy"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("to have stages [lint, tset, deploy]")
                .hasMessageContaining("but it has [lint, test, ")
                .hasMessageContaining("(missing: [tset, deploy])");
    }

    @Test
    void hasStages_withNoName_throwsIllegalArgumentException() {
        assertThatThrownBy(() -> assertThat(shop()).hasStages())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("stage names");
    }

    @Test
    void stage_withExistingStage_navigatesToIt() {
        Stage stage = assertThat(shop()).stage("deploy-production").actual();

        org.assertj.core.api.Assertions.assertThat(stage.name()).isEqualTo("deploy-production");
    }

    @Test
    void stage_withMissingStage_listsStages() {
        assertThatThrownBy(() -> assertThat(shop()).stage("deploy-prod"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("to have stage 'deploy-prod'")
                .hasMessageContaining("it has no stage 'deploy-prod'; stages: [")
                .hasMessageContaining("deploy-production");
    }

    @Test
    void everyStageIn_withStagesInEnvironment_navigatesToThem() {
        org.assertj.core.api.Assertions.assertThat(assertThat(shop()).everyStageIn("production").actual())
                .extracting(Stage::name)
                .containsExactly("deploy-production", "smoke-production");
    }

    @Test
    void everyStageIn_withUndeclaredEnvironment_listsDeclaredOnes() {
        assertThatThrownBy(() -> assertThat(shop()).everyStageIn("prod"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("to have stages working in environment 'prod'")
                .hasMessageContaining("no environment 'prod' is declared; environments: "
                        + "[development, staging, production, preview]");
    }

    @Test
    void everyStageIn_withEnvironmentWithoutStages_saysNoStageWorksThere() {
        Pipeline pipeline = Pipeline.named("api")
                .environments(Environment.named("qa").build(), DEVELOPMENT)
                .deploy(DEVELOPMENT, s -> s.run("./deploy.sh"))
                .build();

        assertThatThrownBy(() -> assertThat(pipeline).everyStageIn("qa"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("to have stages working in environment 'qa'")
                .hasMessageContaining("no stage works in it; environments with stages: [development]");
    }

    @Test
    void runsOnEveryBranch_withUnrestrictedStages_passes() {
        assertThat(shop()).runsOnEveryBranch("lint", "test", "fetch-assets");
    }

    @Test
    void runsOnEveryBranch_withRestrictedStages_namesEachStageAndWhatRestrictsIt() {
        assertThatThrownBy(() -> assertThat(shop()).runsOnEveryBranch("lint", "deploy-development", "release"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("to run [lint, deploy-development, release] on every branch")
                .hasMessageContaining("but 2 of them do not:")
                .hasMessageContaining("- 'deploy-development' is restricted by environment 'development'"
                        + " (branches only [development])")
                .hasMessageContaining("- 'release' is restricted by its own filter (branches ignoring [/.*/]")
                .hasMessageNotContaining("'lint' is");
    }

    @Test
    void runsOnEveryBranch_withRestrictedNeed_namesTheNeededStage() {
        assertThatThrownBy(() -> assertThat(shop()).runsOnEveryBranch("notify"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("'notify' is restricted by environment 'production' of needed stage"
                        + " 'smoke-production' (branches only [master])");
    }

    @Test
    void runsOnEveryBranch_withBranchTrigger_namesTheTriggers() {
        Pipeline pipeline = Pipeline.named("api")
                .trigger(Trigger.push(f -> f.onlyBranches("main")))
                .stage("test", s -> s.run("./test.sh"))
                .build();

        assertThatThrownBy(() -> assertThat(pipeline).runsOnEveryBranch("test"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("'test' is restricted by the pipeline's triggers [push (branches only [main])]");
    }

    @Test
    void runsOnEveryBranch_withUnknownStage_listsStages() {
        assertThatThrownBy(() -> assertThat(shop()).runsOnEveryBranch("lint", "tset"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("to run [lint, tset] on every branch")
                .hasMessageContaining("but no stage is called 'tset'; stages: [lint, test,");
    }

    @Test
    void hasNoStageHoldingAnUnusedRole_withEveryRoleUsed_passes() {
        assertThat(shop()).hasNoStageHoldingAnUnusedRole();
    }

    @Test
    void hasNoStageHoldingAnUnusedRole_withUnusedRoles_listsEveryOffender() {
        assertThatThrownBy(() -> assertThat(withUnusedRoles()).hasNoStageHoldingAnUnusedRole())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting pipeline 'assets'\n  to have no stage holding a role it does not use")
                .hasMessageContaining("but 2 roles are held but unused:")
                .hasMessageContaining("- stage 'sync' holds role 'writer': it grants"
                        + " [s3:PutObject on arn:aws:s3:::shop-assets/*], which covers none of what its steps need:"
                        + " [s3:GetObject on arn:aws:s3:::shop-assets/index.html]")
                .hasMessageContaining("- stage 'audit' holds role 'reader': it grants"
                        + " [s3:GetObject on arn:aws:s3:::shop-assets/*], but its steps declare no permissions")
                .hasMessageNotContaining("'sync' holds role 'reader'");
    }

    @Test
    void promotesEnvironmentsInOrder_inDeclaredOrder_passes() {
        assertThat(shop())
                .promotesEnvironmentsInOrder("development", "staging", "production")
                .promotesEnvironmentsInOrder("staging", "production");
    }

    @Test
    void promotesEnvironmentsInOrder_outOfOrder_namesEachBrokenLink() {
        assertThatThrownBy(() -> assertThat(shop()).promotesEnvironmentsInOrder("staging", "development", "production"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("to promote environments in order staging -> development -> production")
                .hasMessageContaining("'development' is promoted from no environment, not 'staging'")
                .hasMessageContaining("'production' is promoted from 'staging', not 'development'")
                .hasMessageContaining("(declared promotions: [development -> staging, staging -> production])");
    }

    @Test
    void promotesEnvironmentsInOrder_withUndeclaredEnvironment_listsDeclaredOnes() {
        assertThatThrownBy(() -> assertThat(shop()).promotesEnvironmentsInOrder("development", "prod"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("but no environment is called 'prod'; environments: "
                        + "[development, staging, production, preview]");
    }

    @Test
    void promotesEnvironmentsInOrder_withOneEnvironment_throwsIllegalArgumentException() {
        assertThatThrownBy(() -> assertThat(shop()).promotesEnvironmentsInOrder("production"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least two environments");
    }

    @Test
    void describedAs_prefixesFailureMessages() {
        assertThatThrownBy(() -> assertThat(shop()).describedAs("release policy").hasStage("deploy"))
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("[release policy] Expecting pipeline 'shop'");
    }

    @Test
    void assertionMethods_withNullArguments_throwNullPointerException() {
        PipelineAssert pipeline = assertThat(shop());

        assertThatThrownBy(() -> pipeline.hasStage(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> pipeline.hasStages("lint", null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("stage names must not hold null");
        assertThatThrownBy(() -> pipeline.stage(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> pipeline.everyStageIn(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> pipeline.runsOnEveryBranch((String[]) null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> pipeline.promotesEnvironmentsInOrder("development", null))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> pipeline.describedAs(null)).isInstanceOf(NullPointerException.class);
    }
}
