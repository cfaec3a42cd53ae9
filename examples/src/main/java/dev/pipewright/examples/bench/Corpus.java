package dev.pipewright.examples.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The corpus of real CircleCI configurations kept beside the project in
 * {@code ../shared/corpus/circleci}, found by walking up from the working directory.
 */
final class Corpus {
    static final String RELATIVE = "shared/corpus/circleci";

    private Corpus() {
    }

    /** One configuration file's name, text and size. */
    record Input(String name, String text, long bytes) {
    }

    /**
     * The first {@code shared/corpus/circleci} beside {@code workingDirectory} or one of its parents.
     *
     * @throws UsageException naming every place looked at when there is none
     */
    static Path locate(Path workingDirectory) {
        List<Path> looked = new ArrayList<>();
        for (Path dir = workingDirectory.toAbsolutePath().normalize(); dir.getParent() != null; dir = dir.getParent()) {
            Path candidate = dir.resolveSibling(RELATIVE);
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
            looked.add(candidate);
        }
        throw new UsageException("no CircleCI corpus found; looked for " + RELATIVE + " beside " + workingDirectory
                + " and each of its parents: " + looked
                + ". Run from inside the project next to ../shared, or pass --corpus DIR.");
    }

    /**
     * The corpus's {@code .yml} files by name, or only those named in {@code only} (file names in
     * the corpus or paths), in the order given.
     *
     * @throws UsageException when the directory is missing or empty, or a named file is not there
     */
    static List<Path> files(Path dir, List<String> only) {
        if (!Files.isDirectory(dir)) {
            throw new UsageException("no corpus directory " + dir + ".");
        }
        if (!only.isEmpty()) {
            List<Path> files = new ArrayList<>();
            for (String name : only) {
                Path file = Files.isRegularFile(Path.of(name)) ? Path.of(name) : dir.resolve(name);
                if (!Files.isRegularFile(file)) {
                    throw new UsageException("--only " + name + ": no such file in " + dir + " nor as a path.");
                }
                files.add(file);
            }
            return files;
        }
        try (Stream<Path> list = Files.list(dir)) {
            List<Path> files = list.filter(f -> f.getFileName().toString().endsWith(".yml")).sorted().toList();
            if (files.isEmpty()) {
                throw new UsageException("the corpus directory " + dir + " holds no .yml files.");
            }
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads every file as UTF-8. */
    static List<Input> read(List<Path> files) {
        List<Input> inputs = new ArrayList<>();
        for (Path file : files) {
            try {
                String text = Files.readString(file, StandardCharsets.UTF_8);
                inputs.add(new Input(file.getFileName().toString(), text, text.getBytes(StandardCharsets.UTF_8).length));
            } catch (MalformedInputException e) {
                throw new UsageException(file + " is not UTF-8 text.");
            } catch (IOException e) {
                throw new UsageException("cannot read " + file + ": " + e.getMessage() + ".");
            }
        }
        return inputs;
    }
}
