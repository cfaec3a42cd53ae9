package dev.pipewright.circleci;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobTest {

    @Test
    void parse_everyKey_isTyped() {
        Job job = Configs.job("""
                type: build
                description: builds
                parameters:
                  jdk: {type: string, default: "21"}
                docker:
                  - image: cimg/openjdk:<< parameters.jdk >>
                resource_class: large
                shell: /bin/bash -eo pipefail
                working_directory: ~/app
                environment:
                  MAVEN_OPTS: -Xmx2g
                parallelism: 4
                circleci_ip_ranges: true
                retention:
                  caches: 7d
                steps:
                  - checkout
                """);

        assertThat(job.type()).contains(JobType.BUILD);
        assertThat(job.description()).contains("builds");
        assertThat(job.parameters().get("jdk").defaultValue()).contains("21");
        assertThat(job.docker()).extracting(d -> d.image().orElseThrow()).containsExactly("cimg/openjdk:<< parameters.jdk >>");
        assertThat(job.resourceClass()).contains("large");
        assertThat(job.shell()).contains("/bin/bash -eo pipefail");
        assertThat(job.workingDirectory()).contains("~/app");
        assertThat(job.environment()).contains(EnvironmentVariables.of(Map.of("MAVEN_OPTS", "-Xmx2g")));
        assertThat(job.parallelism()).contains(Interpolable.of(4));
        assertThat(job.circleciIpRanges()).contains(Interpolable.of(true));
        assertThat(job.retention()).contains(Retention.caches("7d"));
        assertThat(job.steps()).containsExactly(CircleCiStep.checkout());
        assertThat(job.extra()).isEmpty();
    }

    @Test
    void build_everyKey_writesWhatParses() {
        Job built = Job.builder()
                .type(JobType.BUILD)
                .description("builds")
                .putParameter("jdk", Parameter.builder().type(ParameterType.STRING).defaultValue("21").build())
                .addDocker("cimg/openjdk:<< parameters.jdk >>")
                .resourceClass("large")
                .workingDirectory("~/app")
                .putEnvironment("MAVEN_OPTS", "-Xmx2g")
                .parallelism(4)
                .circleciIpRanges()
                .retention(Retention.caches("7d"))
                .addStep(CircleCiStep.checkout())
                .build();

        assertThat(Configs.dataOfJob(built)).isEqualTo(Configs.read("""
                version: 2.1
                jobs:
                  build:
                    type: build
                    description: builds
                    parameters:
                      jdk: {type: string, default: "21"}
                    docker: [image: "cimg/openjdk:<< parameters.jdk >>"]
                    resource_class: large
                    working_directory: ~/app
                    environment: {MAVEN_OPTS: -Xmx2g}
                    parallelism: 4
                    circleci_ip_ranges: true
                    retention: {caches: 7d}
                    steps: [checkout]
                """).data());
    }

    @Test
    void parse_parallelismInterpolation_isAnExpression() {
        Job job = Configs.job("parallelism: << parameters.n >>\n");

        assertThat(job.parallelism()).contains(Interpolable.expression("<< parameters.n >>"));
        assertThat(Configs.dataOfJob(Job.builder().parallelism(Interpolable.expression("<< parameters.n >>")).build()))
                .isEqualTo(Configs.read("version: 2.1\njobs: {build: {parallelism: << parameters.n >>}}").data());
    }

    @Test
    void parse_parallelismOfAnotherShape_isKeptWithAWarning() {
        CircleCiConfig config = Configs.read("version: 2.1\njobs:\n  build:\n    parallelism: \"4\"\n");

        Job job = config.jobs().get("build");
        assertThat(job.parallelism()).isEmpty();
        assertThat(job.extra()).isEqualTo(Map.of("parallelism", "4"));
        assertThat(config.warnings()).singleElement().asString().isEqualTo("config.yml:4:5: jobs.build.parallelism:"
                + " expected an integer or a << parameters.x >> interpolation but found the string '4'; kept as written.");
    }

    @Test
    void parse_executorByName_andWithArguments_keepTheirForms() {
        Job byName = Configs.job("executor: node/default\n");
        Job withArgs = Configs.job("executor:\n  name: node/default\n  tag: '20.1'\n");
        Job mapWithoutArgs = Configs.job("executor: {name: java}\n");

        assertThat(byName.executor()).contains(ExecutorReference.named("node/default"));
        assertThat(withArgs.executor()).contains(ExecutorReference.of("node/default", Map.of("tag", "20.1")));
        assertThat(withArgs.executor().orElseThrow().arguments()).containsEntry("tag", "20.1");
        assertThat(mapWithoutArgs.executor().orElseThrow().isMapping()).isTrue();
        assertThat(mapWithoutArgs.executor()).isNotEqualTo(byName.executor());
        assertThat(ExecutorReference.of("java", Map.of()).toData()).isEqualTo(Map.of("name", "java"));
    }

    @Test
    void parse_nonBuildTypes_keepTheirKeys() {
        CircleCiConfig config = Configs.read("""
                version: 2.1
                jobs:
                  hold: {type: approval}
                  marker: {type: no-op}
                  ship: {type: release, plan_name: weekly}
                  take: {type: lock, key: prod}
                  give: {type: unlock, key: prod}
                """);

        assertThat(config.jobs().values()).extracting(j -> j.type().orElseThrow())
                .containsExactly(JobType.APPROVAL, JobType.NO_OP, JobType.RELEASE, JobType.LOCK, JobType.UNLOCK);
        assertThat(config.jobs().get("ship").planName()).contains("weekly");
        assertThat(config.jobs().get("take").key()).contains("prod");
        assertThat(config.warnings()).isEmpty();
    }

    @Test
    void parse_unknownType_isKeptWithAWarning() {
        CircleCiConfig config = Configs.read("jobs: {build: {type: manual}}\n");

        assertThat(config.jobs().get("build").type()).isEmpty();
        assertThat(config.warnings()).singleElement().asString()
                .contains("expected one of build, approval, no-op, release, lock, unlock but found the string 'manual'");
    }

    @Test
    void parse_legacyJobBranches_singlePatternIsAList() {
        Job job = Configs.job("branches:\n  only: master\n  ignore: [gh-pages]\n");

        assertThat(job.branches().orElseThrow().only()).containsExactly("master");
        assertThat(job.branches().orElseThrow().ignore()).containsExactly("gh-pages");
    }

    @Test
    void parse_machineTrue_andMacos_areTyped() {
        Job machine = Configs.job("machine: true\n");
        Job macos = Configs.job("macos: {xcode: 12.5}\n");

        assertThat(machine.machine()).contains(Machine.defaultImage());
        assertThat(macos.macos().orElseThrow().xcode()).contains(Version.number("12.5"));
    }

    @Test
    void parse_unknownKeyAndNullKey_areKeptWithWarnings() {
        CircleCiConfig config = Configs.read("""
                jobs:
                  sizebot:
                    build:
                    docker: [image: node]
                    resourceclass: large
                """);

        Job job = config.jobs().get("sizebot");
        assertThat(job.extra()).containsOnlyKeys("build", "resourceclass");
        assertThat(job.extra()).containsEntry("build", null);
        assertThat(config.warnings()).extracting(ConfigProblem::path)
                .containsExactly("jobs.sizebot.build", "jobs.sizebot.resourceclass");
    }

    @Test
    void parse_environmentAsString_isKeptAsText() {
        Job job = Configs.job("environment:\n  TOXENV=<< parameters.jobname >>\n");

        assertThat(job.environment()).contains(EnvironmentVariables.text("TOXENV=<< parameters.jobname >>"));
        assertThat(Configs.dataOfJob(Job.builder().environment(EnvironmentVariables.text("A=b")).build()))
                .isEqualTo(Configs.read("version: 2.1\njobs: {build: {environment: A=b}}").data());
    }

    @Test
    void toBuilder_buildsAnEqualJob() {
        Job job = Configs.job("docker: [image: a]\nsteps: [checkout]\nunknown: 1\n");

        assertThat(job.toBuilder().build()).isEqualTo(job).hasSameHashCodeAs(job);
        assertThat(job.toBuilder().addStep(CircleCiStep.run("x")).build().steps()).hasSize(2);
        assertThat(job.steps()).hasSize(1);
    }

    @Test
    void steps_emptyList_isWrittenAndKeptApartFromAbsent() {
        Job empty = Job.builder().steps(List.of()).build();
        Job absent = Job.builder().build();

        assertThat(empty.steps()).isEmpty();
        assertThat(empty).isNotEqualTo(absent);
        assertThat(empty.toData()).containsEntry("steps", List.of());
        assertThat(absent.toData()).isEmpty();
    }
}
