package dev.pipewright.circleci;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class ConfigChecksTest {

    private static List<String> checkAll(String yaml) {
        return CircleCiConfig.parse(yaml, "config.yml").check().stream().map(ConfigProblem::toString).toList();
    }

    /** The problems other than a missing version, which the short examples below leave out. */
    private static List<String> check(String yaml) {
        return checkAll(yaml).stream().filter(p -> !p.contains(": version: the config has no version")).toList();
    }

    @Test
    void check_validConfig_noProblems() {
        assertThat(check("""
                version: 2.1
                orbs:
                  aws-cli: circleci/aws-cli@5.1
                executors:
                  java:
                    parameters: {tag: {type: string, default: "17.0"}}
                    docker: [{image: "cimg/openjdk:<< parameters.tag >>"}]
                commands:
                  build:
                    parameters: {goal: {type: string}}
                    steps: [{run: "mvn << parameters.goal >>"}]
                jobs:
                  test:
                    parameters: {flavour: {type: string, default: a}}
                    executor: {name: java, tag: "21.0"}
                    steps:
                      - checkout
                      - build: {goal: verify}
                      - aws-cli/setup
                      - when: {condition: true, steps: [{build: {goal: x}}]}
                  deploy:
                    executor: aws-cli/default
                    steps: [checkout]
                job-groups:
                  checks: {jobs: [test]}
                workflows:
                  main:
                    jobs:
                      - test: {flavour: b, name: test-b, pre-steps: [{build: {goal: clean}}]}
                      - test: {matrix: {parameters: {flavour: [a, c]}, alias: all-tests}}
                      - checks
                      - hold: {type: approval, requires: [test-b]}
                      - deploy: {requires: [hold, all-tests, {test-b: [success, failed]}]}
                      - aws-cli/install: {requires: [deploy]}
                """)).isEmpty();
    }

    @Test
    void check_missingOrUnknownVersion() {
        assertThat(checkAll("jobs: {}\n")).containsExactly(
                "config.yml:1:1: version: the config has no version. Add version: 2.1 at the top.");
        assertThat(checkAll("version: 3\n")).containsExactly(
                "config.yml:1:1: version: version 3 is not one CircleCI runs. Use 2.1.");
        assertThat(checkAll("version: 2\n")).isEmpty();
    }

    @Test
    void check_undefinedJob_positionedWithKnownJobs() {
        assertThat(check("""
                version: 2.1
                jobs:
                  test: {docker: [{image: x}], steps: [checkout]}
                workflows:
                  main:
                    jobs:
                      - test
                      - tset
                """)).containsExactly("config.yml:8:9: workflows.main.jobs[1]: job 'tset' is not defined; jobs: [test]."
                + " Define it under jobs, fix the name, or give the entry type: approval.");
    }

    @Test
    void check_undefinedCommandAndOrb_positioned() {
        assertThat(check("""
                jobs:
                  test:
                    docker: [{image: x}]
                    steps:
                      - chekout
                      - node/install
                """)).containsExactly(
                "config.yml:5:9: jobs.test.steps[0]: command 'chekout' is not defined; there are no commands.",
                "config.yml:6:9: jobs.test.steps[1]: orb 'node' is not declared; there are no orbs.");
    }

    @Test
    void check_undefinedExecutor_positioned() {
        assertThat(check("""
                executors:
                  java: {docker: [{image: x}]}
                jobs:
                  test:
                    executor: jaav
                    steps: [checkout]
                """)).containsExactly(
                "config.yml:5:5: jobs.test.executor: executor 'jaav' is not defined; executors: [java].");
    }

    @Test
    void check_undeclaredArguments_forJobsCommandsExecutorsAndMatrix() {
        assertThat(check("""
                executors:
                  java: {docker: [{image: x}]}
                commands:
                  build:
                    parameters: {goal: {type: string}}
                    steps: [{run: x}]
                jobs:
                  test:
                    executor: {name: java, tag: "21"}
                    parameters: {flavour: {type: string}}
                    steps:
                      - build: {goal: verify, profile: fast}
                workflows:
                  main:
                    jobs:
                      - test: {flavour: a, colour: red}
                      - test: {name: t2, matrix: {parameters: {size: [1, 2]}}}
                """)).containsExactly(
                "config.yml:12:31: jobs.test.steps[0].build.profile: command 'build' declares no parameter 'profile';"
                        + " parameters: [goal].",
                "config.yml:9:28: jobs.test.executor.tag: executor 'java' declares no parameter 'tag'; there are no"
                        + " parameters.",
                "config.yml:16:28: workflows.main.jobs[0].test.colour: job 'test' declares no parameter 'colour';"
                        + " parameters: [flavour].",
                "config.yml:17:48: workflows.main.jobs[1].test.matrix.parameters.size: job 'test' declares no parameter"
                        + " 'size'; parameters: [flavour].");
    }

    @Test
    void check_requiresNamingNoJobOfTheWorkflow() {
        assertThat(check("""
                jobs:
                  a: {docker: [{image: x}], steps: [checkout]}
                  b: {docker: [{image: x}], steps: [checkout]}
                workflows:
                  one:
                    jobs: [a]
                  two:
                    jobs:
                      - b: {requires: [a]}
                """)).containsExactly(
                "config.yml:9:24: workflows.two.jobs[0].b.requires[0]: 'a' is not a job of this workflow; jobs: [b].");
    }

    @Test
    void check_requiresCycle_printsTheCycle() {
        assertThat(check("""
                jobs:
                  a: {docker: [{image: x}], steps: [checkout]}
                  b: {docker: [{image: x}], steps: [checkout]}
                workflows:
                  main:
                    jobs:
                      - a: {requires: [b]}
                      - b: {requires: [a]}
                """)).containsExactly("config.yml:7:13: workflows.main.jobs[0].a.requires: cycle in requires: a -> b -> a."
                + " Remove one of these requirements.");
    }

    @Test
    void check_overrideWithUndeclaredOrb() {
        assertThat(check("""
                jobs:
                  a: {docker: [{image: x}], steps: [checkout]}
                workflows:
                  main:
                    jobs:
                      - a: {override-with: platform/a}
                """)).containsExactly("config.yml:6:13: workflows.main.jobs[0].a.override-with: 'platform/a' is not a"
                + " job of a declared orb; there are no orbs.");
    }

    @TestFactory
    Stream<DynamicTest> corpus_onlyTheKnownBrokenConfigHasProblems() throws IOException {
        return CorpusRoundTripTest.corpusFiles().stream().map(file -> DynamicTest.dynamicTest(
                file.getFileName().toString(), () -> {
                    List<ConfigProblem> problems = CircleCiConfig.parse(Files.readString(file),
                            file.getFileName().toString()).check();
                    if (file.getFileName().equals(Path.of("facebook__react.yml"))) {
                        // CircleCI's reference lint agrees: the hourly workflow names a job that was removed.
                        assertThat(problems).extracting(ConfigProblem::path).containsExactly("workflows.hourly.jobs[1]");
                    } else {
                        assertThat(problems).isEmpty();
                    }
                }));
    }
}
