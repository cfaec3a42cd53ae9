package dev.pipewright.circleci;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipewright.Gate;
import dev.pipewright.Pipeline;
import dev.pipewright.Ref;
import dev.pipewright.Stage;
import dev.pipewright.Step;
import dev.pipewright.spi.Facts;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The translation of a CircleCI workflow into a pipeline, without running it. */
class LocalWorkflowTest {
    private static final Facts MAIN = Facts.builder().ref(Ref.branch("main")).commit("0123456789abcdef").build();

    private static LocalWorkflow translate(String yaml) {
        return LocalWorkflow.of(CircleCiConfig.parse(yaml, "config.yml"), null, MAIN);
    }

    private static Pipeline pipeline(String yaml) {
        LocalWorkflow local = translate(yaml);
        assertThat(local.problems()).as("problems").isEmpty();
        return local.pipeline().orElseThrow();
    }

    private static List<String> problems(String yaml) {
        return translate(yaml).problems().stream().map(ConfigProblem::toString).toList();
    }

    private static List<Map<String, String>> parameters(Stage stage) {
        return stage.steps().stream().map(Step::parameters).toList();
    }

    @Test
    void of_twoJobsWithRequires_makesTwoStagesInOrder() {
        Pipeline p = pipeline("""
                version: 2.1
                jobs:
                  build:
                    docker: [{image: cimg/openjdk:21.0}]
                    steps: [checkout, {run: ./mvnw -B verify}]
                  deploy:
                    docker: [{image: cimg/base:current}]
                    steps:
                      - run: {name: Deploy, command: ./deploy.sh}
                workflows:
                  main:
                    jobs: [build, {deploy: {requires: [build]}}]
                """);

        assertThat(p.name()).isEqualTo("main");
        assertThat(p.stages()).extracting(Stage::name).containsExactly("build", "deploy");
        assertThat(p.stage("deploy").orElseThrow().needs()).containsExactly("build");
        Stage build = p.stage("build").orElseThrow();
        assertThat(build.steps()).extracting(Step::type).containsExactly("checkout", "circleci.run");
        assertThat(build.steps().get(0).parameters()).containsExactly(Map.entry("path", "."));
        assertThat(build.steps().get(1).parameters()).containsEntry("command", "./mvnw -B verify");
        assertThat(p.stage("deploy").orElseThrow().steps().get(0).name()).isEqualTo("Deploy");
    }

    @Test
    void of_dockerExecutor_notesOneLinePerJob() {
        LocalWorkflow local = translate("""
                version: 2.1
                jobs:
                  build:
                    docker: [{image: cimg/openjdk:21.0}, {image: postgres:16}]
                    steps: [{run: make}]
                workflows:
                  w: {jobs: [build]}
                """);

        assertThat(local.notes()).containsExactly(
                "job 'build': docker image cimg/openjdk:21.0 and 1 service container are not used; the steps run on this host.");
    }

    @Test
    void of_branchAndTagFilters_becomeStageFilters() {
        Pipeline p = pipeline("""
                version: 2.1
                jobs:
                  a: {docker: [{image: x}], steps: [{run: a}]}
                workflows:
                  w:
                    jobs:
                      - a:
                          filters:
                            branches: {only: [main, /release-.*/], ignore: release-old}
                            tags: {only: /^v.*/}
                """);

        var filter = p.stage("a").orElseThrow().filter();
        assertThat(filter.accepts(Ref.branch("main"))).isTrue();
        assertThat(filter.accepts(Ref.branch("release-1"))).isTrue();
        assertThat(filter.accepts(Ref.branch("release-old"))).isFalse();
        assertThat(filter.accepts(Ref.branch("feature"))).isFalse();
        assertThat(filter.accepts(Ref.tag("v1.0"))).isTrue();
        assertThat(filter.accepts(Ref.tag("x1.0"))).isFalse();
    }

