package dev.pipewright;

import static dev.pipewright.HousingApiFixture.DEVELOPMENT;
import static dev.pipewright.HousingApiFixture.PRODUCTION;
import static dev.pipewright.HousingApiFixture.STAGING;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PipelineTest {

    @Test
    void build_housingApi_valid() {
        Pipeline api = HousingApiFixture.pipeline();

        assertThat(api.name()).isEqualTo("housing-api");
        assertThat(api.description()).contains("Housing API");
        assertThat(api.environments()).containsExactly(DEVELOPMENT, STAGING, PRODUCTION);
        assertThat(api.stages()).extracting(Stage::name).containsExactly("check-formatting", "build-and-test",
                "deploy-development", "deploy-staging", "deploy-production", "publish-api-definition");
        assertThat(api).hasToString("pipeline 'housing-api' (6 stages)");
    }

    @Test
    void hooksAndInherited_kept_andChecked() {
        Pipeline p = Pipeline.named("api").stage("a", s -> s.run("x"))
                .onFailure(ShellStep.of("./notify.sh")).always(ShellStep.of("./clean.sh")).inherit("AWS_REGION")
                .build();

        assertThat(p.onFailure()).containsExactly(ShellStep.of("./notify.sh"));
        assertThat(p.always()).containsExactly(ShellStep.of("./clean.sh"));
        assertThat(p.inherited()).containsExactly("AWS_REGION");
        assertThat(p.toBuilder().build()).isEqualTo(p).hasSameHashCodeAs(p);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Pipeline.named("api").stage("a", s -> s.run("x"))
                        .inherit("not a name").always(OrbStep.of("slack/notify", java.util.Map.of())).build())
                .isInstanceOf(InvalidPipelineException.class)
                .hasMessageContaining("inherit")
                .hasMessageContaining("always step 1: orb 'slack'");
    }

    @Test
    void triggers_noneDeclared_everyPush() {
        assertThat(HousingApiFixture.pipeline().triggers()).containsExactly(Trigger.push());
    }

    @Test
    void triggers_declared_keptInOrder() {
        Trigger nightly = Trigger.schedule("nightly", "0 2 * * *", "master");
        Trigger push = Trigger.push(f -> f.ignoreBranches("/dependabot\\/.*/"));

        Pipeline p = Pipeline.named("p").trigger(nightly).trigger(push).stage("test", s -> s.run("make")).build();

        assertThat(p.triggers()).containsExactly(nightly, push);
    }

    @Test
    void stages_topologicalOrderWithDeclarationOrderTies() {
        Pipeline p = Pipeline.named("p")
                .stage("deploy", s -> s.needs("package", "test").run("x"))
                .stage("lint", s -> s.run("x"))
                .stage("package", s -> s.needs("compile").run("x"))
                .stage("compile", s -> s.run("x"))
                .stage("test", s -> s.needs("compile").run("x"))
                .build();

        assertThat(p.stages()).extracting(Stage::name).containsExactly("lint", "compile", "package", "test", "deploy");
    }

    @Test
    void stage_byName_foundOrEmpty() {
        Pipeline api = HousingApiFixture.pipeline();

        assertThat(api.stage("deploy-production")).hasValueSatisfying(s -> assertThat(s.needs())
                .containsExactly("deploy-staging"));
        assertThat(api.stage("deploy-prod")).isEmpty();
    }

    @Test
    void environment_byName_foundOrEmpty() {
        Pipeline api = HousingApiFixture.pipeline();

        assertThat(api.environment("staging")).contains(STAGING);
        assertThat(api.environment("prod")).isEmpty();
    }

    @Test
    void roles_declaredThenEnvironmentsWithoutRepeats() {
        Role auditor = Role.named("auditor").build();
        Role stagingRole = STAGING.role().orElseThrow();

        Pipeline p = Pipeline.named("p").environments(DEVELOPMENT, STAGING).role(auditor).role(stagingRole)
                .stage("audit", s -> s.as(auditor).run("x"))
                .deploy(DEVELOPMENT, s -> s.run("x"))
                .deploy(STAGING, s -> s.run("x"))
                .build();

        assertThat(p.roles()).containsExactly(auditor, stagingRole, DEVELOPMENT.role().orElseThrow());
        assertThat(p.role("auditor")).contains(auditor);
        assertThat(p.role("deploy-development")).contains(DEVELOPMENT.role().orElseThrow());
        assertThat(p.role("deployer")).isEmpty();
    }

    @Test
    void stagesIn_environment_inTopologicalOrder() {
        Pipeline api = HousingApiFixture.pipeline();

        assertThat(api.stagesIn(PRODUCTION)).extracting(Stage::name)
                .containsExactly("deploy-production", "publish-api-definition");
        assertThat(api.stagesIn(Environment.named("elsewhere").build())).isEmpty();
    }

    @Test
    void circleciFor_pipelineThenEnvironmentThenStage() {
        Environment staging = Environment.named("staging")
                .circleci(c -> c.context("staging").resourceClass("medium").orb("aws-cli", "circleci/aws-cli@5.1"))
                .build();
        Pipeline p = Pipeline.named("p").environment(staging)
                .circleci(c -> c.docker("cimg/openjdk:17.0").resourceClass("small").context("org")
                        .orb("aws-cli", "circleci/aws-cli@4.0"))
                .stage("test", s -> s.run("x"))
                .stage("deploy", s -> s.in(staging).run("x").circleci(c -> c.resourceClass("large").context("deploy")))
                .build();

        CircleCiOptions test = p.circleciFor(p.stage("test").orElseThrow());
        CircleCiOptions deploy = p.circleciFor(p.stage("deploy").orElseThrow());

        assertThat(test).isEqualTo(p.circleci());
        assertThat(deploy.executor()).contains(new CircleCiOptions.Docker("cimg/openjdk:17.0", List.of()));
        assertThat(deploy.resourceClass()).contains("large");
        assertThat(deploy.contexts()).containsExactly("org", "staging", "deploy");
        assertThat(deploy.orbs()).containsEntry("aws-cli", "circleci/aws-cli@5.1");
    }

    @Test
    void deploy_environment_bringsInRoleAndApproval() {
        Stage deploy = HousingApiFixture.pipeline().stage("deploy-production").orElseThrow();

        assertThat(deploy.environment()).contains(PRODUCTION);
        assertThat(deploy.roles()).containsExactly(PRODUCTION.role().orElseThrow());
        assertThat(deploy.gates()).containsExactly(PRODUCTION.approval().orElseThrow());
        assertThat(deploy.hasManualApproval()).isTrue();
    }

    @Test
    void deploy_environmentWithoutRoleOrApproval_onlyIn() {
        Environment sandbox = Environment.named("sandbox").build();

        Stage deploy = Pipeline.named("p").environment(sandbox).deploy("try-it", sandbox, s -> s.run("x")).build()
                .stage("try-it").orElseThrow();

        assertThat(deploy.environment()).contains(sandbox);
        assertThat(deploy.roles()).isEmpty();
        assertThat(deploy.gates()).isEmpty();
    }

    @Test
    void toBuilder_build_equalsOriginal() {
        Pipeline api = HousingApiFixture.pipeline();
        Role auditor = Role.named("auditor").build();
        Pipeline scheduled = Pipeline.named("nightly").description("d").role(auditor)
                .trigger(Trigger.schedule("nightly", "0 2 * * *", "master"))
                .circleci(c -> c.orb("aws-cli", "circleci/aws-cli@5.1"))
                .stage("audit", s -> s.as(auditor).step(OrbStep.of("aws-cli/setup")).timeout(Duration.ofMinutes(5)))
                .build();

        assertThat(api.toBuilder().build()).isEqualTo(api).hasSameHashCodeAs(api);
        assertThat(scheduled.toBuilder().build()).isEqualTo(scheduled);
        assertThat(api.toBuilder().stage("smoke", s -> s.needs("deploy-development").run("x")).build())
                .isNotEqualTo(api);
    }

    @Test
    void build_invalidPipelineName_reportsNameRule() {
        InvalidPipelineException e = Rejected.by(() -> Pipeline.named("housing api").stage("t", s -> s.run("x"))
                .build());

        assertThat(e.subject()).isEqualTo("Pipeline 'housing api'");
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("name");
            assertThat(p.message()).isEqualTo("'housing api' is not a valid name.");
            assertThat(p.fix()).isEqualTo(Problems.NAME_RULE);
        });
    }

    @Test
    void build_invalidStageName_reportedUnderTheStage() {
        Problem p = Rejected.problem(() -> Pipeline.named("p").stage("unit tests", s -> s.run("x")).build());

        assertThat(p.path()).isEqualTo("stage 'unit tests' > name");
        assertThat(p.message()).isEqualTo("'unit tests' is not a valid name.");
    }

    @Test
    void build_invalidGateNameInStage_reportedUnderStageAndGate() {
        Problem p = Rejected.problem(() -> Pipeline.named("p")
                .stage("deploy", s -> s.gate(Gate.manualApproval(a -> a.name("sign off"))).run("x")).build());

        assertThat(p.path()).isEqualTo("stage 'deploy' > gate 'sign off' > name");
    }

    @Test
    void build_noStages_reported() {
        InvalidPipelineException e = Rejected.by(() -> Pipeline.named("p").stage((Stage) null).build());

        assertThat(e.problems()).extracting(Problem::path, Problem::message).containsExactly(
                org.assertj.core.groups.Tuple.tuple("stages", "null given."),
                org.assertj.core.groups.Tuple.tuple("stages", "the pipeline has no stages."));
        assertThat(e.problems().get(1).fix()).isEqualTo("Add one with .stage(...).");
    }

    @Test
    void build_duplicateStageNames_reportsTheSecond() {
        Problem p = Rejected.problem(() -> Pipeline.named("p").stage("test", s -> s.run("x"))
                .stage("test", s -> s.run("y")).build());

        assertThat(p.path()).isEqualTo("stage 'test'");
        assertThat(p.message()).isEqualTo("the name is used by another stage.");
        assertThat(p.fix()).isEqualTo("Give every stage its own name.");
    }

    @Test
    void build_stageWithoutSteps_reportedUnderTheStage() {
        Problem p = Rejected.problem(() -> Pipeline.named("p").stage("test", s -> s.description("nothing yet")).build());

        assertThat(p.path()).isEqualTo("stage 'test' > steps");
        assertThat(p.message()).isEqualTo("the stage has no steps.");
    }

    @Test
    void build_stageLambdaStoppedByANestedProblem_doesNotAlsoReportNoSteps() {
        Problem p = Rejected.problem(() -> Pipeline.named("p")
                .stage("deploy", s -> s.step(ShellStep.of("")).run("./deploy.sh"))
                .build());

        assertThat(p.path()).isEqualTo("stage 'deploy' > shell step '' > command");
    }

    @Test
    void build_stageWithoutStepsAndAnotherProblem_reportsBoth() {
        assertThat(Rejected.problems(() -> Pipeline.named("p").stage("deploy", s -> s.in(null)).build()))
                .extracting(Problem::path).containsExactly("stage 'deploy' > in", "stage 'deploy' > steps");
    }

    @Test
    void environments_replacesEarlierDeclarations() {
        Pipeline p = Pipeline.named("p").environment(STAGING).environments(DEVELOPMENT)
                .deploy(DEVELOPMENT, s -> s.run("x")).build();

        assertThat(p.environments()).containsExactly(DEVELOPMENT);
    }

    @Test
    void stage_builtElsewhere_addedAsIs() {
        Stage test = Stage.named("test").run("make").build();

        Pipeline p = Pipeline.named("p").stage(test).stage("deploy", s -> s.needs(test).run("x")).build();

        assertThat(p.stage("test")).contains(test);
        assertThat(p.stage("deploy").orElseThrow().needs()).containsExactly("test");
    }
}
