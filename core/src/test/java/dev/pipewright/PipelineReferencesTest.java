package dev.pipewright;

import static dev.pipewright.HousingApiFixture.DEVELOPMENT;
import static dev.pipewright.HousingApiFixture.PRODUCTION;
import static dev.pipewright.HousingApiFixture.STAGING;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** References between stages, environments, roles and orbs, checked by {@code Pipeline.Builder.build()}. */
class PipelineReferencesTest {
    private static final Role AUDITOR = Role.named("auditor").build();

    @Test
    void build_needsUnknownStage_suggestsTheClosestName() {
        Problem p = Rejected.problem(() -> Pipeline.named("p")
                .stage("test", s -> s.run("x"))
                .stage("deploy", s -> s.needs("tset").run("x"))
                .build());

        assertThat(p.path()).isEqualTo("stage 'deploy' > needs");
        assertThat(p.message()).isEqualTo("no stage is called 'tset' (did you mean 'test'?); stages: [test, deploy].");
        assertThat(p.fix()).isEqualTo("Fix the name or add the stage.");
    }

    @Test
    void build_needsUnknownStageFarFromAny_listsStagesWithoutSuggestion() {
        Problem p = Rejected.problem(() -> Pipeline.named("p")
                .stage("test", s -> s.run("x"))
                .stage("deploy", s -> s.needs("integration").run("x"))
                .build());

        assertThat(p.message()).isEqualTo("no stage is called 'integration'; stages: [test, deploy].");
    }

    @Test
    void build_needsKnownStages_valid() {
        Pipeline p = Pipeline.named("p").stage("test", s -> s.run("x")).stage("deploy", s -> s.needs("test").run("x"))
                .build();

        assertThat(p.stage("deploy").orElseThrow().needs()).containsExactly("test");
    }

    @Test
    void build_withCycle_namesBothStages() {
        Problem p = Rejected.problem(() -> Pipeline.named("p")
                .stage("test", s -> s.needs("deploy").run("x"))
                .stage("deploy", s -> s.needs("test").run("x"))
                .build());

        assertThat(p.path()).isEqualTo("stage 'test' > needs");
        assertThat(p.message()).isEqualTo("cycle test -> deploy -> test.");
        assertThat(p.fix()).isEqualTo("Remove one of these needs.");
    }

    @Test
    void build_withSelfNeed_reportsCycleOfOne() {
        Problem p = Rejected.problem(() -> Pipeline.named("p").stage("test", s -> s.needs("test").run("x")).build());

        assertThat(p.path()).isEqualTo("stage 'test' > needs");
        assertThat(p.message()).isEqualTo("cycle test -> test.");
    }

    @Test
    void build_withLongCycleAndAnotherCycle_reportsEachOnce() {
        List<Problem> problems = Rejected.problems(() -> Pipeline.named("p")
                .stage("a", s -> s.needs("c").run("x"))
                .stage("b", s -> s.needs("a").run("x"))
                .stage("c", s -> s.needs("b").run("x"))
                .stage("d", s -> s.needs("a", "e").run("x"))
                .stage("e", s -> s.needs("d").run("x"))
                .build());

        assertThat(problems).extracting(Problem::message)
                .containsExactly("cycle a -> c -> b -> a.", "cycle d -> e -> d.");
    }

    @Test
    void build_inUndeclaredEnvironment_listsDeclaredOnes() {
        Environment prod = Environment.named("prod").branches("master").build();

        Problem p = Rejected.problem(() -> Pipeline.named("p").environments(DEVELOPMENT)
                .deploy(DEVELOPMENT, s -> s.run("x"))
                .stage("deploy-prod", s -> s.in(prod).run("x"))
                .build());

        assertThat(p.path()).isEqualTo("stage 'deploy-prod' > in(prod)");
        assertThat(p.message()).isEqualTo("environment 'prod' is not declared on the pipeline; declared: [development].");
        assertThat(p.fix()).isEqualTo("Declare it with .environments(...).");
    }

    @Test
    void build_inEnvironmentDifferingFromDeclared_reported() {
        Environment other = DEVELOPMENT.toBuilder().putVariable("DEBUG", "1").build();

        Problem p = Rejected.problem(() -> Pipeline.named("p").environments(DEVELOPMENT)
                .deploy(DEVELOPMENT, s -> s.run("x"))
                .stage("debug", s -> s.in(other).run("x"))
                .build());

        assertThat(p.path()).isEqualTo("stage 'debug' > in(development)");
        assertThat(p.message()).isEqualTo(
                "this environment 'development' differs from the one declared on the pipeline under that name.");
        assertThat(p.fix()).isEqualTo("Use the same Environment object in both places.");
    }

    @Test
    void build_asUndeclaredRole_listsDeclaredOnes() {
        List<Problem> problems = Rejected.problems(() -> Pipeline.named("p").environments(DEVELOPMENT)
                .deploy(DEVELOPMENT, s -> s.run("x"))
                .stage("audit", s -> s.as(AUDITOR).run("x"))
                .build());

        Problem p = Rejected.at(problems, "stage 'audit' > as(auditor)");
        assertThat(p.message()).isEqualTo("role 'auditor' is not declared; declared: [deploy-development].");
        assertThat(p.fix()).contains(".role(...)");
        assertThat(problems).hasSize(1);
    }

    @Test
    void build_asRoleDifferingFromDeclared_reported() {
        Role other = AUDITOR.toBuilder().assumes("arn:aws:iam::1:role/other").build();

        Problem p = Rejected.problem(() -> Pipeline.named("p").role(AUDITOR)
                .stage("audit", s -> s.as(AUDITOR).run("x"))
                .stage("audit-more", s -> s.as(other).run("x"))
                .build());

        assertThat(p.path()).isEqualTo("stage 'audit-more' > as(auditor)");
        assertThat(p.message()).isEqualTo("this role differs from the one declared under that name.");
        assertThat(p.fix()).isEqualTo("Use the same Role object in both places.");
    }

