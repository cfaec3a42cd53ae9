package dev.pipewright;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One exception lists every problem; a user's mistake, nulls included, never escapes as another exception. */
class InvalidPipelineExceptionTest {

    @Test
    void build_unrelatedProblems_allReportedNumberedInOneException() {
        Environment prod = Environment.named("prod").build();

        InvalidPipelineException e = Rejected.by(() -> Pipeline.named("housing api")
                .circleci(c -> c.orb("aws-cli", "circleci/aws-cli"))
                .stage("test", s -> s.run("./mvnw -B verify"))
                .stage("deploy", s -> s.needs("tset").in(prod).run("./deploy.sh"))
                .stage("a", s -> s.needs("b").run("x"))
                .stage("b", s -> s.needs("a").run("x"))
                .stage("lint", s -> s.timeout(Duration.ZERO).run("make lint"))
                .stage("lint", s -> s.run("make lint"))
                .build());

        assertThat(e.subject()).isEqualTo("Pipeline 'housing api'");
        assertThat(e.problems()).extracting(Problem::path).containsExactly(
                "name",
                "circleci > orbs.aws-cli",
                "stage 'lint' > timeout",
                "stage 'lint'",
                "stage 'deploy' > needs",
                "stage 'deploy' > in(prod)",
                "stage 'a' > needs");
        assertThat(e.getMessage()).startsWith("Pipeline 'housing api' is invalid (7 problems):\n"
                + " 1. name: 'housing api' is not a valid name. ")
                .contains("\n 2. circleci > orbs.aws-cli: 'circleci/aws-cli' is not an orb reference. ")
                .contains("\n 5. stage 'deploy' > needs: no stage is called 'tset' (did you mean 'test'?)")
                .contains("\n 7. stage 'a' > needs: cycle a -> b -> a. Remove one of these needs.");
    }

    @Test
    void getMessage_oneProblem_singular() {
        InvalidPipelineException e = new InvalidPipelineException("Stage 'x'",
                List.of(new Problem("steps", "the stage has no steps.", "")));

        assertThat(e.getMessage()).isEqualTo("Stage 'x' is invalid (1 problem):\n 1. steps: the stage has no steps.");
        assertThat(e).isInstanceOf(PipewrightException.class);
    }

    @Test
    void getMessage_tenOrMoreProblems_numbersAligned() {
        List<Problem> many = java.util.stream.IntStream.rangeClosed(1, 10)
                .mapToObj(i -> new Problem("p" + i, "m.", "f.")).toList();

        String message = new InvalidPipelineException("Pipeline 'x'", many).getMessage();

        assertThat(message).contains("\n 9. p9: m. f.\n10. p10: m. f.");
    }

    @Test
    void problems_areAnUnmodifiableCopy() {
        List<Problem> given = new java.util.ArrayList<>(List.of(new Problem("", "m.", "")));
        InvalidPipelineException e = new InvalidPipelineException("X", given);
        given.clear();

        assertThat(e.problems()).hasSize(1);
        assertThat(e.problems()).isUnmodifiable();
    }

    @Test
    void problem_toString_pathMessageAndFix() {
        assertThat(new Problem("stage 'a' > needs", "cycle a -> a.", "Remove it."))
                .hasToString("stage 'a' > needs: cycle a -> a. Remove it.");
        assertThat(new Problem("", "m.", "")).hasToString("m.");
        assertThatNullPointerException().isThrownBy(() -> new Problem(null, "m", "f")).withMessage("path");
    }

    @Test
    void needs_nullStageName_reportedWithPath() {
        Problem p = Rejected.problem(() -> Pipeline.named("p").stage("deploy", s -> s.needs((String) null).run("x"))
                .build());

        assertThat(p.path()).isEqualTo("stage 'deploy' > needs");
        assertThat(p.message()).isEqualTo("null element given.");
    }

    @Test
    void in_null_reportedWithPath() {
        Problem p = Rejected.problem(() -> Pipeline.named("p").stage("deploy", s -> s.in(null).run("x")).build());

        assertThat(p.path()).isEqualTo("stage 'deploy' > in");
        assertThat(p.message()).isEqualTo("null given.");
        assertThat(p.fix()).isEqualTo("Pass a value.");
    }

    @Test
    void as_null_reportedWithPath() {
        Problem p = Rejected.problem(() -> Pipeline.named("p").stage("deploy", s -> s.as(null).run("x")).build());

        assertThat(p.path()).isEqualTo("stage 'deploy' > as");
    }

    @Test
    void run_null_reportedWithPath() {
        Problem p = Rejected.problem(() -> Pipeline.named("p").stage("deploy", s -> s.run(null)).build());

        assertThat(p.path()).isEqualTo("stage 'deploy' > step 1 > command");
        assertThat(p.message()).isEqualTo("the command is null.");
    }

    @Test
    void named_nullPipelineName_reportedWithPath() {
        InvalidPipelineException e = Rejected.by(() -> Pipeline.named(null).stage("test", s -> s.run("x")).build());

        assertThat(e.subject()).isEqualTo("Pipeline 'null'");
        assertThat(e.problems()).singleElement().satisfies(p -> assertThat(p.path()).isEqualTo("name"));
    }

