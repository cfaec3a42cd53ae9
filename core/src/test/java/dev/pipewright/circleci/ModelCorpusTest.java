package dev.pipewright.circleci;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestReporter;

/**
 * Every real configuration in {@code ../shared/corpus/circleci}, one test each: its canonical data,
 * converted to the typed model and back, is equal to itself; the warnings (what the model kept
 * without typing) are published as report entries. Skipped when {@code ../shared} is absent.
 */
class ModelCorpusTest {

    @TestFactory
    Stream<DynamicTest> everyCorpusConfig_dataToModelToData_isEqual(TestReporter reporter) throws IOException {
        List<Path> files = CorpusRoundTripTest.corpusFiles();
        return files.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            CircleCiConfig parsed = CircleCiConfig.parse(Files.readString(file), file.getFileName().toString());

            assertThat(parsed.toData()).as("model data of %s", file.getFileName()).isEqualTo(parsed.data());
            assertThat(parsed.toBuilder().build().data()).isEqualTo(parsed.data());
            if (!parsed.warnings().isEmpty()) {
                reporter.publishEntry(file.getFileName().toString(), parsed.warnings().stream()
                        .map(ConfigProblem::toString).collect(Collectors.joining("\n")));
            }
        }));
    }
}
