package dev.pipewright.cli;

import dev.pipewright.Pipeline;
import dev.pipewright.circleci.CircleCiCompiler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code generate NAME [-o FILE]}: the pipeline's CircleCI configuration. */
@Command(name = "generate", description = "Print (or write to FILE) the CircleCI configuration of a pipeline.")
final class GenerateCommand implements Callable<Integer> {
    private final Map<String, Pipeline> pipelines;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "The pipeline.")
    String name;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE instead of printing.")
    Path output;

    GenerateCommand(Map<String, Pipeline> pipelines) {
        this.pipelines = pipelines;
    }

    @Override
    public Integer call() {
        Map<String, String> files = CircleCiCompiler.generateAll(Pipelines.find(pipelines, name));
        if (output == null) {
            if (files.size() > 1) {
                throw new UsageException("pipeline '" + name + "' has path filters, so its CircleCI configuration is"
                        + " two files: a setup workflow and its continuation. Write them with -o "
                        + CircleCiCompiler.CONFIG_FILE + " (the continuation goes next to it).");
            }
            spec.commandLine().getOut().print(files.get(CircleCiCompiler.CONFIG_FILE));
            return Pipewright.OK;
        }
        for (Map.Entry<String, String> file : files.entrySet()) {
            Path target = file.getKey().equals(CircleCiCompiler.CONFIG_FILE) ? output
                    : output.resolveSibling(Path.of(file.getKey()).getFileName());
            write(target, file.getValue());
            spec.commandLine().getOut().println("wrote " + target);
        }
        return Pipewright.OK;
    }

    /** Writes through a temporary file and a rename, so a crash never leaves half a config behind. */
    static void write(Path file, String text) {
        Path absolute = file.toAbsolutePath();
        try {
            Files.createDirectories(absolute.getParent());
            Path temporary = Files.createTempFile(absolute.getParent(), ".pipewright-", ".tmp");
            try {
                Files.writeString(temporary, text, StandardCharsets.UTF_8);
                try {
                    Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException e) {
            throw new UsageException("cannot write " + file + ": " + e.getMessage() + ".");
        }
    }
}
