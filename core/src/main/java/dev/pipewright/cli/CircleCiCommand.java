package dev.pipewright.cli;

import dev.pipewright.circleci.CircleCiConfig;
import dev.pipewright.circleci.ConfigProblem;
import dev.pipewright.circleci.ImportSource;
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
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code circleci}: commands on CircleCI configuration files. */
@Command(name = "circleci", description = "Work with CircleCI configuration files.",
        subcommands = {CircleCiCommand.Validate.class, CircleCiCommand.Roundtrip.class,
            CircleCiCommand.Import.class})
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

    /**
     * {@code circleci import FILE [--class NAME] [--package P] [-o OUT.java] [--force]}: Java source
     * that rebuilds the configuration; see {@link ImportSource}.
     */
    @Command(name = "import", description = "Print (or write to OUT.java) Java source that rebuilds a CircleCI config:"
            + " a pipeline with environments, gates and roles where the config is one's compiled form, else the"
            + " config's typed model. Its main prints the YAML.")
    static final class Import implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "The configuration file, such as .circleci/config.yml.")
        Path file;

        @Option(names = "--class", paramLabel = "NAME",
                description = "The class's name; by default OUT's name, else one made of FILE's name.")
        String className;

        @Option(names = "--package", paramLabel = "P", description = "The class's package; none by default.")
        String packageName = "";

        @Option(names = {"-o", "--output"}, paramLabel = "OUT.java", description = "Write to OUT.java instead of printing.")
        Path output;

        @Option(names = "--force", description = "Write over OUT.java when it exists.")
        boolean force;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            String name = className();
            if (output != null && Files.exists(output) && !force) {
                throw new UsageException(output + " exists; pass --force to write over it.");
            }
            ImportSource source;
            try {
                source = ImportSource.generate(text(file), file.toString(), packageName, name);
            } catch (InvalidConfigException e) {
                e.problems().forEach(p -> err.println("error: " + p));
                return Pipewright.USAGE;
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage() + ".");
            }
            source.warnings().forEach(w -> err.println("warning: " + w));
            if (output == null) {
                spec.commandLine().getOut().print(source.javaSource());
                return Pipewright.OK;
            }
            GenerateCommand.write(output, source.javaSource());
            spec.commandLine().getOut().println("wrote " + output + ": class " + source.qualifiedName() + " builds "
                    + (source.form() == ImportSource.Form.PIPELINE ? "a pipeline" : "the configuration") + ".");
            return Pipewright.OK;
        }

        /** The class's name: as given, else OUT.java's, which javac requires, else one made of FILE's name. */
        private String className() {
            String fromOutput = output == null ? null : output.getFileName().toString().replaceFirst("\\.java$", "");
            if (output != null && !output.getFileName().toString().endsWith(".java")) {
                throw new UsageException("-o " + output + " is no .java file; name it after the class, such as "
                        + (className == null ? "Config" : className) + ".java.");
            }
            if (className != null && fromOutput != null && !className.equals(fromOutput)) {
                throw new UsageException("class " + className + " must be written to " + className + ".java, not "
                        + output.getFileName() + ": javac requires the names to match.");
            }
            if (className != null) {
                return className;
            }
            return fromOutput != null ? fromOutput : ImportSource.className(file.getFileName().toString());
        }

        private static String text(Path file) {
            try {
                return Files.readString(file, StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                throw new UsageException("no such file: " + file + ".");
            } catch (MalformedInputException e) {
                throw new UsageException(file + " is not UTF-8 text.");
            } catch (IOException e) {
                throw new UsageException("cannot read " + file + ": " + e.getMessage() + ".");
            }
        }
    }
}
