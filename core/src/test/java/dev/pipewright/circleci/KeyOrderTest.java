package dev.pipewright.circleci;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class KeyOrderTest {

    @Test
    void at_root_listsTopLevelKeysInDocumentedOrder() {
        assertThat(KeyOrder.at(List.of()).known()).containsExactly(
                "version", "setup", "parameters", "orbs", "executors", "commands", "jobs", "workflows");
    }

    @Test
    void at_jobAndExecutor_shareTheJobOrder() {
        assertThat(KeyOrder.at(List.of("jobs", "build"))).isSameAs(KeyOrder.JOB);
        assertThat(KeyOrder.at(List.of("executors", "java"))).isSameAs(KeyOrder.JOB);
        assertThat(KeyOrder.JOB.known()).startsWith("type", "description", "parameters", "executor")
                .endsWith("retention", "steps");
    }

    @Test
    void at_parameters_sameOrderAtRootAndInCommandsJobsExecutors() {
        assertThat(KeyOrder.at(List.of("parameters", "p")).known()).containsExactly("type", "description", "default", "enum");
        assertThat(KeyOrder.at(List.of("commands", "c", "parameters", "p"))).isSameAs(KeyOrder.PARAMETER);
        assertThat(KeyOrder.at(List.of("jobs", "j", "parameters", "p"))).isSameAs(KeyOrder.PARAMETER);
        assertThat(KeyOrder.at(List.of("executors", "e", "parameters", "p"))).isSameAs(KeyOrder.PARAMETER);
    }

    @Test
    void at_stepBody_dependsOnTheStepName() {
        assertThat(KeyOrder.at(List.of("jobs", "j", "steps", 0, "run"))).isSameAs(KeyOrder.RUN);
        assertThat(KeyOrder.at(List.of("jobs", "j", "steps", 3, "deploy"))).isSameAs(KeyOrder.RUN);
        assertThat(KeyOrder.at(List.of("jobs", "j", "steps", 1, "when", "steps", 0, "checkout")))
                .isSameAs(KeyOrder.CHECKOUT);
        assertThat(KeyOrder.at(List.of("commands", "c", "steps", 0, "unless"))).isSameAs(KeyOrder.CONDITIONAL_STEP);
        assertThat(KeyOrder.at(List.of("workflows", "w", "jobs", 0, "deploy", "pre-steps", 0, "save_cache")))
                .isSameAs(KeyOrder.SAVE_CACHE);
        assertThat(KeyOrder.at(List.of("jobs", "j", "steps", 0, "node/install")).known()).isEmpty();
    }

    @Test
    void at_workflows_versionFirstThenWorkflowsInInputOrder() {
        assertThat(KeyOrder.at(List.of("workflows")).known()).containsExactly("version");
        assertThat(KeyOrder.at(List.of("workflows", "main")).known())
                .containsExactly("when", "unless", "triggers", "max_auto_reruns", "jobs");
        assertThat(KeyOrder.at(List.of("workflows", "main", "triggers", 0, "schedule", "filters", "tags")).known())
                .containsExactly("only", "ignore");
        assertThat(KeyOrder.at(List.of("workflows", "main", "jobs", 2, "build", "matrix")).known())
                .containsExactly("parameters", "exclude", "alias");
    }

    @Test
    void at_inlineOrb_ordersItsSectionsLikeTheRoot() {
        assertThat(KeyOrder.at(List.of("orbs", "local")).known())
                .containsExactly("description", "display", "orbs", "commands", "executors", "jobs", "examples");
        assertThat(KeyOrder.at(List.of("orbs", "local", "jobs", "j", "docker", 0))).isSameAs(KeyOrder.DOCKER_IMAGE);
    }

    @Test
    void at_underUnknownKey_keepsInputOrder() {
        assertThat(KeyOrder.at(List.of("references", "jobs", "j"))).isSameAs(KeyOrder.OTHER);
        assertThat(KeyOrder.at(List.of("jobs", "j", "environment"))).isSameAs(KeyOrder.OTHER);
        assertThat(KeyOrder.OTHER.known()).isEmpty();
        assertThat(KeyOrder.RUN.rank("name")).isZero();
        assertThat(KeyOrder.RUN.rank("nope")).isEqualTo(-1);
    }
}
