package dev.pipewright.cli;

import picocli.CommandLine.Command;

/** {@code pipewright}: without a subcommand, prints the usage and exits 2. */
@Command(name = "pipewright", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Typed delivery pipelines: plan them, export them to CircleCI, check CircleCI configs.",
        subcommands = {ListCommand.class, GenerateCommand.class, CheckCommand.class, PlanCommand.class,
            RunCommand.class, CircleCiCommand.class, JobCommands.GateCommand.class, JobCommands.StepCommand.class})
final class RootCommand implements java.util.concurrent.Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("error: a command is required.");
        spec.commandLine().usage(spec.commandLine().getErr());
        return Pipewright.USAGE;
    }
}
