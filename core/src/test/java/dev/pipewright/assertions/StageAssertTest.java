package dev.pipewright.assertions;

import static dev.pipewright.assertions.PipelineAssertions.assertThat;
import static dev.pipewright.assertions.SamplePipelines.shop;
import static dev.pipewright.assertions.SamplePipelines.withUnusedRoles;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipewright.CheckResult;
import dev.pipewright.Environment;
import dev.pipewright.Gate;
import dev.pipewright.Pipeline;
import org.junit.jupiter.api.Test;

class StageAssertTest {

    @Test
    void pipeline_navigatesBackToThePipeline() {
        PipelineAssert pipeline = assertThat(shop());

        org.assertj.core.api.Assertions.assertThat(pipeline.stage("lint").pipeline()).isSameAs(pipeline);
    }

    @Test
    void needs_withDirectNeeds_passes() {
        assertThat(shop()).stage("deploy-staging").needs("test");
    }

    @Test
    void needs_withTransitiveNeedOnly_namesWhatItNeeds() {
        assertThatThrownBy(() -> assertThat(shop()).stage("deploy-production").needs("test"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting stage 'deploy-production' of pipeline 'shop'\n  to need [test]\n")
                .hasMessageContaining("but it needs [deploy-staging] (missing: [test])");
    }

    @Test
    void needs_withUnknownStage_listsStages() {
        assertThatThrownBy(() -> assertThat(shop()).stage("test").needs("lnit"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("(missing: [lnit]); no stage is called 'lnit'; stages: [lint, test,");
    }

    @Test
    void runsAfter_withTransitiveNeeds_passes() {
        assertThat(shop()).stage("deploy-production").runsAfter("deploy-staging", "test", "lint");
    }

    @Test
    void runsAfter_withStageItDoesNotWaitFor_namesWhatItRunsAfter() {
        assertThatThrownBy(() -> assertThat(shop()).stage("deploy-production").runsAfter("lint", "deploy-development"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("to run after [lint, deploy-development]")
                .hasMessageContaining("but it runs after [deploy-staging, test, lint] (missing: [deploy-development])");
    }

    @Test
    void runsOnBranch_withBranchEveryFilterAccepts_passes() {
        assertThat(shop()).stage("notify").runsOnBranch("master");
    }

    @Test
    void runsOnBranch_withBranchFilteredOutUpstream_namesEachFilter() {
        assertThatThrownBy(() -> assertThat(shop()).stage("notify").runsOnBranch("development"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("to run on branch 'development'")
                .hasMessageContaining("but it does not: environment 'production' of needed stage 'smoke-production'"
                        + " (branches only [master]) rejects it; environment 'staging' of needed stage"
                        + " 'deploy-staging' (branches only [master]) rejects it");
    }

    @Test
    void runsOnBranch_withBranchTheTriggersSkip_namesTheTriggers() {
        Pipeline pipeline = Pipeline.named("api")
                .trigger(dev.pipewright.Trigger.push(f -> f.onlyBranches("main")))
                .stage("test", s -> s.run("./test.sh"))
                .build();

        assertThatThrownBy(() -> assertThat(pipeline).stage("test").runsOnBranch("feature"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("no trigger starts the pipeline for it (the pipeline's triggers"
                        + " [push (branches only [main])])");
    }

    @Test
    void doesNotRunOnBranch_withBranchFilteredOut_passes() {
        assertThat(shop()).stage("deploy-production").doesNotRunOnBranch("development").doesNotRunOnBranch("feature-1");
    }

    @Test
    void doesNotRunOnBranch_withBranchThatRuns_showsFiltersInPlay() {
        assertThatThrownBy(() -> assertThat(shop()).stage("deploy-production").doesNotRunOnBranch("master"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting stage 'deploy-production' of pipeline 'shop'\n"
                        + "  not to run on branch 'master'\n")
                .hasMessageContaining("but it does: filters in play: environment 'production' (branches only [master])");
    }

    @Test
    void doesNotRunOnBranch_withUnfilteredStage_saysNothingRestrictsIt() {
        assertThatThrownBy(() -> assertThat(shop()).stage("lint").doesNotRunOnBranch("master"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("but it does: no filter or trigger restricts it.");
    }

    @Test
    void runsOnTag_withMatchingTagFilter_passes() {
        assertThat(shop()).stage("release").runsOnTag("v1.2.0");
    }

    @Test
    void runsOnTag_withoutTagFilter_saysTagPushesSkipIt() {
        assertThatThrownBy(() -> assertThat(shop()).stage("lint").runsOnTag("v1.2.0"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("to run on tag 'v1.2.0'")
                .hasMessageContaining("but it does not: its own filter has no tag filter, so tag pushes skip it");
    }

    @Test
    void doesNotRunOnTag_withTagNotMatched_passes() {
        assertThat(shop()).stage("release").doesNotRunOnTag("nightly");
        assertThat(shop()).stage("test").doesNotRunOnTag("v1.2.0");
    }

    @Test
    void doesNotRunOnTag_withMatchingTag_showsItsFilter() {
        assertThatThrownBy(() -> assertThat(shop()).stage("release").doesNotRunOnTag("v1.2.0"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("not to run on tag 'v1.2.0'")
                .hasMessageContaining("but it does: filters in play: its own filter (branches ignoring [/.*/],"
                        + " tags only [/v[0-9.]+/])");
    }

    @Test
    void runsOnlyOnBranches_withExactSet_passes() {
        assertThat(shop()).stage("notify").runsOnlyOnBranches("master");
        assertThat(shop()).stage("deploy-development").runsOnlyOnBranches("development");
    }

    @Test
    void runsOnlyOnBranches_withDifferentSet_showsMissingAndUnexpected() {
        assertThatThrownBy(() -> assertThat(shop()).stage("deploy-production").runsOnlyOnBranches("main", "master", "release"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("to run only on branches [main, master, release]")
                .hasMessageContaining("but it runs on branches [master] (missing: [main, release])");
        assertThatThrownBy(() -> assertThat(shop()).stage("deploy-production").runsOnlyOnBranches("main"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("(missing: [main], unexpected: [master])");
    }

    @Test
    void runsOnlyOnBranches_withRegexOnlyFilter_saysTheSetIsUnbounded() {
        assertThatThrownBy(() -> assertThat(shop()).stage("preview").runsOnlyOnBranches("feature-1"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("but the set of branches it runs on is unbounded: no filter or trigger names"
                        + " its branches exactly (environment 'preview' (branches only [/feature-.*/]))");
    }

    @Test
    void runsOnlyOnBranches_withUnfilteredStage_saysItRunsOnEveryBranch() {
        assertThatThrownBy(() -> assertThat(shop()).stage("lint").runsOnlyOnBranches("master"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("but it runs on every branch: no filter or trigger restricts its branches");
    }

    @Test
    void isGatedByManualApproval_withOwnApproval_passes() {
        assertThat(shop()).stage("deploy-production").isGatedByManualApproval();
    }

    @Test
    void isGatedByManualApproval_withApprovedNeedInSameEnvironment_passes() {
        assertThat(shop()).stage("smoke-production").isGatedByManualApproval();
    }

    @Test
    void isGatedByManualApproval_withoutApproval_namesStageAndGates() {
        Environment production = Environment.named("production").branches("master").build();
        Pipeline pipeline = Pipeline.named("housing-api")
                .environments(production)
                .stage("deploy-production", s -> s.in(production)
                        .gate(Gate.check("alarms-ok", ctx -> CheckResult.pass("no alarm")))
                        .run("./deploy.sh"))
                .build();

        assertThatThrownBy(() -> assertThat(pipeline).stage("deploy-production").isGatedByManualApproval())
                .isInstanceOf(AssertionError.class)
                .hasMessage("Expecting stage 'deploy-production' of pipeline 'housing-api'\n"
                        + "  to be gated by a manual approval\n"
                        + "but it has no manual approval, and no stage it needs in environment 'production' has one"
                        + " (gates: [check 'alarms-ok']).");
    }

    @Test
    void isGatedByManualApproval_withApprovedNeedInAnotherEnvironment_fails() {
        Environment staging = Environment.named("staging").branches("master").approval().build();
        Environment production = Environment.named("production").branches("master").build();
        Pipeline pipeline = Pipeline.named("api")
                .environments(staging, production)
                .deploy(staging, s -> s.run("./deploy.sh staging"))
                .deploy(production, s -> s.needs("deploy-staging").run("./deploy.sh production"))
                .build();

        assertThatThrownBy(() -> assertThat(pipeline).stage("deploy-production").isGatedByManualApproval())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("no stage it needs in environment 'production' has one (gates: [])");
    }

    @Test
    void isGatedByManualApproval_inNoEnvironment_countsOnlyItsOwnGates() {
        assertThatThrownBy(() -> assertThat(shop()).stage("notify").isGatedByManualApproval())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("but it has no manual approval, and it works in no environment, so approvals of"
                        + " the stages it needs do not count (gates: [])");
    }

    @Test
    void isNotGatedByManualApproval_withoutApproval_passes() {
        assertThat(shop()).stage("deploy-staging").isNotGatedByManualApproval();
        assertThat(shop()).stage("notify").isNotGatedByManualApproval();
    }

    @Test
    void isNotGatedByManualApproval_withOwnApproval_namesIt() {
        assertThatThrownBy(() -> assertThat(shop()).stage("deploy-production").isNotGatedByManualApproval())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("not to be gated by a manual approval")
                .hasMessageContaining("but it is, by manual approval 'approve-production' by [shop-leads] (its own)");
    }

    @Test
    void isNotGatedByManualApproval_withApprovedNeed_namesTheNeededStage() {
        assertThatThrownBy(() -> assertThat(shop()).stage("smoke-production").isNotGatedByManualApproval())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("but it is, by manual approval 'approve-production' by [shop-leads] of needed"
                        + " stage 'deploy-production' in environment 'production'");
    }

    @Test
    void hasGate_withGateOfThatName_passes() {
        assertThat(shop()).stage("deploy-production").hasGate("alarms-ok").hasGate("approve-production");
    }

    @Test
    void hasGate_withoutGateOfThatName_listsGates() {
        assertThatThrownBy(() -> assertThat(shop()).stage("deploy-production").hasGate("approval"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("to have gate 'approval'")
                .hasMessageContaining("but its gates are [manual approval 'approve-production' by [shop-leads],"
                        + " check 'alarms-ok']");
        assertThatThrownBy(() -> assertThat(shop()).stage("lint").hasGate("approval"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("but it has no gates");
    }

    @Test
    void isIn_withItsEnvironment_passes() {
        assertThat(shop()).stage("smoke-production").isIn("production");
    }

    @Test
    void isIn_withAnotherEnvironment_namesItsEnvironment() {
        assertThatThrownBy(() -> assertThat(shop()).stage("deploy-staging").isIn("production"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("to work in environment 'production'")
                .hasMessageContaining("but it works in environment 'staging'.");
        assertThatThrownBy(() -> assertThat(shop()).stage("lint").isIn("production"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("but it works in no environment.");
    }

    @Test
    void isIn_withUndeclaredEnvironment_listsDeclaredOnes() {
        assertThatThrownBy(() -> assertThat(shop()).stage("deploy-production").isIn("prod"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("but it works in environment 'production'; no environment is called 'prod';"
                        + " environments: [development, staging, production, preview]");
    }

    @Test
    void actsAs_withRolesItHolds_passes() {
        assertThat(shop()).stage("fetch-assets").actsAs("reader");
    }

    @Test
    void actsAs_withRoleItDoesNotHold_namesItsRoles() {
        assertThatThrownBy(() -> assertThat(shop()).stage("deploy-production").actsAs("deploy-production", "reader"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("to act as [deploy-production, reader]")
                .hasMessageContaining("but it acts as [deploy-production] (missing: [reader])");
    }

    @Test
    void actsAs_withUndeclaredRole_listsDeclaredRoles() {
        assertThatThrownBy(() -> assertThat(shop()).stage("lint").actsAs("deployer"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("but it acts as no role (missing: [deployer]); no role is called 'deployer';"
                        + " roles: [reader, deploy-development, deploy-staging, deploy-production]");
    }

    @Test
    void actsOnlyAs_withExactRoles_passes() {
        assertThat(shop()).stage("deploy-production").actsOnlyAs("deploy-production");
        assertThat(withUnusedRoles()).stage("sync").actsOnlyAs("writer", "reader");
    }

    @Test
    void actsOnlyAs_withOtherRoles_showsMissingAndUnexpected() {
        assertThatThrownBy(() -> assertThat(withUnusedRoles()).stage("sync").actsOnlyAs("reader", "auditor"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("to act only as [reader, auditor]")
                .hasMessageContaining("but it acts as [reader, writer] (missing: [auditor], unexpected: [writer]);"
                        + " no role is called 'auditor'; roles: [reader, writer]");
    }

    @Test
    void actsAsNoRole_withoutRoles_passes() {
        assertThat(shop()).stage("lint").actsAsNoRole().actsOnlyAs();
    }

    @Test
    void actsAsNoRole_withRole_namesIt() {
        assertThatThrownBy(() -> assertThat(shop()).stage("fetch-assets").actsAsNoRole())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("to act as no role")
                .hasMessageContaining("but it acts as [reader].");
    }

    @Test
    void usesEveryRoleItHolds_withRolesCoveringItsSteps_passes() {
        assertThat(shop()).stage("deploy-production").usesEveryRoleItHolds();
        assertThat(shop()).stage("lint").usesEveryRoleItHolds();
    }

    @Test
    void usesEveryRoleItHolds_withUnusedRole_showsGrantsAndNeeds() {
        assertThatThrownBy(() -> assertThat(withUnusedRoles()).stage("sync").usesEveryRoleItHolds())
                .isInstanceOf(AssertionError.class)
                .hasMessage("Expecting stage 'sync' of pipeline 'assets'\n"
                        + "  to use every role it holds\n"
                        + "but role 'writer' grants [s3:PutObject on arn:aws:s3:::shop-assets/*], which covers none of"
                        + " what its steps need: [s3:GetObject on arn:aws:s3:::shop-assets/index.html].");
    }

    @Test
    void hasStepOfType_withSuchStep_passes() {
        assertThat(shop()).stage("lint").hasStepOfType("shell");
    }

    @Test
    void hasStepOfType_withoutSuchStep_listsStepsWithTypes() {
        assertThatThrownBy(() -> assertThat(shop()).stage("deploy-production").hasStepOfType("aws.lambda.deploy"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("to have a step of type 'aws.lambda.deploy'")
                .hasMessageContaining("but its steps are [shell 'deploy to production']");
    }

    @Test
    void describedAs_prefixesOnlyThisStagesFailures() {
        assertThatThrownBy(() -> assertThat(shop()).stage("lint").describedAs("lint is environment-free").isIn("production"))
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("[lint is environment-free] Expecting stage 'lint' of pipeline 'shop'");
    }

    @Test
    void assertionMethods_withNullArguments_throwNullPointerException() {
        StageAssert stage = assertThat(shop()).stage("lint");

        assertThatThrownBy(() -> stage.needs((String[]) null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> stage.runsAfter("lint", null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> stage.runsOnBranch(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> stage.doesNotRunOnTag(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> stage.runsOnlyOnBranches((String[]) null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> stage.hasGate(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> stage.isIn(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> stage.actsOnlyAs((String) null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> stage.hasStepOfType(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> stage.runsOnBranch(" ")).isInstanceOf(IllegalArgumentException.class);
    }
}
