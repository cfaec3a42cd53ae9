package dev.pipewright.circleci;

import static com.google.common.base.Preconditions.checkNotNull;

import dev.pipewright.Pipeline;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Keeps the committed {@code .circleci/config.yml} equal to what the pipeline's code generates.
 * Call it from a JUnit test so that a change to the pipeline without regenerating the YAML (or an
 * edit of the YAML by hand) fails the build with a readable diff:
 *
 * <pre>{@code
 * @Test
 * void circleCiConfigIsUpToDate() {
 *     CircleCiDrift.assertUpToDate(HousingApi.pipeline(), Path.of("../.circleci/config.yml"));
 * }
 * }</pre>
 *
 * @since 0.1
 */
public final class CircleCiDrift {
    private CircleCiDrift() {
    }

    /**
     * The unified diff from the committed file to the generated configuration; empty when they
     * are equal. A missing file differs from everything: the diff then adds every line. For a
     * pipeline with path filters, {@code committed} is the setup configuration and the
     * continuation next to it ({@code continue_config.yml} in the same folder) is compared too.
     *
     * @throws UncheckedIOException when a file exists but cannot be read
     */
    public static Optional<String> check(Pipeline pipeline, Path committed) {
        checkNotNull(pipeline, "pipeline");
        checkNotNull(committed, "committed");
        StringBuilder diffs = new StringBuilder();
        for (Map.Entry<String, String> file : CircleCiCompiler.generateAll(pipeline).entrySet()) {
            Path path = file.getKey().equals(CircleCiCompiler.CONFIG_FILE) ? committed
                    : committed.resolveSibling(Path.of(file.getKey()).getFileName());
            diffs.append(UnifiedDiff.of(path.toString(), read(path), "generated from pipeline '" + pipeline.name()
                    + "'", file.getValue()));
        }
        return diffs.length() == 0 ? Optional.empty() : Optional.of(diffs.toString());
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return "";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Checks that {@code committed} holds exactly what {@code pipeline} generates.
     *
     * @throws AssertionError with the unified diff and the command that regenerates the file
     */
    public static void assertUpToDate(Pipeline pipeline, Path committed) {
        Optional<String> diff = check(pipeline, committed);
        if (diff.isPresent()) {
            throw new AssertionError(committed + " is not what pipeline '" + pipeline.name() + "' generates."
                    + " Regenerate it with `generate " + pipeline.name() + " -o " + committed + "`.\n" + diff.get());
        }
    }
}