    @Test
    void of_approvalJob_becomesAGateOnTheJobsThatRequireIt() {
        Pipeline p = pipeline("""
                version: 2.1
                jobs:
                  build: {docker: [{image: x}], steps: [{run: make}]}
                  deploy: {docker: [{image: x}], steps: [{run: ./deploy}]}
                workflows:
                  w:
                    jobs:
                      - build
                      - hold-production:
                          type: approval
                          requires: [build]
                          filters: {branches: {only: main}}
                      - deploy:
                          requires: [hold-production]
                """);

        assertThat(p.stages()).extracting(Stage::name).containsExactly("build", "deploy");
        Stage deploy = p.stage("deploy").orElseThrow();
        assertThat(deploy.needs()).containsExactly("build");
        assertThat(deploy.gates()).extracting(Gate::name).containsExactly("hold-production");
        assertThat(deploy.gates().get(0).isManualApproval()).isTrue();
        assertThat(deploy.filter().accepts(Ref.branch("main"))).isTrue();
        assertThat(deploy.filter().accepts(Ref.branch("dev"))).isFalse();
    }

    @Test
    void of_matrix_makesOneStagePerCombinationNamedAsCircleCiNamesThem() {
        Pipeline p = pipeline("""
                version: 2.1
                jobs:
                  test:
                    parameters:
                      version: {type: string}
                      os: {type: string}
                    docker: [{image: x}]
                    steps: [{run: "echo << parameters.os >> << parameters.version >>"}]
                  report: {docker: [{image: x}], steps: [{run: report}]}
                workflows:
                  w:
                    jobs:
                      - test:
                          matrix:
                            parameters:
                              version: ["17", "21"]
                              os: [linux, mac]
                            exclude:
                              - {version: "17", os: mac}
                      - report:
                          requires: [test]
                """);

        assertThat(p.stages()).extracting(Stage::name)
                .containsExactlyInAnyOrder("test-linux-17", "test-linux-21", "test-mac-21", "report");
        assertThat(p.stage("report").orElseThrow().needs())
                .containsExactlyInAnyOrder("test-linux-17", "test-linux-21", "test-mac-21");
        assertThat(p.stage("test-mac-21").orElseThrow().steps().get(0).parameters()).containsEntry("command", "echo mac 21");
    }

    @Test
    void of_matrixWithNameAndDottedValues_substitutesAndNamesStagesSafely() {
        LocalWorkflow local = translate("""
                version: 2.1
                jobs:
                  test:
                    parameters: {python: {type: string}}
                    docker: [{image: x}]
                    steps: [{run: "python<< parameters.python >> -V"}]
                workflows:
                  w:
                    jobs:
                      - test:
                          name: py<< matrix.python >>
                          matrix: {parameters: {python: ["3.11", "3.12"]}}
                """);

        assertThat(local.problems()).isEmpty();
        assertThat(local.pipeline().orElseThrow().stages()).extracting(Stage::name).containsExactly("py3-11", "py3-12");
        assertThat(local.notes()).contains("job 'py3.11' runs as stage 'py3-11': stage names hold letters, digits, '-' and '_'.");
    }

    @Test
    void of_parametersCommandsAndStepsParameters_areSubstituted() {
        Pipeline p = pipeline("""
                version: 2.1
                parameters:
                  greeting: {type: string, default: hello}
                commands:
                  greet:
                    parameters:
                      who: {type: string, default: world}
                      loud: {type: boolean, default: false}
                      then: {type: steps, default: []}
                    steps:
                      - run: echo << pipeline.parameters.greeting >> << parameters.who >>
                      - when:
                          condition: << parameters.loud >>
                          steps: [{run: echo LOUD}]
                      - steps: << parameters.then >>
                executors:
                  small:
                    parameters: {tag: {type: string, default: "1"}}
                    docker: [{image: "cimg/base:<< parameters.tag >>"}]
                    working_directory: ~/app
                    environment: {FROM_EXECUTOR: "<< parameters.tag >>"}
                jobs:
                  build:
                    parameters:
                      person: {type: string}
                      count: {type: integer, default: 2}
                    executor: {name: small, tag: "2"}
                    steps:
                      - greet: {who: << parameters.person >>}
                      - greet:
                          loud: true
                          then:
                            - run: echo count << parameters.count >> on << pipeline.git.branch >>
                workflows:
                  w:
                    jobs: [{build: {name: team, person: team}}]
                """);

        Stage build = p.stage("team").orElseThrow();
        assertThat(build.steps()).extracting(s -> s.parameters().get("command")).containsExactly(
                "echo hello team", "echo hello world", "echo LOUD", "echo count 2 on main");
        assertThat(build.variables()).containsEntry("FROM_EXECUTOR", "2");
    }