    @Test
    void stage_nullNameOrConfiguration_reportedWithPath() {
        List<Problem> problems = Rejected.problems(() -> Pipeline.named("p")
                .stage(null, s -> s.run("x"))
                .stage("test", null)
                .build());

        assertThat(problems).extracting(Problem::path, Problem::message).containsExactly(
                org.assertj.core.groups.Tuple.tuple("stage 'null' > name", "null given."),
                org.assertj.core.groups.Tuple.tuple("stage 'test'", "no stage configuration was given."));
    }

    @Test
    void environments_nullElement_reportedWithPath() {
        Problem p = Rejected.problem(() -> Pipeline.named("p").environments((Environment) null)
                .stage("test", s -> s.run("x")).build());

        assertThat(p.path()).isEqualTo("environments");
        assertThat(p.message()).isEqualTo("null element given.");
    }

    @Test
    void pipelineDsl_otherNulls_reportedWithPaths() {
        List<Problem> problems = Rejected.problems(() -> Pipeline.named("p").description(null)
                .environment(null).environments((Environment[]) null).role(null).trigger(null).circleci(null)
                .stage("test", s -> s.run("x"))
                .build());

        assertThat(problems).extracting(Problem::path).containsExactly("description", "environments", "environments",
                "roles", "triggers", "circleci");
    }

    @Test
    void deploy_nullEnvironment_reportedUnderTheStage() {
        Problem p = Rejected.problem(() -> Pipeline.named("p").deploy((Environment) null, s -> s.run("x")).build());

        assertThat(p.path()).isEqualTo("stage 'deploy-null' > deploy");
        assertThat(p.message()).isEqualTo("no environment was given.");
    }

    @Test
    void environment_nullName_reportedWithPath() {
        InvalidPipelineException e = Rejected.by(() -> Environment.named(null).build());

        assertThat(e.subject()).isEqualTo("Environment 'null'");
        assertThat(e.problems()).extracting(Problem::path).containsExactly("name");
    }

    @Test
    void stageLambda_nestedInvalidGate_reportedUnderTheStage() {
        InvalidPipelineException e = Rejected.by(() -> Pipeline.named("p")
                .stage("test", s -> s.run("x"))
                .stage("deploy", s -> s.gate(Gate.manualApproval(a -> a.timeout(Duration.ZERO))).run("x"))
                .build());

        assertThat(e.subject()).isEqualTo("Pipeline 'p'");
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("stage 'deploy' > gate 'approval' > timeout");
            assertThat(p.message()).isEqualTo("must be positive but was PT0S.");
        });
    }

    @Test
    void stageLambda_nestedInvalidValues_reportedUnderTheStageWithTheirSubject() {
        List<Problem> problems = Rejected.problems(() -> Pipeline.named("p")
                .stage("deploy", s -> s.step(ShellStep.of(" ")))
                .stage("release", s -> s.in(Environment.named("live").protect().approval().build()).run("x"))
                .build());

        assertThat(problems).extracting(Problem::path).containsExactly(
                "stage 'deploy' > shell step ' ' > command",
                "stage 'release' > environment 'live' > protect");
    }

    @Test
    void build_stageNeedingAStageWithProblems_notReportedAsUnknown() {
        Problem p = Rejected.problem(() -> Pipeline.named("p")
                .stage("test", s -> s.timeout(Duration.ZERO).run("x"))
                .stage("deploy", s -> s.needs("test").run("x"))
                .build());

        assertThat(p.path()).isEqualTo("stage 'test' > timeout");
    }

    @Test
    void build_invalidStage_otherStagesStillJudgedForReach() {
        List<Problem> problems = Rejected.problems(() -> Pipeline.named("p")
                .stage("lint", s -> s.timeout(Duration.ZERO).run("x"))
                .stage("build", s -> s.branches("main").run("x"))
                .stage("release", s -> s.needs("build").branches("release").run("x"))
                .build());

        assertThat(problems).extracting(Problem::path).containsExactly("stage 'lint' > timeout", "stage 'release'");
        assertThat(problems.get(1).message()).startsWith("the stage can never run");
    }

    @Test
    void stageLambda_recordPreconditionFails_reportedUnderTheStage() {
        Problem p = Rejected.problem(() -> Pipeline.named("p")
                .stage("deploy", s -> s.run("x", r -> r.permissions(Permission.of(" ", "*"))))
                .build());

        assertThat(p.path()).isEqualTo("stage 'deploy'");
        assertThat(p.message()).isEqualTo("a permission's action must not be blank.");
    }

    @Test
    void stageLambda_nestedCircleCiOptions_keepsTheirSubject() {
        Problem p = Rejected.problem(() -> Pipeline.named("p")
                .stage("deploy", s -> s.run("x").circleci(c -> c.context("ok")).step(ShellStep.of("y")))
                .stage("other", s -> s.run("x").circleci(c -> {
                    throw new InvalidPipelineException("CircleCI options",
                            List.of(new Problem("context", "bad.", "")));
                }))
                .build());

        assertThat(p.path()).isEqualTo("stage 'other' > CircleCI options > context");
    }
}