    @Test
    void build_asRoleOfAnotherEnvironment_reported() {
        Role productionRole = PRODUCTION.role().orElseThrow();

        List<Problem> problems = Rejected.problems(() -> HousingApiFixture.draft()
                .stage("hotfix", s -> s.needs("deploy-staging").in(STAGING).as(productionRole).run("x"))
                .build());

        Problem p = Rejected.at(problems, "stage 'hotfix' > as(deploy-production)");
        assertThat(p.message()).isEqualTo("the role deploys to environment [production], but this stage works in 'staging'.");
        assertThat(p.fix()).contains("move the stage into [production]");
    }

    @Test
    void build_asEnvironmentRoleOutsideAnyEnvironment_reported() {
        Role productionRole = PRODUCTION.role().orElseThrow();

        List<Problem> problems = Rejected.problems(() -> HousingApiFixture.draft()
                .stage("inspect", s -> s.as(productionRole).run("x"))
                .build());

        assertThat(Rejected.at(problems, "stage 'inspect' > as(deploy-production)").message())
                .isEqualTo("the role deploys to environment [production], but this stage works in no environment.");
    }

    @Test
    void build_asDeclaredRole_valid() {
        Pipeline p = Pipeline.named("p").role(AUDITOR).stage("audit", s -> s.as(AUDITOR).run("x")).build();

        assertThat(p.stage("audit").orElseThrow().roles()).containsExactly(AUDITOR);
    }

    @Test
    void build_environmentDeclaredTwice_reported() {
        Problem p = Rejected.problem(() -> Pipeline.named("p").environment(DEVELOPMENT).environment(DEVELOPMENT)
                .deploy(DEVELOPMENT, s -> s.run("x"))
                .build());

        assertThat(p.path()).isEqualTo("environment 'development'");
        assertThat(p.message()).isEqualTo("it is declared 2 times.");
        assertThat(p.fix()).isEqualTo("Declare it once.");
    }

    @Test
    void build_twoEnvironmentsWithOneName_reported() {
        Environment other = Environment.named("development").build();

        List<Problem> problems = Rejected.problems(() -> Pipeline.named("p").environments(DEVELOPMENT, other)
                .deploy(DEVELOPMENT, s -> s.run("x"))
                .build());

        Problem p = Rejected.at(problems, "environment 'development'");
        assertThat(p.message()).isEqualTo("2 different environments have this name.");
        assertThat(p.fix()).isEqualTo("Give each environment its own name.");
    }

    @Test
    void build_twoRolesWithOneName_reported() {
        Role impostor = Role.named("deploy-development").build();

        List<Problem> problems = Rejected.problems(() -> Pipeline.named("p").environments(DEVELOPMENT)
                .role(impostor)
                .deploy(DEVELOPMENT, s -> s.run("x"))
                .build());

        Problem p = Rejected.at(problems, "role 'deploy-development'");
        assertThat(p.message()).isEqualTo("2 different roles have this name.");
        assertThat(p.fix()).contains("use the same Role object everywhere");
    }

    @Test
    void build_promotedFromUndeclaredEnvironment_reported() {
        List<Problem> problems = Rejected.problems(() -> Pipeline.named("p").environments(STAGING)
                .deploy(STAGING, s -> s.run("x"))
                .build());

        Problem p = Rejected.at(problems, "environment 'staging' > promotedFrom(development)");
        assertThat(p.message()).isEqualTo("environment 'development' is not declared on the pipeline; declared: [staging].");
    }

    @Test
    void build_orbStepWithUndeclaredAlias_reportsStepAndHowToDeclare() {
        Problem p = Rejected.problem(() -> Pipeline.named("p")
                .circleci(c -> c.orb("node", "circleci/node@5"))
                .stage("deploy", s -> s.run("x").step(OrbStep.of("aws-cli/setup")))
                .build());

        assertThat(p.path()).isEqualTo("stage 'deploy' > step 2");
        assertThat(p.message()).isEqualTo("orb 'aws-cli' of orb step 'aws-cli/setup' is not declared; declared: [node].");
        assertThat(p.fix()).isEqualTo("Declare it with .circleci(c -> c.orb(\"aws-cli\", \"namespace/orb@version\")).");
    }

    @Test
    void build_orbDeclaredOnPipelineEnvironmentOrStage_valid() {
        Environment staging = Environment.named("staging").circleci(c -> c.orb("slack", "circleci/slack@4")).build();

        Pipeline p = Pipeline.named("p").environment(staging)
                .circleci(c -> c.orb("aws-cli", "circleci/aws-cli@5.1"))
                .stage("a", s -> s.step(OrbStep.of("aws-cli/setup")))
                .stage("b", s -> s.in(staging).step(OrbStep.of("slack/notify")))
                .stage("c", s -> s.circleci(c -> c.orb("node", "circleci/node@5")).step(OrbStep.of("node/install")))
                .build();

        assertThat(p.stages()).hasSize(3);
    }

    @Test
    void build_orbDeclaredOnAnotherStage_reported() {
        Problem p = Rejected.problem(() -> Pipeline.named("p")
                .stage("a", s -> s.circleci(c -> c.orb("node", "circleci/node@5")).step(OrbStep.of("node/install")))
                .stage("b", s -> s.step(OrbStep.of("node/install")))
                .build());

        assertThat(p.path()).isEqualTo("stage 'b' > step 1");
    }
}
