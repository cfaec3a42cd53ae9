package dev.pipewright.cli;

import dev.pipewright.Pipeline;
import dev.pipewright.circleci.CircleCiDrift;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code check NAME FILE}: drift check; exit 1 with a unified diff when FILE differs from the generated config. */
@Command(name = "check", description = "Check that FILE holds exactly the CircleCI configuration the pipeline generates;"
        + " print a diff and exit 1 when it does not.")
final class CheckCommand implements Callable<Integer> {
    private final Map<String, Pipeline> pipelines;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "The pipeline.")
    String name;

    @Parameters(index = "1", paramLabel = "FILE", description = "The committed configuration, such as .circleci/config.yml.")
    Path file;

    CheckCommand(Map<String, Pipeline> pipelines) {
        this.pipelines = pipelines;
    }

    @Override
    public Integer call() {
        Pipeline pipeline = Pipelines.find(pipelines, name);
        if (!Files.isRegularFile(file)) {
            throw new UsageException("no such file: " + file + ". Create it with: generate " + name + " -o " + file);
        }
        Optional<String> diff = CircleCiDrift.check(pipeline, file);
        if (diff.isEmpty()) {
            spec.commandLine().getOut().println(file + " is up to date with pipeline '" + name + "'.");
            return Pipewright.OK;
        }
        spec.commandLine().getOut().print(diff.get());
        spec.commandLine().getErr().println(file + " differs from what pipeline '" + name + "' generates."
                + " Regenerate it with: generate " + name + " -o " + file);
        return Pipewright.NOT_OK;
    }
}
