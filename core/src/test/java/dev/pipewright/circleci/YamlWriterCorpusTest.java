package dev.pipewright.circleci;

import static dev.pipewright.circleci.YamlTrees.asTree;
import static dev.pipewright.circleci.YamlTrees.normalized;
import static dev.pipewright.circleci.YamlTrees.readCoreSchema;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Real configs from {@code ../shared/corpus/circleci}; skipped in a fresh clone without it. */
class YamlWriterCorpusTest {
    private static final Path CORPUS = CorpusRoundTripTest.corpus().orElse(Path.of("absent"));

    static Stream<String> corpusFiles() throws IOException {
        if (!Files.isDirectory(CORPUS)) {
            return Stream.of("(no corpus)");
        }
        return CorpusRoundTripTest.corpusFiles().stream().map(f -> f.getFileName().toString());
    }

    @ParameterizedTest
    @MethodSource("corpusFiles")
    void write_corpusConfig_readsBackAsTheSameTreeAndRewritesIdentically(String file) throws IOException {
        assumeTrue(Files.isDirectory(CORPUS), "../shared/corpus/circleci is absent");
        Map<String, @Nullable Object> tree = asTree(readCoreSchema(
                Files.readString(CORPUS.resolve(file), StandardCharsets.UTF_8)));

        String yaml = YamlWriter.write(tree, List.of("Generated from " + file));

        // The writer uses CircleCI's short forms (- checkout, - run: cmd), so compare canonical forms;
        // snakeyaml's own reader is used here as a check independent of Pipewright's.
        assertThat(normalized(Canonical.config(readCoreSchema(yaml)))).isEqualTo(normalized(Canonical.config(tree)));
        assertThat(YamlWriter.write(asTree(readCoreSchema(yaml)), List.of("Generated from " + file)))
                .isEqualTo(yaml);
    }
}