    @Test
    void of_jobNamedByNameKey_usesItsArgumentsAndItsName() {
        Pipeline p = pipeline("""
                version: 2.1
                jobs:
                  deploy:
                    parameters: {env: {type: enum, enum: [dev, prod]}}
                    docker: [{image: x}]
                    steps: [{run: ./deploy << parameters.env >>}]
                workflows:
                  w:
                    jobs:
                      - deploy: {name: deploy-dev, env: dev}
                      - deploy: {name: deploy-prod, env: prod, requires: [deploy-dev]}
                """);

        assertThat(p.stage("deploy-prod").orElseThrow().needs()).containsExactly("deploy-dev");
        assertThat(p.stage("deploy-prod").orElseThrow().steps().get(0).parameters()).containsEntry("command",
                "./deploy prod");
    }

    @Test
    void of_orbStep_becomesAStepOfItsOwnTypeWithNoHandler() {
        Pipeline p = pipeline("""
                version: 2.1
                orbs:
                  node: circleci/node@5.2.0
                jobs:
                  build:
                    docker: [{image: x}]
                    steps:
                      - node/install-packages: {pkg-manager: npm}
                      - setup_remote_docker
                      - add_ssh_keys: {fingerprints: ["aa:bb"]}
                workflows:
                  w: {jobs: [build]}
                """);

        List<Step> steps = p.stage("build").orElseThrow().steps();
        assertThat(steps).extracting(Step::type).containsExactly("circleci.orb.node.install-packages",
                "circleci.setup-remote-docker", "circleci.add-ssh-keys");
        assertThat(steps.get(0).parameters()).containsEntry("orb", "circleci/node@5.2.0")
                .containsEntry("arguments.pkg-manager", "npm");
        assertThat(steps).allSatisfy(s -> assertThat(s.type()).matches(Step.TYPE_ID));
    }

    @Test
    void of_whenOnFailAndAlways_goAfterAFailureToo() {
        Pipeline p = pipeline("""
                version: 2.1
                jobs:
                  build:
                    docker: [{image: x}]
                    steps:
                      - run: make
                      - run: {command: collect-logs, when: on_fail}
                      - run: {command: cleanup, when: always}
                workflows:
                  w: {jobs: [build]}
                """);

        Stage build = p.stage("build").orElseThrow();
        assertThat(parameters(build)).extracting(m -> m.get("command")).containsExactly("make", "cleanup");
        assertThat(build.onFailure()).extracting(s -> s.parameters().get("command")).containsExactly("collect-logs",
                "cleanup");
    }

    @Test
    void of_requiresAFailedStatus_isRefusedWithItsPosition() {
        assertThat(problems("""
                version: 2.1
                jobs:
                  a: {docker: [{image: x}], steps: [{run: a}]}
                  b: {docker: [{image: x}], steps: [{run: b}]}
                workflows:
                  w:
                    jobs:
                      - a
                      - b:
                          requires: [{a: failed}]
                """)).singleElement().asString().startsWith("config.yml:10:")
                .contains("workflows.w.jobs[1].b.requires[0]: job 'b' runs only when 'a' ends [failed]");
    }

    @Test
    void of_requiresTerminal_waitsForSuccessWithANote() {
        LocalWorkflow local = translate("""
                version: 2.1
                jobs:
                  a: {docker: [{image: x}], steps: [{run: a}]}
                  b: {docker: [{image: x}], steps: [{run: b}]}
                workflows:
                  w:
                    jobs: [a, {b: {requires: [{a: terminal}]}}]
                """);

        assertThat(local.pipeline().orElseThrow().stage("b").orElseThrow().needs()).containsExactly("a");
        assertThat(local.notes()).anyMatch(n -> n.contains("requires 'a' to end [terminal]"));
    }

    @Test
    void of_severalWorkflowsAndNoName_isAProblemListingThem() {
        assertThat(problems("""
                version: 2.1
                jobs:
                  a: {docker: [{image: x}], steps: [{run: a}]}
                workflows:
                  one: {jobs: [a]}
                  two: {jobs: [a]}
                """)).containsExactly("config.yml:4:1: workflows: the configuration has 2 workflows [one, two]; name the"
                + " one to run (circleci run --workflow NAME).");
    }

