package dev.pipewright.cli;

import dev.pipewright.Pipeline;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code list}: the pipelines, one name a line. */
@Command(name = "list", description = "Print the pipelines' names, one a line.")
final class ListCommand implements Callable<Integer> {
    private final Map<String, Pipeline> pipelines;

    @Spec
    CommandSpec spec;

    ListCommand(Map<String, Pipeline> pipelines) {
        this.pipelines = pipelines;
    }

    @Override
    public Integer call() {
        pipelines.keySet().forEach(spec.commandLine().getOut()::println);
        return Pipewright.OK;
    }
}
