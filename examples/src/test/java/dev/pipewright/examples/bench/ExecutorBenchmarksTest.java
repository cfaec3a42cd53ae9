package dev.pipewright.examples.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.pipewright.cli.Pipewright;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** The executor benchmarks through the {@code bench} command, at the smoke size: nothing here checks speed. */
class ExecutorBenchmarksTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int bench(String... args) {
        return Bench.execute(args, new PrintWriter(out), new PrintWriter(err), Scale.SMOKE, temp);
    }

    @Test
    void overhead_json_printsOneObjectAMetric_withTheFourKeys() {
        assertThat(bench("executor-overhead", "--json")).isZero();

        List<JsonNode> lines = out.toString().lines().map(JSON::readTree).toList();
        assertThat(lines).extracting(l -> l.get("metric").asString())
                .containsExactly("runner-vs-bare", "runner-per-stage", "bare-per-stage", "journal-per-stage");
        assertThat(lines).allSatisfy(l -> {
            assertThat(l.propertyNames()).containsExactly("name", "metric", "value", "unit");
            assertThat(l.get("name").asString()).isEqualTo("executor-overhead");
            assertThat(l.get("value").isNumber()).isTrue();
        });
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void makespan_withoutJson_printsASummaryAndAlignedMetrics() {
        assertThat(bench("executor-makespan")).isZero();

        assertThat(out.toString().lines().toList()).hasSize(5);
        assertThat(out.toString()).startsWith("executor-makespan: 12 stages sleeping 10 to 50 ms")
                .containsPattern("\n  makespan-vs-critical-path +[0-9.]+ x\n")
                .containsPattern("\n  critical-path +[0-9.]+ ms\n");
    }

    @Test
    void shell_runsOrSaysWhyItWasSkipped() {
        assertThat(bench("executor-shell", "--json")).isZero();

        if (ExecutorShellBenchmark.missing("make").isEmpty()) {
            assertThat(out.toString().lines().map(JSON::readTree).map(l -> l.get("metric").asString()))
                    .containsExactly("runner-vs-make", "runner", "make", "jdk-floor-vs-make", "runner-vs-jdk-floor");
        } else {
            assertThat(out.toString()).isEmpty();
            assertThat(err.toString()).startsWith("executor-shell: skipped: ");
        }
    }

    @Test
    void optionsOfOtherBenchmarks_exit2() {
        assertThat(bench("executor-overhead", "--dump", "x.yml")).isEqualTo(Pipewright.USAGE);
        assertThat(err.toString()).contains("error: --dump applies to circleci-emit, not to executor-overhead.");

        assertThat(bench("executor-shell", "--only", "a.yml")).isEqualTo(Pipewright.USAGE);
        assertThat(err.toString())
                .contains("error: --corpus and --only apply to circleci-parse, not to executor-shell.");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void help_namesTheExecutorBenchmarks() {
        assertThat(bench("--help")).isZero();

        assertThat(out.toString()).contains("executor-overhead:", "executor-makespan:", "executor-shell:");
    }

    @Test
    void run_refusesAnotherBenchmark() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ExecutorBenchmarks.run("circleci-emit", false, new PrintWriter(err)))
                .withMessage("'circleci-emit' is not an executor benchmark");
    }
}
