package dev.pipewright.circleci;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipewright.Ref;
import dev.pipewright.Stage;
import dev.pipewright.spi.Facts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestReporter;

/**
 * Every real configuration in {@code ../shared/corpus/circleci}, every workflow of it, translated
 * for a local run on {@code main}: each gives a pipeline or positioned problems, never an exception.
 * What it gives is published as a report entry. Skipped when {@code ../shared} is absent.
 */
class LocalWorkflowCorpusTest {
    private static final Facts MAIN = Facts.builder().ref(Ref.branch("main")).commit("4f1c2d3e4f1c2d3e").build();

    @TestFactory
    Stream<DynamicTest> everyCorpusWorkflow_givesAPipelineOrPositionedProblems(TestReporter reporter) throws IOException {
        List<Path> files = CorpusRoundTripTest.corpusFiles();
        return files.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            CircleCiConfig config = CircleCiConfig.parse(Files.readString(file), file.getFileName().toString());
            List<String> names = new ArrayList<>(config.workflows().keySet());
            if (names.isEmpty()) {
                names.add(null);
            }
            List<String> report = new ArrayList<>();
            for (String workflow : names) {
                LocalWorkflow local = LocalWorkflow.of(config, workflow, MAIN);

                assertThat(local.pipeline().isPresent()).as("%s %s: a pipeline xor problems %s", file.getFileName(),
                        workflow, local.problems()).isNotEqualTo(!local.problems().isEmpty());
                assertThat(local.problems()).allSatisfy(p -> {
                    assertThat(p.file()).isEqualTo(file.getFileName().toString());
                    assertThat(p.line()).as("line of %s", p).isPositive();
                    assertThat(p.message()).isNotBlank().doesNotContain("Exception");
                });
                report.add(workflow + ": " + local.pipeline().map(p -> p.stages().stream().map(Stage::name)
                        .collect(Collectors.joining(", ", "stages [", "]"))).orElse(local.problems().stream()
                        .map(ConfigProblem::toString).collect(Collectors.joining("\n  ", "problems:\n  ", ""))));
            }
            reporter.publishEntry(file.getFileName().toString(), String.join("\n", report));
        }));
    }
}
