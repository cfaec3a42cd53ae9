package dev.pipewright.cli;

import dev.pipewright.JavaStep;
import dev.pipewright.OrbStep;
import dev.pipewright.Pipeline;
import dev.pipewright.ShellStep;
import dev.pipewright.Stage;
import dev.pipewright.internal.JobSteps;
import dev.pipewright.spi.Plugin;
import dev.pipewright.circleci.CircleCiCompiler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
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

    private final Supplier<List<Plugin>> plugins;

    GenerateCommand(Map<String, Pipeline> pipelines, Supplier<List<Plugin>> plugins) {
        this.pipelines = pipelines;
        this.plugins = plugins;
    }

    @Override
    public Integer call() {
        Pipeline pipeline = Pipelines.find(pipelines, name);
        Map<String, String> files = CircleCiCompiler.generateAll(pipeline);
        warnAboutUnlaunchableSteps(pipeline);
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

    /**
     * Warns about steps the generated jobs run through the launcher ({@code step NAME STAGE N})
     * although no plugin of this command line runs their type: the jobs would fail in CI.
     */
    private void warnAboutUnlaunchableSteps(Pipeline pipeline) {
        Set<String> launchable = new HashSet<>(Set.of(ShellStep.TYPE, JavaStep.TYPE, OrbStep.TYPE));
        plugins.get().forEach(p -> p.stepHandlers().forEach(h -> launchable.add(h.type())));
        for (Stage stage : pipeline.stages()) {
            for (JobSteps.Entry e : JobSteps.of(pipeline, stage)) {
                if (!launchable.contains(e.step().type())) {
                    spec.commandLine().getErr().println("warning: stage '" + stage.name() + "' > " + e.path() + " is a '"
                            + e.step().type() + "' step; its CircleCI job runs it with the launcher's step command,"
                            + " and no plugin of this command line runs that type. Register the module's plugin in"
                            + " your launcher's Pipewright.main(args, plugins, ...).");
                }
            }
        }
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
