package dev.pipewright.examples.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class CircleCiParseBenchmarkTest {
    /** The real corpus, when {@code ../shared} is there (it is not in a fresh clone). */
    @Test
    void run_smoke_overTheCorpus_parsesEveryFile() {
        Path dir;
        try {
            dir = Corpus.locate(Path.of("").toAbsolutePath());
        } catch (UsageException e) {
            Assumptions.abort("../shared/corpus/circleci is absent");
            return;
        }
        List<Corpus.Input> inputs = Corpus.read(Corpus.files(dir, List.of()));

        Report report = CircleCiParseBenchmark.run(inputs, Scale.SMOKE.parse());

        assertThat(inputs).hasSizeGreaterThanOrEqualTo(60);
        assertThat(report.results().get(0).metric()).isEqualTo("parse-throughput");
        assertThat(report.results().get(0).value()).isPositive();
        assertThat(report.results().get(2).value()).isEqualTo(inputs.size());
        assertThat(report.summary()).contains("parsed 2 times");
    }

    @Test
    void read_countsUtf8Bytes() throws Exception {
        Path file = Files.createTempFile("corpus", ".yml");
        try {
            Files.writeString(file, "name: café\n");
            assertThat(Corpus.read(List.of(file))).singleElement().extracting(Corpus.Input::bytes).isEqualTo(12L);
        } finally {
            Files.delete(file);
        }
    }
}