    @Test
    void of_workflowConditions_chooseTheOneThatRuns() {
        LocalWorkflow local = translate("""
                version: 2.1
                parameters:
                  nightly: {type: boolean, default: false}
                jobs:
                  a: {docker: [{image: x}], steps: [{run: a}]}
                workflows:
                  nightly: {when: << pipeline.parameters.nightly >>, jobs: [a]}
                  commit:
                    unless: << pipeline.parameters.nightly >>
                    jobs: [a]
                """);

        assertThat(local.problems()).isEmpty();
        assertThat(local.workflow()).contains("commit");
    }

    @Test
    void of_unknownParameter_isAPositionedProblem() {
        assertThat(problems("""
                version: 2.1
                jobs:
                  a:
                    docker: [{image: x}]
                    steps: [{run: echo << parameters.nope >>}]
                workflows:
                  w: {jobs: [a]}
                """)).singleElement().asString().startsWith("config.yml:5:")
                .contains("job 'a' declares no parameter 'nope'; it declares none");
    }

    @Test
    void of_wrongArgumentType_isAPositionedProblem() {
        assertThat(problems("""
                version: 2.1
                jobs:
                  a:
                    parameters: {n: {type: integer}}
                    docker: [{image: x}]
                    steps: [{run: echo << parameters.n >>}]
                workflows:
                  w: {jobs: [{a: {n: many}}]}
                """)).singleElement().asString().contains("workflows.w.jobs[0].a.n: job 'a' parameter 'n' is an integer;"
                + " found the string 'many'. Give a whole number.");
    }

    @Test
    void of_commandCallingItself_isAProblemNamingTheLoop() {
        assertThat(problems("""
                version: 2.1
                commands:
                  a: {steps: [b]}
                  b: {steps: [a]}
                jobs:
                  j: {docker: [{image: x}], steps: [a]}
                workflows:
                  w: {jobs: [j]}
                """)).anyMatch(p -> p.contains("command 'a' calls itself: b -> a -> a"));
    }

    @Test
    void of_expressionFilter_isDecidedForTheRunsBranch() {
        String yaml = """
                version: 2.1
                jobs:
                  a: {docker: [{image: x}], steps: [{run: a}]}
                  b: {docker: [{image: x}], steps: [{run: b}]}
                workflows:
                  w:
                    jobs:
                      - a: {filters: pipeline.git.branch == "main" or pipeline.git.branch starts-with "release/"}
                      - b: {filters: pipeline.git.branch != "main"}
                """;
        Pipeline p = pipeline(yaml);

        assertThat(p.stage("a").orElseThrow().filter().accepts(Ref.branch("main"))).isTrue();
        assertThat(p.stage("b").orElseThrow().filter().accepts(Ref.branch("main"))).isFalse();
    }

    @Test
    void of_envFileSecrets_areDeclaredOnEveryStageUnlessTheJobSetsTheName() {
        CircleCiConfig config = CircleCiConfig.parse("""
                version: 2.1
                jobs:
                  a: {docker: [{image: x}], environment: {API_URL: http://local}, steps: [{run: a}]}
                workflows:
                  w: {jobs: [a]}
                """, "config.yml");
        LocalWorkflow local = LocalWorkflow.builder(config).facts(MAIN)
                .secrets(Map.of("API_URL", "x", "DEPLOY_TOKEN", "t0k3n", "CIRCLE_TOKEN", "c1rcle")).build();

        Stage a = local.pipelineOrThrow().stage("a").orElseThrow();
        assertThat(a.secrets()).containsExactly("DEPLOY_TOKEN");
        assertThat(a.variables()).containsEntry("API_URL", "http://local");
        assertThat(local.secrets()).hasSize(3);
        assertThat(local.toString()).doesNotContain("t0k3n");
    }

    @Test
    void of_noWorkflowsButABuildJob_runsTheBuildJob() {
        LocalWorkflow local = translate("""
                version: 2
                jobs:
                  build: {docker: [{image: x}], steps: [{run: make}]}
                """);

        assertThat(local.problems()).isEmpty();
        assertThat(local.pipeline().orElseThrow().stages()).extracting(Stage::name).containsExactly("build");
    }

