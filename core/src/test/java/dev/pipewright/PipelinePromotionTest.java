package dev.pipewright;

import static dev.pipewright.HousingApiFixture.DEVELOPMENT;
import static dev.pipewright.HousingApiFixture.PRODUCTION;
import static dev.pipewright.HousingApiFixture.STAGING;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Promotion order between environments, approvals into protected environments and unused roles. */
class PipelinePromotionTest {
    private static final Environment STAGE = Environment.named("staging").branches("master").build();
    private static final Environment LIVE = Environment.named("production").promotedFrom(STAGE).branches("master")
            .build();

    @Test
    void build_housingApi_promotesInOrder() {
        Pipeline api = HousingApiFixture.pipeline();

        assertThat(api.stagesIn(STAGING)).extracting(Stage::name).containsExactly("deploy-staging");
    }

    @Test
    void build_earlierEnvironmentNeedingLaterOne_reportsBackwardsPromotion() {
        List<Problem> problems = Rejected.problems(() -> Pipeline.named("p").environments(STAGE, LIVE)
                .deploy(LIVE, s -> s.run("x"))
                .deploy(STAGE, s -> s.needs("deploy-production").run("x"))
                .build());

        Problem p = Rejected.at(problems, "stage 'deploy-staging' > in(staging)");
        assertThat(p.message()).isEqualTo("the stage needs 'deploy-production', which works in 'production', but"
                + " 'production' is promoted from 'staging': promotion runs backwards.");
        assertThat(p.fix()).isEqualTo("Make the stage in 'production' need this one instead.");
    }

    @Test
    void build_productionNotWaitingForStagingOnSameBranches_reported() {
        Problem p = Rejected.problem(() -> Pipeline.named("p").environments(STAGE, LIVE)
                .stage("test", s -> s.run("x"))
                .deploy(STAGE, s -> s.needs("test").run("x"))
                .deploy(LIVE, s -> s.needs("test").run("x"))
                .build());

        assertThat(p.path()).isEqualTo("stage 'deploy-production' > in(production)");
        assertThat(p.message()).isEqualTo("'production' is promoted from 'staging', but the stage does not wait for"
                + " [deploy-staging], which can run in the same run.");
        assertThat(p.fix()).isEqualTo("Add needs(\"deploy-staging\").");
    }

    @Test
    void build_productionWaitingForStagingThroughAnotherStage_valid() {
        Pipeline p = Pipeline.named("p").environments(STAGE, LIVE)
                .deploy(STAGE, s -> s.run("x"))
                .stage("smoke-test", s -> s.needs("deploy-staging").run("x"))
                .deploy(LIVE, s -> s.needs("smoke-test").run("x"))
                .build();

        assertThat(p.stages()).extracting(Stage::name).endsWith("deploy-production");
    }

    @Test
    void build_environmentsOnDifferentBranches_needNotWait() {
        // development deploys from 'development', staging from 'master': never in the same run.
        Pipeline p = Pipeline.named("p").environments(DEVELOPMENT, STAGING)
                .stage("test", s -> s.run("x"))
                .deploy(DEVELOPMENT, s -> s.needs("test").run("x"))
                .deploy(STAGING, s -> s.needs("test").run("x"))
                .build();

        assertThat(p.stages()).hasSize(3);
    }

    @Test
    void build_promotedFromEnvironmentNoStageDeploysTo_reported() {
        Problem p = Rejected.problem(() -> Pipeline.named("p").environments(STAGE, LIVE)
                .deploy(LIVE, s -> s.run("x"))
                .build());

        assertThat(p.path()).isEqualTo("stage 'deploy-production' > in(production)");
        assertThat(p.message()).isEqualTo("'production' is promoted from 'staging', but no stage works in 'staging'.");
        assertThat(p.fix()).isEqualTo("Deploy to 'staging' first, or drop promotedFrom.");
    }

    @Test
    void build_protectedEnvironmentWithoutApproval_reported() {
        Problem p = Rejected.problem(() -> HousingApiFixture.draft()
                .stage("hotfix", s -> s.needs("deploy-staging").in(PRODUCTION).run("x"))
                .build());

        assertThat(p.path()).isEqualTo("stage 'hotfix' > in(production)");
        assertThat(p.message()).isEqualTo(
                "the stage works in protected environment 'production' but no manual approval gates it.");
        assertThat(p.fix()).contains(".deploy(production, ...)").contains("Gate.manualApproval()");
    }

    @Test
    void build_protectedEnvironmentWithOwnApproval_valid() {
        Environment production = Environment.named("production").branches("master").approval().protect().build();

        Pipeline p = Pipeline.named("p").environment(production)
                .stage("deploy", s -> s.in(production).gate(Gate.manualApproval()).run("x"))
                .build();

        assertThat(p.stage("deploy").orElseThrow().hasManualApproval()).isTrue();
    }

    @Test
    void build_protectedEnvironmentBehindApprovedStageInIt_valid() {
        Pipeline api = HousingApiFixture.pipeline();

        assertThat(api.stage("publish-api-definition").orElseThrow().gates()).isEmpty();
    }

    @Test
    void build_protectedEnvironmentBehindApprovalInAnotherEnvironment_reported() {
        Environment production = Environment.named("production").branches("master").approval().protect().build();

        Problem p = Rejected.problem(() -> Pipeline.named("p").environments(STAGE, production)
                .stage("deploy-staging", s -> s.in(STAGE).gate(Gate.manualApproval()).run("x"))
                .stage("deploy-production", s -> s.needs("deploy-staging").in(production).run("x"))
                .build());

        assertThat(p.path()).isEqualTo("stage 'deploy-production' > in(production)");
        assertThat(p.message()).contains("no manual approval gates it");
    }

    @Test
    void build_protectedEnvironmentBehindCheckGate_reported() {
        Environment production = Environment.named("production").branches("master").approval().protect().build();

        Problem p = Rejected.problem(() -> Pipeline.named("p").environment(production)
                .stage("deploy", s -> s.in(production).gate(Gate.check("ok", ctx -> CheckResult.pass("ok"))).run("x"))
                .build());

        assertThat(p.path()).isEqualTo("stage 'deploy' > in(production)");
    }

    @Test
    void build_declaredRoleNoStageUses_reported() {
        Problem p = Rejected.problem(() -> Pipeline.named("p").role(Role.named("auditor").build())
                .stage("test", s -> s.run("x"))
                .build());

        assertThat(p.path()).isEqualTo("role 'auditor'");
        assertThat(p.message()).isEqualTo("no stage acts as this role.");
        assertThat(p.fix()).isEqualTo("Add .as(role) to the stage that needs it, or remove the role.");
    }

    @Test
    void build_environmentRoleNoStageUses_suggestsDeploying() {
        Problem p = Rejected.problem(() -> Pipeline.named("p").environments(DEVELOPMENT)
                .stage("deploy-development", s -> s.in(DEVELOPMENT).run("x"))
                .build());

        assertThat(p.path()).isEqualTo("role 'deploy-development'");
        assertThat(p.fix()).isEqualTo("Deploy to [development] with .deploy(...), or remove the role from the environment.");
    }
}
