package dev.pipewright.circleci;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every real configuration in {@code ../shared/corpus/circleci} imports to Java source that
 * compiles, and builds a configuration with the same data as the file. The sources are compiled
 * in one compiler call; each file's result is printed. Skipped when {@code ../shared} is absent.
 */
class ImportCorpusTest {
    @TempDir
    Path dir;

    @Test
    void everyCorpusConfig_importsToSourceThatCompilesAndRebuildsTheSameData() throws IOException {
        List<Path> files = CorpusRoundTripTest.corpusFiles();
        Map<Path, ImportSource> sources = new LinkedHashMap<>();
        long start = System.nanoTime();
        for (Path file : files) {
            String name = file.getFileName().toString();
            sources.put(file, ImportSource.generate(Files.readString(file), name, "imported", ImportSource.className(name)));
        }
        long generated = System.nanoTime();
        ImportCompilation compiled = ImportCompilation.of(List.copyOf(sources.values()), dir);
        long done = System.nanoTime();

        List<String> failures = new ArrayList<>();
        int pipelines = 0;
        int environments = 0;
        for (Map.Entry<Path, ImportSource> e : sources.entrySet()) {
            String name = e.getKey().getFileName().toString();
            ImportSource source = e.getValue();
            CircleCiConfig input = CircleCiConfig.parse(Files.readString(e.getKey()), name);
            boolean same = compiled.config(source).data().equals(input.data());
            pipelines += source.form() == ImportSource.Form.PIPELINE ? 1 : 0;
            environments += source.environments().isEmpty() ? 0 : 1;
            System.out.printf("import %-55s %s: %s, %d lines%s%n", name, same ? "OK" : "DIFFERENT DATA",
                    source.form() == ImportSource.Form.PIPELINE ? "pipeline" : "configuration",
                    source.javaSource().lines().count(), source.environments().isEmpty() ? ""
                            : ", environments " + String.join(", ", source.environments()));
            if (!same) {
                failures.add(name);
            }
        }
        System.out.printf("import: %d corpus files, %d compile and rebuild the same data, %d as pipelines, %d with"
                + " environments; generated in %d ms, compiled in %d ms%n", files.size(), files.size() - failures.size(),
                pipelines, environments, (generated - start) / 1_000_000, (done - generated) / 1_000_000);
        assertThat(failures).as("files whose imported source builds other data").isEmpty();
    }
}
