package dev.pipewright.cli;

import dev.pipewright.circleci.CircleCiConfig;
import dev.pipewright.circleci.ConfigProblem;
import dev.pipewright.circleci.InvalidConfigException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code circleci}: commands on CircleCI configuration files. */
@Command(name = "circleci", description = "Work with CircleCI configuration files.",
        subcommands = {CircleCiCommand.Validate.class, CircleCiCommand.Roundtrip.class})
final class CircleCiCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("error: a circleci command is required.");
        spec.commandLine().usage(spec.commandLine().getErr());
        return Pipewright.USAGE;
    }

    /** Reads and parses {@code file}; a missing or unreadable file is a usage error. */
    static CircleCiConfig read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new UsageException("no such file: " + file + ".");
        } catch (MalformedInputException e) {
            throw new UsageException(file + " is not UTF-8 text.");
        } catch (IOException e) {
            throw new UsageException("cannot read " + file + ": " + e.getMessage() + ".");
        }
        return CircleCiConfig.parse(text, file.toString());
    }

    /** {@code circleci validate FILE...}: parse and check; exit 1 when any file is invalid. */
    @Command(name = "validate", description = "Parse CircleCI configs into the typed model and check their references;"
            + " report problems (FAIL) and keys the model keeps without knowing them (WARN) as file:line:column.")
    static final class Validate implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "FILE", arity = "1..*", description = "The configuration files.")
        List<Path> files;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            int invalid = 0;
            for (Path file : files) {
                List<ConfigProblem> problems;
                List<ConfigProblem> warnings = List.of();
                try {
                    CircleCiConfig config = read(file);
                    problems = config.check();
                    warnings = config.warnings();
                } catch (InvalidConfigException e) {
                    problems = e.problems();
                }
                warnings.forEach(w -> out.println("WARN " + w));
                if (problems.isEmpty()) {
                    out.println("OK " + file);
                } else {
                    invalid++;
                    problems.forEach(p -> out.println("FAIL " + p));
                }
            }
            if (files.size() > 1) {
                out.println((files.size() - invalid) + " valid, " + invalid + " invalid");
            }
            return invalid == 0 ? Pipewright.OK : Pipewright.NOT_OK;
        }
    }

    /** {@code circleci roundtrip FILE}: parse, then write the model back as YAML on stdout. */
    @Command(name = "roundtrip", description = "Parse a CircleCI config, then print the model as YAML.")
    static final class Roundtrip implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "The configuration file.")
        Path file;

        @Override
        public Integer call() {
            CircleCiConfig config;
            try {
                config = read(file);
            } catch (InvalidConfigException e) {
                e.problems().forEach(p -> spec.commandLine().getErr().println("error: " + p));
                return Pipewright.USAGE;
            }
            spec.commandLine().getOut().print(config.toYaml(List.of("Read from " + file.getFileName()
                    + " and written again by Pipewright.")));
            return Pipewright.OK;
        }
    }
}
