package dev.pipewright.circleci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CircleCiConfigModelTest {

    private static final String FULL = """
            version: 2.1
            setup: true
            orbs:
              node: circleci/node@5.2.0
              local: {}
            parameters:
              deploy:
                type: boolean
                default: false
            commands:
              greet:
                steps: [run: echo hi]
            executors:
              java:
                docker: [image: cimg/openjdk:21.0]
            jobs:
              build:
                executor: java
                steps: [checkout, greet]
            workflows:
              main:
                jobs: [build]
            job-groups:
              deploys:
                jobs: [build]
            """;

    @Test
    void parse_everySection_isTypedInOrder() {
        CircleCiConfig config = Configs.read(FULL);

        assertThat(config.version()).contains(Version.V2_1);
        assertThat(config.setup()).contains(Interpolable.of(true));
        assertThat(config.orbs()).containsOnlyKeys("node", "local");
        assertThat(config.orbs().get("node")).isEqualTo(Orb.reference("circleci/node@5.2.0"));
        assertThat(config.orbs().get("local")).isInstanceOf(InlineOrb.class);
        assertThat(config.parameters().get("deploy").type()).contains(ParameterType.BOOLEAN);
        assertThat(config.commands().get("greet").steps()).containsExactly(CircleCiStep.run("echo hi"));
        assertThat(config.executors().get("java").docker()).containsExactly(DockerImage.of("cimg/openjdk:21.0"));
        assertThat(config.jobs().get("build").executor()).contains(ExecutorReference.named("java"));
        assertThat(config.workflows().get("main").jobs()).containsExactly(WorkflowJob.of("build"));
        assertThat(config.jobGroups().get("deploys").jobs()).containsExactly(WorkflowJob.of("build"));
        assertThat(config.extra()).isEmpty();
        assertThat(config.warnings()).isEmpty();
    }

    @Test
    void build_sameModel_writesTheSameData() {
        CircleCiConfig built = CircleCiConfig.builder()
                .version(Version.V2_1)
                .setup()
                .putOrb("node", Orb.reference("circleci/node@5.2.0"))
                .putOrb("local", InlineOrb.builder().build())
                .putParameter("deploy", Parameter.builder().type(ParameterType.BOOLEAN).defaultValue(false).build())
                .putCommand("greet", c -> c.addStep(CircleCiStep.run("echo hi")))
                .putExecutor("java", e -> e.addDocker("cimg/openjdk:21.0"))
                .putJob("build", j -> j.executor("java").addStep(CircleCiStep.checkout()).addStep(CircleCiStep.command("greet")))
                .putWorkflow("main", w -> w.addJob("build"))
                .putJobGroup("deploys", JobGroup.builder().addJob(WorkflowJob.of("build")).build())
                .build();

        assertThat(built.data()).isEqualTo(Configs.read(FULL).data());
        assertThat(built).isEqualTo(Configs.read(FULL));
        assertThat(built.warnings()).isEmpty();
    }

    @Test
    void parse_unknownTopLevelKeys_areKeptAndWarnedWithTheirPosition() {
        CircleCiConfig config = Configs.read("""
                version: 2.1
                references:
                  image: &image cimg/base:current
                jobs:
                  build:
                    docker: [image: *image]
                """);

        assertThat(config.extra()).isEqualTo(Map.of("references", Map.of("image", "cimg/base:current")));
        assertThat(config.warnings()).singleElement().satisfies(w -> {
            assertThat(w.path()).isEqualTo("references");
            assertThat(w.line()).isEqualTo(2); // warnings point at the key
            assertThat(w.message()).isEqualTo(
                    "'references' is not a key of a configuration that the model knows; kept as written.");
        });
    }

    @Test
    void parse_emptyAndNullSections_areKeptApart() {
        CircleCiConfig empty = Configs.read("version: 2.1\norbs: {}\n");
        CircleCiConfig none = Configs.read("version: 2.1\norbs:\n");
        CircleCiConfig absent = Configs.read("version: 2.1\n");

        assertThat(empty.orbs()).isEmpty();
        assertThat(empty.data()).containsEntry("orbs", Map.of());
        assertThat(none.extra()).containsEntry("orbs", null);
        assertThat(none.warnings()).singleElement().asString().contains("orbs: expected a mapping of orb aliases");
        assertThat(absent.data()).doesNotContainKey("orbs");
        assertThat(List.of(empty, none, absent)).doesNotHaveDuplicates();
    }

    @Test
    void parse_sectionWithAnEntryOfAnotherShape_keepsTheSectionWithTheEntryNamed() {
        CircleCiConfig config = Configs.read("""
                version: 2.1
                jobs:
                  docker:
                    - image: circleci/node:latest
                  steps:
                    - checkout
                """);

        assertThat(config.jobs()).isEmpty();
        assertThat(config.extra()).containsOnlyKeys("jobs");
        assertThat(config.warnings()).singleElement().asString().isEqualTo("config.yml:2:1: jobs: expected a mapping of"
                + " job names to jobs (mappings) but 'docker' is a list, not a mapping (a job); kept as written.");
    }

    @Test
    void parse_legacyWorkflowsVersion_isKeptApartFromTheWorkflows() {
        CircleCiConfig config = Configs.read("""
                version: 2
                workflows:
                  version: 2
                  build:
                    jobs: [test]
                """);

        assertThat(config.workflowsVersion()).contains(Version.number("2"));
        assertThat(config.workflows()).containsOnlyKeys("build");
        assertThat(CircleCiConfig.builder().version(Version.number("2")).workflowsVersion(Version.number("2"))
                .putWorkflow("build", w -> w.addJob("test")).build()).isEqualTo(config);
    }

    @Test
    void parse_onlyTheLegacyWorkflowsVersion_readsBackTheSame() {
        CircleCiConfig config = Configs.read("version: 2\nworkflows:\n  version: 2\n");

        assertThat(config.workflows()).isEmpty();
        CircleCiConfig built = CircleCiConfig.builder().workflowsVersion(Version.number("2")).workflows(Map.of()).build();
        assertThat(built.data()).isEqualTo(Map.of("workflows", Map.of("version", 2L)));
        assertThat(built.toBuilder().build().workflows()).isEmpty();
    }

    @Test
    void putWorkflow_namedVersion_isRejected() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> CircleCiConfig.builder().putWorkflow("version", Workflow.builder().build()))
                .withMessageContaining("workflowsVersion");
    }

    @Test
    void build_extraKeyThatIsAlsoTyped_isRejected() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> CircleCiConfig.builder().version(Version.V2_1).putExtra("version", 2).build())
                .withMessageContaining("'version'");
    }

    @Test
    void build_extraValues_areCopiedAsPlainData() {
        CircleCiConfig config = CircleCiConfig.builder().putExtra("references", Map.of("n", 3, "f", 1.5f)).build();

        assertThat(config.data()).isEqualTo(Map.of("references", Map.of("n", 3L, "f", 1.5)));
        assertThatIllegalArgumentException().isThrownBy(() -> CircleCiConfig.builder().putExtra("x", new Object()));
    }

    @Test
    void builder_nulls_areRejected() {
        assertThatNullPointerException().isThrownBy(() -> CircleCiConfig.builder().putJob("build", (Job) null));
        assertThatNullPointerException().isThrownBy(() -> CircleCiConfig.builder().version(null));
    }

    @Test
    void accessors_areUnmodifiable() {
        CircleCiConfig config = Configs.read(FULL);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> config.jobs().clear())
                .isInstanceOf(UnsupportedOperationException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> config.jobs().get("build").steps().clear())
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void toBuilder_dropsTheWarnings_butKeepsTheKeptKeys() {
        CircleCiConfig config = Configs.read("version: 2.1\naliases: [1]\n");

        CircleCiConfig copy = config.toBuilder().build();

        assertThat(copy.warnings()).isEmpty();
        assertThat(copy.extra()).isEqualTo(config.extra());
        assertThat(copy).isEqualTo(config);
    }
}
