package dev.pipewright.examples.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.tuple;

import dev.pipewright.circleci.CircleCiConfig;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class CircleCiEmitBenchmarkTest {
    @Test
    void run_smoke_reportsThroughputFirst_andYamlThatReadsBackAsTheConfig() {
        CircleCiEmitBenchmark.Run run = CircleCiEmitBenchmark.run(CircleCiEmitBenchmark.Size.SMOKE, Scale.SMOKE.emit());

        assertThat(run.report().results()).extracting(Result::metric, Result::unit).containsExactly(
                tuple("emit-throughput", "MB/s"), tuple("emit-median-ms", "ms"), tuple("emit-yaml-size", "MB"));
        assertThat(run.report().results()).allSatisfy(r -> assertThat(r.value()).isPositive());
        assertThat(CircleCiConfig.parse(run.yaml(), "emitted.yml"))
                .isEqualTo(CircleCiEmitBenchmark.config(CircleCiEmitBenchmark.Size.SMOKE));
    }

    @Test
    void config_full_has5000RealisticJobsIn20Workflows_andPassesTheReferenceChecks() {
        CircleCiConfig config = CircleCiEmitBenchmark.config(CircleCiEmitBenchmark.Size.FULL);

        Map<?, ?> jobs = (Map<?, ?>) config.data().get("jobs");
        Map<?, ?> workflows = (Map<?, ?>) config.data().get("workflows");
        assertThat(jobs).hasSize(5_000);
        assertThat(workflows).hasSize(20);
        assertThat(config.check()).isEmpty();
        for (Object job : jobs.values()) {
            Map<?, ?> body = (Map<?, ?>) job;
            assertThat(List.<Object>copyOf(body.keySet())).contains("docker", "resource_class", "environment");
            assertThat((List<?>) body.get("steps")).hasSizeBetween(5, 10);
        }
        Set<Object> stepKinds = jobs.values().stream()
                .flatMap(j -> ((List<?>) ((Map<?, ?>) j).get("steps")).stream())
                .map(s -> ((Map<?, ?>) s).keySet().iterator().next()).collect(Collectors.toSet());
        assertThat(stepKinds).containsExactlyInAnyOrder("checkout", "restore_cache", "run", "save_cache",
                "store_artifacts", "persist_to_workspace", "store_test_results");
        for (Object workflow : workflows.values()) {
            List<?> entries = (List<?>) ((Map<?, ?>) workflow).get("jobs");
            assertThat(entries).hasSize(251);
            assertThat(entries).filteredOn(e -> e.toString().contains("type=approval")).hasSize(1);
        }
    }

    @Test
    void data_multiLineCommands_contextsFiltersAndRequires() {
        Map<String, Object> data = CircleCiEmitBenchmark.data(CircleCiEmitBenchmark.Size.SMOKE);

        assertThat(data.toString()).contains("command=set -euo pipefail\n./scripts/install.sh")
                .contains("context=[org-global, team-0]")
                .contains("filters={branches={only=[main, /release\\/.*/]}}")
                .contains("tags={only=[/^v\\d+\\.\\d+\\.\\d+$/]}")
                .contains("requires=[job-0004-integration-test, job-0003-package]")
                .contains("hold-workflow-01={type=approval, requires=[job-0035-deploy]");
    }

    @Test
    void size_mustSpreadJobsEvenly() {
        assertThatIllegalArgumentException().isThrownBy(() -> new CircleCiEmitBenchmark.Size(41, 2))
                .withMessage("jobs (41) must be a multiple of workflows (2)");
        assertThatIllegalArgumentException().isThrownBy(() -> new CircleCiEmitBenchmark.Size(8, 2))
                .withMessage("each workflow needs at least 5 jobs but gets 4");
    }
}
