package dev.pipewright.circleci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CircleCiStepTest {

    private static final String EVERY_STEP = """
            - checkout:
                path: ~/src
                method: shallow
                depth: 1
            - run:
                name: Test
                command: ./mvnw -B verify
                shell: /bin/bash
                environment: {CI: "true"}
                background: false
                working_directory: ~/src
                no_output_timeout: 20m
                when: always
                max_auto_reruns: 3
                auto_rerun_delay: 30s
            - setup_remote_docker: {version: 20.10.24, docker_layer_caching: true}
            - save_cache: {key: 'm2-{{ checksum "pom.xml" }}', paths: [~/.m2], name: Save, when: on_success}
            - restore_cache: {keys: ['m2-{{ checksum "pom.xml" }}', m2-], name: Restore}
            - restore_cache: {key: m2}
            - store_artifacts: {path: target/site, destination: site, name: Keep}
            - store_test_results: {path: target/surefire-reports, name: Results}
            - persist_to_workspace: {root: ., paths: [target], name: Persist}
            - attach_workspace: {at: ., name: Attach}
            - add_ssh_keys: {fingerprints: ["SO:ME"], name: Keys}
            - deploy: ./deploy.sh
            """;

    @Test
    void parse_everyBuiltInStep_isTypedWithEveryKey() {
        List<CircleCiStep> steps = Configs.steps(EVERY_STEP);

        assertThat(steps).hasSize(12);
        CheckoutStep checkout = (CheckoutStep) steps.get(0);
        assertThat(checkout.path()).contains("~/src");
        assertThat(checkout.method()).contains("shallow");
        assertThat(checkout.depth()).contains(Interpolable.of(1));
        RunStep run = (RunStep) steps.get(1);
        assertThat(run.name()).contains("Test");
        assertThat(run.command()).contains("./mvnw -B verify");
        assertThat(run.shell()).contains("/bin/bash");
        assertThat(run.environment()).contains(EnvironmentVariables.of(Map.of("CI", "true")));
        assertThat(run.background()).contains(Interpolable.of(false));
        assertThat(run.workingDirectory()).contains("~/src");
        assertThat(run.noOutputTimeout()).contains("20m");
        assertThat(run.when()).contains("always");
        assertThat(run.maxAutoReruns()).contains(Interpolable.of(3));
        assertThat(run.autoRerunDelay()).contains("30s");
        SetupRemoteDockerStep docker = (SetupRemoteDockerStep) steps.get(2);
        assertThat(docker.version()).contains(Version.string("20.10.24"));
        assertThat(docker.dockerLayerCaching()).contains(Interpolable.of(true));
        SaveCacheStep save = (SaveCacheStep) steps.get(3);
        assertThat(save.key()).contains("m2-{{ checksum \"pom.xml\" }}");
        assertThat(save.paths()).containsExactly("~/.m2");
        assertThat(save.name()).contains("Save");
        assertThat(save.when()).contains("on_success");
        assertThat(((RestoreCacheStep) steps.get(4)).keys()).containsExactly("m2-{{ checksum \"pom.xml\" }}", "m2-");
        assertThat(((RestoreCacheStep) steps.get(4)).name()).contains("Restore");
        assertThat(((RestoreCacheStep) steps.get(5)).key()).contains("m2");
        StoreArtifactsStep artifacts = (StoreArtifactsStep) steps.get(6);
        assertThat(artifacts.destination()).contains("site");
        assertThat(artifacts.name()).contains("Keep");
        assertThat(((StoreTestResultsStep) steps.get(7)).path()).contains("target/surefire-reports");
        PersistToWorkspaceStep persist = (PersistToWorkspaceStep) steps.get(8);
        assertThat(persist.root()).contains(".");
        assertThat(persist.paths()).containsExactly("target");
        assertThat(((AttachWorkspaceStep) steps.get(9)).at()).contains(".");
        assertThat(((AddSshKeysStep) steps.get(10)).fingerprints()).containsExactly("SO:ME");
        assertThat(steps.get(11)).isEqualTo(CircleCiStep.deploy("./deploy.sh"));
        assertThat(((DeployStep) steps.get(11)).run().command()).contains("./deploy.sh");
    }

    @Test
    void build_everyBuiltInStep_writesWhatParses() {
        List<CircleCiStep> built = List.of(
                CheckoutStep.builder().path("~/src").method("shallow").depth(1).build(),
                RunStep.builder().name("Test").command("./mvnw -B verify").shell("/bin/bash").putEnvironment("CI", "true")
                        .background(Interpolable.of(false)).workingDirectory("~/src").noOutputTimeout("20m").when("always")
                        .maxAutoReruns(3).autoRerunDelay("30s").build(),
                SetupRemoteDockerStep.builder().version(Version.string("20.10.24")).dockerLayerCaching().build(),
                SaveCacheStep.builder().key("m2-{{ checksum \"pom.xml\" }}").addPath("~/.m2").name("Save").when("on_success")
                        .build(),
                RestoreCacheStep.builder().keys(List.of("m2-{{ checksum \"pom.xml\" }}", "m2-")).name("Restore").build(),
                CircleCiStep.restoreCache("m2"),
                StoreArtifactsStep.builder().path("target/site").destination("site").name("Keep").build(),
                StoreTestResultsStep.builder().path("target/surefire-reports").name("Results").build(),
                PersistToWorkspaceStep.builder().root(".").paths(List.of("target")).name("Persist").build(),
                AttachWorkspaceStep.builder().at(".").name("Attach").build(),
                AddSshKeysStep.builder().addFingerprint("SO:ME").name("Keys").build(),
                CircleCiStep.deploy("./deploy.sh"));

        assertThat(Configs.dataOfJob(Job.builder().steps(built).build()))
                .isEqualTo(Configs.read("version: 2.1\njobs:\n  build:\n    steps:\n" + EVERY_STEP.indent(6)).data());
    }

    @Test
    void parse_shorthands_readAsTheirLongForms() {
        List<CircleCiStep> steps = Configs.steps("""
                - checkout
                - checkout:
                - setup_remote_docker
                - add_ssh_keys
                - run: make
                - save_cache: {key: k, paths: one}
                - add_ssh_keys: {fingerprints: "AB:CD"}
                """);

        assertThat(steps).containsExactly(CircleCiStep.checkout(), CircleCiStep.checkout(), CircleCiStep.setupRemoteDocker(),
                AddSshKeysStep.builder().build(), CircleCiStep.run("make"), CircleCiStep.saveCache("k", List.of("one")),
                CircleCiStep.addSshKeys(List.of("AB:CD")));
    }

    @Test
    void parse_commandsAndOrbCommands_keepTheirArgumentsAsData() {
        List<CircleCiStep> steps = Configs.steps("""
                - greet
                - node/install: {node-version: "20", install-yarn: true, steps: [checkout]}
                """);

        assertThat(steps.get(0)).isEqualTo(CircleCiStep.command("greet"));
        CommandStep install = (CommandStep) steps.get(1);
        assertThat(install.isOrbCommand()).isTrue();
        assertThat(install.arguments()).isEqualTo(Map.of("node-version", "20", "install-yarn", true,
                "steps", List.of(Map.of("checkout", Map.of())))); // a steps argument is canonical steps
    }

    @Test
    void parse_parameterExpansions_keepTheirForm() {
        List<CircleCiStep> steps = Configs.steps("""
                - << parameters.before >>
                - steps: << parameters.after >>
                """);

        assertThat(steps).containsExactly(CircleCiStep.expand("<< parameters.before >>"),
                ParameterExpansionStep.keyed("<< parameters.after >>"));
    }

    @Test
    void parse_conditionalSteps_areTyped() {
        List<CircleCiStep> steps = Configs.steps("""
                - when:
                    condition: << parameters.deploy >>
                    steps: [run: ./deploy.sh]
                - unless:
                    condition: {equal: [main, << pipeline.git.branch >>]}
                    steps: [run: echo skip]
                """);

        assertThat(steps).containsExactly(
                CircleCiStep.when(Condition.literal("<< parameters.deploy >>"), List.of(CircleCiStep.run("./deploy.sh"))),
                CircleCiStep.unless(Condition.equal("main", "<< pipeline.git.branch >>"), List.of(CircleCiStep.run("echo skip"))));
        assertThat(((ConditionalStep) steps.get(1)).isUnless()).isTrue();
    }

    @Test
    void parse_stepsOfNoKnownShape_areUnknownStepsWithWarnings() {
        CircleCiConfig config = Configs.read("""
                jobs:
                  build:
                    steps:
                      - run: 42
                      - {run: {command: a}, name: b}
                      - steps: [checkout]
                      - 5
                """);

        assertThat(config.jobs().get("build").steps()).allMatch(s -> s instanceof UnknownStep);
        assertThat(config.warnings()).extracting(ConfigProblem::path).containsExactly("jobs.build.steps[0]",
                "jobs.build.steps[1]", "jobs.build.steps[2]", "jobs.build.steps[3]");
    }

    @Test
    void parse_unknownStepKeys_areKeptWithWarnings() {
        CircleCiConfig config = Configs.read("""
                jobs:
                  build:
                    steps:
                      - run: {command: a, description: b}
                      - store_test_results: {path: r, destination: d}
                """);

        RunStep run = (RunStep) config.jobs().get("build").steps().get(0);
        assertThat(run.extra()).isEqualTo(Map.of("description", "b"));
        assertThat(config.warnings()).extracting(ConfigProblem::toString).containsExactly(
                "config.yml:4:27: jobs.build.steps[0].run.description: 'description' is not a key of a run step that"
                        + " the model knows; kept as written.",
                "config.yml:5:39: jobs.build.steps[1].store_test_results.destination: 'destination' is not a key of a"
                        + " store_test_results step that the model knows; kept as written.");
    }

    @Test
    void commandStep_namedLikeABuiltInStep_isRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> CircleCiStep.command("checkout")).withMessageContaining("built-in");
        assertThatIllegalArgumentException().isThrownBy(() -> CircleCiStep.expand("parameters.x"));
        assertThatIllegalArgumentException().isThrownBy(() -> CircleCiStep.expand("echo << parameters.x >>"));
    }

    @Test
    void unknownStep_holdingAKnownStep_readsBackAsThatStep() {
        Job job = Job.builder().addStep(UnknownStep.of(Map.of("checkout", Map.of()))).build();

        assertThat(Configs.read("jobs: {build: {steps: [checkout]}}").jobs().get("build").toData()).isEqualTo(job.toData());
    }
}
