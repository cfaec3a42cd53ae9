package dev.pipewright;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StageTest {
    private static final String FUNCTION = "arn:aws:lambda:eu-west-2:1:function:housing-api-production";
    private static final Permission UPDATE = Permission.of("lambda:UpdateFunctionCode", FUNCTION);
    private static final Permission PUT = Permission.of("s3:PutObject", "arn:aws:s3:::definitions/*");
    private static final Role DEPLOYER = Role.named("deployer").grant("lambda:*", FUNCTION).build();
    private static final Environment PRODUCTION = Environment.named("production").branches("master")
            .putVariable("STAGE", "production").putVariable("REGION", "eu-west-2").secrets("SLACK_WEBHOOK_URL")
            .role(DEPLOYER).build();

    /** A step type written by a user, possibly badly. */
    private record Custom(String type, String name, Map<String, String> parameters) implements Step {
    }

    @Test
    void build_everyDetail_kept() {
        Gate approval = Gate.manualApproval();
        Stage stage = Stage.named("deploy").description("deploys").needs("test", "lint").in(PRODUCTION).as(DEPLOYER)
                .gate(approval).run("./deploy.sh").java("smoke", ctx -> { }).branches("master").tags("/v.*/")
                .putVariable("DEBUG", "1").secrets("TOKEN").timeout(Duration.ofMinutes(30))
                .retry(3, Duration.ofSeconds(10)).circleci(c -> c.resourceClass("large")).build();

        assertThat(stage.name()).isEqualTo("deploy");
        assertThat(stage.description()).contains("deploys");
        assertThat(stage.needs()).containsExactly("test", "lint");
        assertThat(stage.environment()).contains(PRODUCTION);
        assertThat(stage.roles()).containsExactly(DEPLOYER);
        assertThat(stage.gates()).containsExactly(approval);
        assertThat(stage.steps()).extracting(Step::type).containsExactly("shell", "java");
        assertThat(stage.filter()).isEqualTo(Filter.builder().onlyBranches("master").onlyTags("/v.*/").build());
        assertThat(stage.variables()).containsExactly(Map.entry("DEBUG", "1"));
        assertThat(stage.secrets()).containsExactly("TOKEN");
        assertThat(stage.timeout()).contains(Duration.ofMinutes(30));
        assertThat(stage.retry()).contains(Retry.of(3, Duration.ofSeconds(10)));
        assertThat(stage.circleci().resourceClass()).contains("large");
        assertThat(stage.hasManualApproval()).isTrue();
        assertThat(stage).hasToString("stage 'deploy'");
    }

    @Test
    void onFailure_keptInToBuilderAndEquality_badStepsReportedWithTheirPath() {
        Stage stage = Stage.named("deploy").run("./deploy.sh").onFailure(ShellStep.of("./rollback.sh")).build();

        assertThat(stage.onFailure()).containsExactly(ShellStep.of("./rollback.sh"));
        assertThat(stage.toBuilder().build()).isEqualTo(stage).hasSameHashCodeAs(stage);
        assertThat(stage).isNotEqualTo(stage.toBuilder().onFailure().build());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Stage.named("deploy").run("x")
                        .onFailure(new Custom("Bad Type", "rollback", Map.of())).build())
                .isInstanceOf(InvalidPipelineException.class)
                .hasMessageContaining("onFailure step 1: step type id 'Bad Type'");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Stage.named("deploy").run("x")
                        .onFailure((Step) null).build())
                .isInstanceOf(InvalidPipelineException.class)
                .hasMessageContaining("onFailure");
    }

    @Test
    void effectiveVariables_environmentOverlaidByStage() {
        Stage stage = Stage.named("deploy").in(PRODUCTION).putVariable("REGION", "eu-west-1")
                .putVariable("DEBUG", "1").run("./deploy.sh").build();

        assertThat(stage.effectiveVariables()).containsExactly(Map.entry("STAGE", "production"),
                Map.entry("REGION", "eu-west-1"), Map.entry("DEBUG", "1"));
        assertThat(stage.variables()).containsOnlyKeys("REGION", "DEBUG");
        assertThat(Stage.named("t").putVariable("A", "1").run("x").build().effectiveVariables())
                .containsExactly(Map.entry("A", "1"));
    }

    @Test
    void effectiveSecrets_environmentsThenStagesWithoutRepeats() {
        Stage stage = Stage.named("deploy").in(PRODUCTION).secrets("TOKEN", "SLACK_WEBHOOK_URL").run("x").build();

        assertThat(stage.effectiveSecrets()).containsExactly("SLACK_WEBHOOK_URL", "TOKEN");
        assertThat(stage.secrets()).containsExactly("TOKEN", "SLACK_WEBHOOK_URL");
    }

    @Test
    void filters_ownAndEnvironments() {
        Stage in = Stage.named("deploy").in(PRODUCTION).tags("/v.*/").run("x").build();
        Stage alone = Stage.named("test").run("x").build();

        assertThat(in.filters()).containsExactly(in.filter(), PRODUCTION.filter());
        assertThat(alone.filters()).containsExactly(Filter.allBranches());
    }

    @Test
    void permissions_allStepsWithoutRepeats() {
        Stage stage = Stage.named("deploy")
                .step(ShellStep.builder("./deploy.sh").permissions(UPDATE).build())
                .step(ShellStep.builder("./publish.sh").permissions(PUT, UPDATE).build())
                .step(JavaStep.of("smoke", ctx -> { }, List.of(UPDATE)))
                .build();

        assertThat(stage.permissions()).containsExactly(UPDATE, PUT);
    }

    @Test
    void uses_roleGrantingAStepsNeed_true() {
        Stage deploy = Stage.named("deploy").step(ShellStep.builder("./deploy.sh").permissions(UPDATE).build())
                .build();
        Stage publish = Stage.named("publish").step(ShellStep.builder("./publish.sh").permissions(PUT).build())
                .build();
        Stage test = Stage.named("test").run("make").build();

        assertThat(deploy.uses(DEPLOYER)).isTrue();
        assertThat(publish.uses(DEPLOYER)).isFalse();
        assertThat(test.uses(DEPLOYER)).as("a step that declares nothing needs nothing").isFalse();
    }

    @Test
    void hasManualApproval_onlyOwnManualGatesCount() {
        Stage checked = Stage.named("deploy").gate(Gate.check("ok", ctx -> CheckResult.pass("ok"))).run("x").build();

        assertThat(checked.hasManualApproval()).isFalse();
        assertThat(Stage.named("deploy").run("x").build().hasManualApproval()).isFalse();
    }

    @Test
    void build_withoutSteps_reportsSteps() {
        InvalidPipelineException e = Rejected.by(() -> Stage.named("test").build());

        assertThat(e.getMessage()).isEqualTo("Stage 'test' is invalid (1 problem):\n"
                + " 1. steps: the stage has no steps. Add one with .run(...), .java(...) or .step(...).");
    }

    @Test
    void build_withoutStepsAndAnotherProblem_reportsBoth() {
        List<Problem> problems = Rejected.problems(() -> Stage.named("deploy").needs("test")
                .timeout(Duration.ZERO).build());

        assertThat(problems).extracting(Problem::path).containsExactly("timeout", "steps");
    }

    @Test
    void build_onlyRejectedSteps_doesNotAlsoReportNoSteps() {
        assertThat(Rejected.problems(() -> Stage.named("deploy").run(" ").build())).extracting(Problem::path)
                .containsExactly("step 1 > command");
        assertThat(Rejected.problems(() -> Stage.named("deploy").step(null).build())).extracting(Problem::path)
                .containsExactly("steps");
    }

    @Test
    void build_invalidName_reportsNameRule() {
        Problem p = Rejected.problem(() -> Stage.named("unit tests").run("make").build());

        assertThat(p.path()).isEqualTo("name");
        assertThat(p.message()).isEqualTo("'unit tests' is not a valid name.");
        assertThat(Rejected.problem(() -> Stage.named("x".repeat(129)).run("make").build()).path())
                .isEqualTo("name");
        assertThat(Stage.named("x".repeat(128)).run("make").build().name()).hasSize(128);
    }

    @Test
    void needs_sameStageTwice_reported() {
        Problem p = Rejected.problem(() -> Stage.named("deploy").needs("test", "test").run("x").build());

        assertThat(p.path()).isEqualTo("needs");
        assertThat(p.message()).isEqualTo("'test' is named twice.");
    }

    @Test
    void needs_byHandle_usesTheirNamesAndReplaces() {
        Stage test = Stage.named("test").run("make").build();
        Stage lint = Stage.named("lint").run("make lint").build();

        assertThat(Stage.named("deploy").needs("other").needs(test, lint).run("x").build().needs())
                .containsExactly("test", "lint");
    }

    @Test
    void as_sameRoleNameTwice_reported() {
        Problem p = Rejected.problem(() -> Stage.named("deploy").as(DEPLOYER)
                .as(DEPLOYER.toBuilder().description("other").build()).run("x").build());

        assertThat(p.path()).isEqualTo("as(deployer)");
        assertThat(p.message()).isEqualTo("the stage already acts as a role of that name.");
    }

    @Test
    void gate_sameNameTwice_reportedWithRenameFix() {
        Problem p = Rejected.problem(() -> Stage.named("deploy").gate(Gate.manualApproval())
                .gate(Gate.manualApproval(a -> a.approvers("leads"))).run("x").build());

        assertThat(p.path()).isEqualTo("gate(approval)");
        assertThat(p.message()).isEqualTo("the stage already has a gate of that name.");
        assertThat(p.fix()).contains("a.name(");
    }

    @Test
    void timeoutAndRetry_outOfBounds_reported() {
        List<Problem> problems = Rejected.problems(() -> Stage.named("deploy").timeout(Duration.ZERO)
                .retry(1, Duration.ofSeconds(1)).retry(2, Duration.ofHours(2)).retry(2, null).run("x").build());

        assertThat(problems).extracting(Problem::path).containsExactly("timeout", "retry", "retry", "retry");
        assertThat(problems.get(0).message()).isEqualTo("must be positive but was PT0S.");
        assertThat(problems.get(1).message()).isEqualTo("attempts must be between 2 and 10 but was 1.");
        assertThat(problems.get(2).message()).isEqualTo("backoff must be positive and at most an hour but was PT2H.");
        assertThat(problems.get(3).message()).contains("backoff");
        assertThat(problems.get(1).fix()).contains("2 to 10 attempts");
    }

    @Test
    void build_variableAlsoSecret_reportsSecrets() {
        Problem p = Rejected.problem(() -> Stage.named("deploy").putVariable("TOKEN", "x").secrets("TOKEN")
                .run("x").build());

        assertThat(p.path()).isEqualTo("secrets");
        assertThat(p.message()).isEqualTo("'TOKEN' is both a variable and a secret.");
    }

    @Test
    void build_stageVariableIsEnvironmentSecret_reportsVariables() {
        Problem p = Rejected.problem(() -> Stage.named("deploy").in(PRODUCTION)
                .putVariable("SLACK_WEBHOOK_URL", "https://example.org").run("x").build());

        assertThat(p.path()).isEqualTo("variables");
        assertThat(p.message()).isEqualTo(
                "'SLACK_WEBHOOK_URL' is a secret of environment 'production' and a variable of the stage.");
    }

    @Test
    void build_stageSecretIsEnvironmentVariable_reportsSecrets() {
        Problem p = Rejected.problem(() -> Stage.named("deploy").secrets("STAGE").in(PRODUCTION).run("x").build());

        assertThat(p.path()).isEqualTo("secrets");
        assertThat(p.message()).isEqualTo("'STAGE' is a variable of environment 'production' and a secret of the stage.");
    }

    @Test
    void build_invalidVariableNames_reported() {
        List<Problem> problems = Rejected.problems(() -> Stage.named("deploy").putVariable("CIRCLE_X", "1")
                .secrets("A B").run("x").build());

        assertThat(problems).extracting(Problem::path).containsExactly("variables", "secrets");
    }

    @Test
    void build_invalidFilterAndCircleCi_reportedWithTheirPaths() {
        List<Problem> problems = Rejected.problems(() -> Stage.named("deploy").branches("/(/")
                .circleci(c -> c.orb("aws", "aws-cli")).run("x").build());

        assertThat(problems).extracting(Problem::path).containsExactly("filter > branches.only", "circleci > orbs.aws");
    }

    @Test
    void run_invalidSteps_numberedByTheirPlaceInTheStage() {
        List<Problem> problems = Rejected.problems(() -> Stage.named("deploy").run("make").run(" ")
                .run("make", r -> r.timeout(Duration.ZERO)).java("smoke test", ctx -> { }).build());

        assertThat(problems).extracting(Problem::path)
                .containsExactly("step 2 > command", "step 3 > timeout", "step 4 > name");
    }

    @Test
    void step_customStepWithBadTypeOrName_reported() {
        List<Problem> problems = Rejected.problems(() -> Stage.named("migrate")
                .step(new Custom("Acme.Migrate", "migrate", Map.of()))
                .step(new Custom("acme.migrate", " ", Map.of()))
                .step(new Custom("acme.migrate", "m", null)).build());

        assertThat(problems).extracting(Problem::path).containsExactly("step 1", "step 2", "step 3");
        assertThat(problems.get(0).message()).startsWith("step type id 'Acme.Migrate' of ");
        assertThat(problems.get(0).fix()).contains("acme.migrate");
        assertThat(problems.get(1).message()).isEqualTo("the step of type 'acme.migrate' has no name.");
        assertThat(problems.get(2).message()).contains("null parameters");
    }

    @Test
    void steps_replacesEarlierSteps() {
        ShellStep make = ShellStep.of("make");

        assertThat(Stage.named("t").run("a").steps(make).build().steps()).containsExactly(make);
    }

    @Test
    void build_nulls_reportedWithPathsNotThrown() {
        List<Problem> problems = Rejected.problems(() -> Stage.named("deploy").description(null)
                .needs((String) null).in(null).as(null).roles((Role[]) null).gate(null).step(null)
                .steps((Step[]) null).run(null).run("make", null).java(null, null).branches((String) null)
                .filter(null).putVariable(null, "x").secrets((String) null).timeout(null).circleci(null).build());

        assertThat(problems).extracting(Problem::path).containsExactly("description", "needs", "in", "as", "roles",
                "gates", "steps", "steps", "step 2 > command", "run", "step 4 > name", "step 4 > action", "filter",
                "variables", "secrets", "timeout", "circleci", "filter > branches.only");
        assertThat(Rejected.problem(() -> Stage.named(null).run("make").build()).path()).isEqualTo("name");
    }

    @Test
    void toBuilder_build_equalsOriginal() {
        Stage stage = Stage.named("deploy").description("d").needs("test").in(PRODUCTION).as(DEPLOYER)
                .gate(Gate.manualApproval()).run("./deploy.sh", r -> r.permissions(UPDATE)).branches("master")
                .putVariable("DEBUG", "1").secrets("TOKEN").timeout(Duration.ofMinutes(5))
                .retry(2, Duration.ofSeconds(1)).circleci(c -> c.context("c")).build();

        assertThat(stage.toBuilder().build()).isEqualTo(stage).hasSameHashCodeAs(stage);
        assertThat(stage.toBuilder().needs("lint").build()).isNotEqualTo(stage);
    }
}