    @Test
    void of_persistAndAttach_attachTheLayersOfTheJobsWaitedFor() {
        Pipeline p = pipeline("""
                version: 2.1
                jobs:
                  a: {docker: [{image: x}], steps: [{persist_to_workspace: {root: ., paths: [out]}}]}
                  b: {docker: [{image: x}], steps: [{persist_to_workspace: {root: ., paths: [more]}}]}
                  c: {docker: [{image: x}], steps: [{attach_workspace: {at: ws}}]}
                workflows:
                  w: {jobs: [a, {b: {requires: [a]}}, {c: {requires: [b]}}]}
                """);

        assertThat(p.stage("c").orElseThrow().steps().get(0).parameters()).containsEntry("from", "a,b")
                .containsEntry("at", "ws");
    }

    @Test
    void of_inlineOrbsAndExecutorParameters_areExpandedLikeTheConfigurationsOwn() {
        Pipeline p = pipeline("""
                version: 2.1
                orbs:
                  tools:
                    executors:
                      node:
                        parameters: {version: {type: string, default: "20"}}
                        docker: [{image: "cimg/node:<< parameters.version >>"}]
                        environment: {NODE_VERSION: << parameters.version >>}
                    commands:
                      greet:
                        parameters: {who: {type: string}}
                        steps: [{run: echo hi << parameters.who >>}]
                    jobs:
                      lint:
                        executor: node
                        steps: [{greet: {who: lint}}]
                jobs:
                  test:
                    parameters: {runtime: {type: executor}}
                    executor: << parameters.runtime >>
                    steps: [{tools/greet: {who: test}}]
                workflows:
                  w:
                    jobs:
                      - tools/lint
                      - test: {runtime: {name: tools/node, version: "22"}}
                """);

        Stage lint = p.stage("tools-lint").orElseThrow();
        assertThat(lint.steps().get(0).parameters()).containsEntry("command", "echo hi lint");
        assertThat(lint.variables()).containsEntry("NODE_VERSION", "20");
        Stage test = p.stage("test").orElseThrow();
        assertThat(test.steps().get(0).parameters()).containsEntry("command", "echo hi test");
        assertThat(test.variables()).containsEntry("NODE_VERSION", "22");
    }

    @Test
    void of_orbJob_isAStageWithOneStepOfItsOwnType() {
        Pipeline p = pipeline("""
                version: 2.1
                orbs:
                  aws-ecr: circleci/aws-ecr@9.0.0
                workflows:
                  w:
                    jobs:
                      - aws-ecr/build_and_push_image: {repo: api, tag: latest}
                """);

        Stage stage = p.stages().get(0);
        assertThat(stage.name()).isEqualTo("aws-ecr-build_and_push_image");
        assertThat(stage.steps()).singleElement().satisfies(s -> {
            assertThat(s.type()).isEqualTo("circleci.orb-job.aws-ecr.build-and-push-image");
            assertThat(s.parameters()).containsEntry("orb", "circleci/aws-ecr@9.0.0").containsEntry("arguments.repo", "api");
        });
    }

    @Test
    void of_sameTranslationTwice_givesEqualPipelines() {
        String yaml = """
                version: 2.1
                jobs:
                  a:
                    docker: [{image: x}]
                    steps: [checkout, {run: echo << pipeline.id >> << pipeline.number >>}, {save_cache: {key: k, paths: [x]}}]
                workflows:
                  w: {jobs: [a]}
                """;

        assertThat(pipeline(yaml)).isEqualTo(pipeline(yaml));
    }

    @Test
    void checkoutPath_underTheWorkingDirectory_isRelativeToTheWorkspace() {
        assertThat(LocalJobs.checkoutPath(null, "~/project")).isEqualTo(".");
        assertThat(LocalJobs.checkoutPath("~/project", "~/project")).isEqualTo(".");
        assertThat(LocalJobs.checkoutPath("/home/circleci/project/src", "~/project")).isEqualTo("src");
        assertThat(LocalJobs.checkoutPath("/tmp/elsewhere", "~/project")).isEqualTo("/tmp/elsewhere");
    }
}
