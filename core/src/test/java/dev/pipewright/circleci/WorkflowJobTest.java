package dev.pipewright.circleci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.pipewright.Environment;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkflowJobTest {

    private static final String FULL = """
            version: 2.1
            workflows:
              main:
                jobs:
                  - build
                  - hold:
                      type: approval
                      requires: [build]
                  - deploy:
                      name: deploy to production
                      requires:
                        - hold
                        - build: success
                        - lint: [success, failed]
                        - notify: terminal
                      context: [prod, aws]
                      filters:
                        branches: {only: main, ignore: [/wip-.*/]}
                        tags: {only: /^v.*/}
                      pre-steps: [checkout]
                      post-steps: [run: echo done]
                      serial-group: << pipeline.project.slug >>/deploy
                      override-with: platform/deploy
                      stage: production
                      replicas: 2
                  - test:
                      matrix:
                        parameters:
                          jdk: ["17", "21"]
                          os: [linux, macos]
                        exclude:
                          - {jdk: "17", os: macos}
                        alias: test-all
                      name: test-<< matrix.jdk >>-<< matrix.os >>
                      filters: pipeline.git.branch == "main" or pipeline.git.tag starts-with "v"
            """;

    @Test
    void parse_everyKey_isTyped() {
        List<WorkflowJob> jobs = Configs.read(FULL).workflows().get("main").jobs();

        assertThat(jobs.get(0)).isEqualTo(WorkflowJob.of("build"));
        assertThat(jobs.get(1).type()).contains(JobType.APPROVAL);
        WorkflowJob deploy = jobs.get(2);
        assertThat(deploy.job()).isEqualTo("deploy");
        assertThat(deploy.name()).contains("deploy to production");
        assertThat(deploy.requires()).containsExactly(Requirement.of("hold"), Requirement.of("build", JobStatus.SUCCESS),
                Requirement.of("lint", List.of(JobStatus.SUCCESS, JobStatus.FAILED)),
                Requirement.of("notify", JobStatus.TERMINAL));
        assertThat(deploy.requires().get(0).statuses()).containsExactly(JobStatus.SUCCESS);
        assertThat(deploy.requires().get(1).isStatusList()).isFalse();
        assertThat(deploy.requires().get(2).isStatusList()).isTrue();
        assertThat(deploy.context()).containsExactly("prod", "aws");
        PatternFilters filters = (PatternFilters) deploy.filters().orElseThrow();
        assertThat(filters.branches().orElseThrow().only()).containsExactly("main");
        assertThat(filters.branches().orElseThrow().ignore()).containsExactly("/wip-.*/");
        assertThat(filters.tags().orElseThrow().only()).containsExactly("/^v.*/");
        assertThat(deploy.preSteps()).containsExactly(CircleCiStep.checkout());
        assertThat(deploy.postSteps()).containsExactly(CircleCiStep.run("echo done"));
        assertThat(deploy.serialGroup()).contains("<< pipeline.project.slug >>/deploy");
        assertThat(deploy.overrideWith()).contains("platform/deploy");
        assertThat(deploy.arguments()).isEqualTo(Map.of("stage", "production", "replicas", 2L));
        assertThat(deploy.extra()).isEmpty();
        WorkflowJob test = jobs.get(3);
        Matrix matrix = test.matrix().orElseThrow();
        assertThat(matrix.parameters()).isEqualTo(Map.of("jdk", List.of("17", "21"), "os", List.of("linux", "macos")));
        assertThat(matrix.exclude()).containsExactly(Map.of("jdk", "17", "os", "macos"));
        assertThat(matrix.alias()).contains("test-all");
        assertThat(test.filters()).contains(
                Filters.expression("pipeline.git.branch == \"main\" or pipeline.git.tag starts-with \"v\""));
    }

    @Test
    void build_everyKey_writesWhatParses() {
        Workflow main = Workflow.builder()
                .addJob("build")
                .addJob(WorkflowJob.builder("hold").type(JobType.APPROVAL).addRequires("build").build())
                .addJob(WorkflowJob.builder("deploy")
                        .name("deploy to production")
                        .addRequires("hold")
                        .addRequirement(Requirement.of("build", JobStatus.SUCCESS))
                        .addRequirement(Requirement.of("lint", List.of(JobStatus.SUCCESS, JobStatus.FAILED)))
                        .addRequirement(Requirement.of("notify", JobStatus.TERMINAL))
                        .context(List.of("prod", "aws"))
                        .filters(PatternFilters.builder()
                                .branches(Patterns.builder().addOnly("main").addIgnore("/wip-.*/").build())
                                .tags(Patterns.only("/^v.*/")).build())
                        .addPreStep(CircleCiStep.checkout())
                        .addPostStep(CircleCiStep.run("echo done"))
                        .serialGroup("<< pipeline.project.slug >>/deploy")
                        .overrideWith("platform/deploy")
                        .putArgument("stage", "production")
                        .putArgument("replicas", 2)
                        .build())
                .addJob(WorkflowJob.builder("test")
                        .matrix(Matrix.builder()
                                .putParameter("jdk", List.of("17", "21"))
                                .putParameter("os", List.of("linux", "macos"))
                                .addExclude(Map.of("jdk", "17", "os", "macos"))
                                .alias("test-all").build())
                        .name("test-<< matrix.jdk >>-<< matrix.os >>")
                        .filters(Filters.expression("pipeline.git.branch == \"main\" or pipeline.git.tag starts-with \"v\""))
                        .build())
                .build();

        assertThat(CircleCiConfig.builder().version(Version.V2_1).putWorkflow("main", main).build())
                .isEqualTo(Configs.read(FULL));
    }

    @Test
    void parse_namesWithSpacesAndNullBodies_areInvocations() {
        List<WorkflowJob> jobs = Configs.workflow("""
                jobs:
                  - build and test:
                      # only a comment
                  - deploy:
                      requires: [build and test]
                """).jobs();

        assertThat(jobs.get(0)).isEqualTo(WorkflowJob.of("build and test"));
        assertThat(jobs.get(1).requires()).containsExactly(Requirement.of("build and test"));
    }

    @Test
    void parse_singleRequiresAndContext_areLists() {
        WorkflowJob deploy = Configs.workflow("jobs:\n  - deploy: {requires: build, context: prod}\n").jobs().get(0);

        assertThat(deploy.requires()).containsExactly(Requirement.of("build"));
        assertThat(deploy.context()).containsExactly("prod");
    }

    @Test
    void parse_oddRequires_isKeptInExtraWithAWarning_notAsAnArgument() {
        CircleCiConfig config = Configs.read("""
                workflows:
                  w:
                    jobs:
                      - deploy:
                          requires: [{build: done}]
                          stage: prod
                """);

        WorkflowJob deploy = config.workflows().get("w").jobs().get(0);
        assertThat(deploy.requires()).isEmpty();
        assertThat(deploy.extra()).containsOnlyKeys("requires");
        assertThat(deploy.arguments()).containsOnlyKeys("stage");
        assertThat(config.warnings()).singleElement().asString().contains("workflows.w.jobs[0].deploy.requires: expected");
    }

    @Test
    void build_argumentNamedLikeAKey_orAnUnknownExtraKey_isRejected() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> WorkflowJob.builder("deploy").putArgument("requires", List.of("build")).build())
                .withMessageContaining("set that key instead");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> WorkflowJob.builder("deploy").putExtra("stage", "prod").build())
                .withMessageContaining("putArgument");
    }

    @Test
    void requirement_emptyStatusList_isRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> Requirement.of("build", List.of()));
    }
    @Test
    void environment_addsItsContextsBeforeLaterOnesAndSetsItsFilter() {
        Environment staging = Environment.named("staging").branches("main", "/release-.*/")
                .circleci(c -> c.context("aws-staging").context("slack")).build();

        WorkflowJob job = WorkflowJob.builder("deploy").addContext("first").environment(staging)
                .addContext("last").build();

        assertThat(job.context()).containsExactly("first", "aws-staging", "slack", "last");
        assertThat(job.toData()).isEqualTo(Map.of("deploy", Map.of("context",
                List.of("first", "aws-staging", "slack", "last"),
                "filters", Map.of("branches", Map.of("only", List.of("main", "/release-.*/"))))));
    }

    @Test
    void environment_withoutFilterOrContexts_changesNothing() {
        WorkflowJob job = WorkflowJob.builder("deploy").environment(Environment.named("dev").build()).build();

        assertThat(job).isEqualTo(WorkflowJob.of("deploy"));
    }

    @Test
    void environment_withTagsAndIgnoredBranches_writesBothKinds() {
        Environment production = Environment.named("production")
                .filter(f -> f.ignoreBranches("/.*/").onlyTags("/^v.*/")).build();

        WorkflowJob job = WorkflowJob.builder("deploy").environment(production).build();

        assertThat(job.toData()).isEqualTo(Map.of("deploy", Map.of("filters", Map.of(
                "branches", Map.of("ignore", List.of("/.*/")), "tags", Map.of("only", List.of("/^v.*/"))))));
    }

    @Test
    void approval_isNamedAfterTheGateAndFilteredAsTheEnvironment() {
        Environment production = Environment.named("production").branches("main")
                .approval(a -> a.name("permit-production-release")).circleci(c -> c.context("aws-production"))
                .build();

        WorkflowJob job = WorkflowJob.approval(production).addRequires("deploy-staging").build();

        assertThat(job.toData()).isEqualTo(Map.of("permit-production-release", Map.of("type", "approval",
                "requires", List.of("deploy-staging"), "filters", Map.of("branches", Map.of("only", List.of("main"))))));
    }

    @Test
    void approval_ofAnEnvironmentWithoutOne_saysHowToAddIt() {
        Environment staging = Environment.named("staging").build();

        assertThatIllegalArgumentException().isThrownBy(() -> WorkflowJob.approval(staging))
                .withMessage("environment 'staging' needs no approval, so it has no approval job; add .approval(...)"
                        + " to it");
    }
}
