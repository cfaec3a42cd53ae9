package dev.pipewright.examples.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipewright.cli.Pipewright;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** The {@code secrets} benchmark at the smoke size: it runs, finds what it planted and reports; never how fast. */
class SecretsBenchmarkTest {
    @TempDir
    Path temp;

    @Test
    void run_smoke_reportsThroughputsFirstAndFindsEveryPlantedSecret() {
        Report report = SecretsBenchmark.run(SecretsBenchmark.Size.SMOKE);

        assertThat(report.results()).extracting(Result::metric).startsWith(
                "large-files-throughput", "small-files-throughput", "large-files-baseline-read-throughput",
                "small-files-baseline-read-throughput");
        assertThat(report.results()).allSatisfy(r -> assertThat(r.value()).isPositive());
        double planted = value(report, "planted-secrets");
        assertThat(value(report, "large-files-findings") + value(report, "small-files-findings")).isEqualTo(planted);
    }

    @Test
    void write_givesTheAskedSizeAndPlantsASecretPer500KbInLargeFilesAndOneIn50SmallFiles() throws Exception {
        SecretsBenchmark.Tree large = SecretsBenchmark.write(temp.resolve("large"), 2, 1_000_000, 1);
        SecretsBenchmark.Tree small = SecretsBenchmark.write(temp.resolve("small"), 100, 3_000, 2);

        assertThat(large.bytes()).isBetween(2_000_000L, 2_002_000L);
        assertThat(large.planted()).isEqualTo(4);
        assertThat(small.files()).isEqualTo(100);
        assertThat(small.planted()).isEqualTo(2);
        try (Stream<Path> files = Files.walk(temp.resolve("small"))) {
            assertThat(files.filter(Files::isRegularFile).count()).isEqualTo(100);
        }
    }

    @Test
    void text_sameSeed_sameText() {
        assertThat(SecretsBenchmark.text(SecretsBenchmark.Language.JAVA, 10_000, true, new Random(3)))
                .isEqualTo(SecretsBenchmark.text(SecretsBenchmark.Language.JAVA, 10_000, true, new Random(3)));
    }

    @Test
    void benchCommand_secretsJson_printsOneObjectAMetric() {
        StringWriter out = new StringWriter();
        int code = Bench.execute(new String[] {"secrets", "--json"}, new PrintWriter(out), new PrintWriter(new StringWriter()),
                Scale.SMOKE, temp);

        assertThat(code).isEqualTo(Pipewright.OK);
        List<JsonNode> lines = out.toString().lines().map(new ObjectMapper()::readTree).toList();
        assertThat(lines.get(0).get("name").asString()).isEqualTo("secrets");
        assertThat(lines.get(0).get("metric").asString()).isEqualTo("large-files-throughput");
        assertThat(lines.get(0).get("unit").asString()).isEqualTo("MB/s");
        assertThat(lines.get(1).get("metric").asString()).isEqualTo("small-files-throughput");
    }

    private static double value(Report report, String metric) {
        return report.results().stream().filter(r -> r.metric().equals(metric)).findFirst().orElseThrow().value();
    }
}
