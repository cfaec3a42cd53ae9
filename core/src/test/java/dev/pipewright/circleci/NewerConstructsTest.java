package dev.pipewright.circleci;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Constructs no corpus config uses, from a fixture of our own: kept through parse, check and emit. */
class NewerConstructsTest {

    private static String fixture() throws IOException {
        try (InputStream in = NewerConstructsTest.class.getResourceAsStream("/circleci/newer-constructs.yml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static Object at(Object root, Object... path) {
        Object node = root;
        for (Object p : path) {
            node = p instanceof Integer i ? ((List<?>) node).get(i) : ((Map<?, ?>) node).get(p);
        }
        return node;
    }

    @Test
    void fixture_passesTheReferenceChecks_andRoundTrips() throws IOException {
        CircleCiConfig config = CircleCiConfig.parse(fixture(), "newer-constructs.yml");
        assertThat(config.check()).isEmpty();
        String emitted = config.toYaml(List.of("round trip"));
        assertThat(CircleCiConfig.parse(emitted, "emitted.yml")).isEqualTo(config);
    }

    @Test
    void fixture_keepsEveryNewerConstruct() throws IOException {
        Map<String, Object> d = CircleCiConfig.parse(fixture(), "newer-constructs.yml").data();
        assertThat(at(d, "commands", "publish", "parameters", "token-variable", "type")).isEqualTo("env_var_name");
        assertThat(at(d, "workflows", "build", "jobs", 0, "test", "matrix")).isEqualTo(Map.of(
                "alias", "all-tests",
                "parameters", Map.of("node", List.of("20.18", "22.11"), "os", List.of("linux", "macos")),
                "exclude", List.of(Map.of("node", "20.18", "os", "macos"))));
        assertThat(at(d, "workflows", "build", "jobs", 1, "release", "filters"))
                .isEqualTo("pipeline.git.branch == \"main\" or pipeline.git.tag starts-with \"v\"");
        assertThat(at(d, "workflows", "build", "jobs", 1, "release", "override-with")).isEqualTo("platform/release");
        assertThat(at(d, "workflows", "build", "jobs", 1, "release", "serial-group"))
                .isEqualTo("<< pipeline.project.slug >>/release");
        assertThat(at(d, "workflows", "build", "jobs", 2, "notify-failure", "requires"))
                .isEqualTo(List.of(Map.of("release", List.of("failed", "canceled"))));
        assertThat(at(d, "jobs", "release", "steps", 1, "when", "condition", "and", 1))
                .isEqualTo(Map.of("equal", List.of("main", "<< pipeline.git.branch >>")));
        assertThat(at(d, "workflows", "build", "when")).isEqualTo(Map.of("not",
                Map.of("equal", List.of("scheduled_pipeline", "<< pipeline.trigger_source >>"))));
    }

    @Test
    void requiresWithStatuses_checkedAgainstTheWorkflowsJobs() throws IOException {
        String broken = fixture().replace("- release: [failed, canceled]", "- relaese: [failed, canceled]");
        assertThat(CircleCiConfig.parse(broken, "broken.yml").check()).extracting(ConfigProblem::toString)
                .containsExactly("broken.yml:91:15: workflows.build.jobs[2].notify-failure.requires[0]: 'relaese' is not"
                        + " a job of this workflow; jobs: [test, all-tests, release, notify-failure].");
    }
}
