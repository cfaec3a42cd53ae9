package dev.pipewright.cli;

import dev.pipewright.Gate;
import dev.pipewright.Pipeline;
import dev.pipewright.Stage;
import dev.pipewright.circleci.CircleCiConfig;
import dev.pipewright.circleci.ConfigProblem;
import dev.pipewright.circleci.ImportSource;
import dev.pipewright.circleci.InvalidConfigException;
import dev.pipewright.circleci.LocalWorkflow;
import dev.pipewright.run.Approvers;
import dev.pipewright.run.ConsoleReporter;
import dev.pipewright.run.LocalRunner;
import dev.pipewright.spi.Approver;
import dev.pipewright.spi.Facts;
import dev.pipewright.spi.Plugin;
import dev.pipewright.spi.RepositoryFacts;
import dev.pipewright.spi.RunResult;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code circleci}: commands on CircleCI configuration files. */
@Command(name = "circleci", description = "Work with CircleCI configuration files.",
        subcommands = {CircleCiCommand.Validate.class, CircleCiCommand.Roundtrip.class, CircleCiCommand.Run.class,
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
     * {@code circleci run FILE}: runs a workflow of a CircleCI configuration on this machine with
     * the local runner; exit 0 when it succeeds, 1 when it fails or is cancelled, 2 for a usage or
     * input error (each problem on a line of its own, with file:line:column).
     */
    @Command(name = "run", description = {"Run a workflow of a CircleCI config on this machine: its jobs as stages,"
            + " in the order their requires give, steps in this host's shell (Docker, machine and macOS images are"
            + " not used).",
        "Runs are journaled (resumable with --resume) under --journal, <repo>/.pipewright/runs by default; caches"
            + " are kept next to it, in caches/."})
    static final class Run implements Callable<Integer> {
        private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
        private static final Duration STOP_WAIT = Duration.ofSeconds(60);

        private final Supplier<List<Plugin>> plugins;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "The configuration file, such as .circleci/config.yml.")
        Path file;

        Run(Supplier<List<Plugin>> plugins) {
            this.plugins = plugins;
        }

        @Option(names = "--workflow", paramLabel = "W", description = "The workflow to run; without it, the only one.")
        @Nullable String workflow;

        @ArgGroup(exclusive = true)
        PlanCommand.@Nullable RefOption ref;

        @Option(names = "--approve", paramLabel = "all|none|GATE,...", description = "Decide approval jobs: all, none,"
                + " or the approval jobs (gates) to approve. Without it, asked on the terminal, or refused when there"
                + " is none.")
        @Nullable String approve;

        @Option(names = "--jobs", paramLabel = "N", description = "How many jobs may run at once; the number of"
                + " cores by default.")
        @Nullable Integer jobs;

        @Option(names = "--journal", paramLabel = "DIR", description = "Journal runs in DIR/<run id>/ (journal,"
                + " reports, artifacts, workspace); <repo>/.pipewright/runs by default.")
        @Nullable Path journal;

        @Option(names = "--resume", paramLabel = "RUN", description = "Go on with run RUN: jobs that succeeded are"
                + " not run again. Give the same --branch/--tag, --workflow and parameters.")
        @Nullable String resume;

        @Option(names = "--env-file", paramLabel = "FILE", description = "KEY=VALUE lines (blank lines and # comments"
                + " allowed) exported to every job as secrets, masked in all output: what contexts and project"
                + " variables give on CircleCI.")
        @Nullable Path envFile;

        @Option(names = "--repo", paramLabel = "DIR", description = "The repository the jobs run in (their working"
                + " directory stands for it); the current folder by default.")
        Path repo = Path.of(".");

        @Option(names = "--parameter", paramLabel = "NAME=VALUE", description = "A pipeline parameter's value;"
                + " repeat for several.")
        Map<String, String> parameters = new LinkedHashMap<>();

        @Option(names = "--caches", paramLabel = "DIR", description = "Where save_cache keeps caches across runs;"
                + " by default caches/ next to the journal folder.")
        @Nullable Path caches;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (jobs != null && jobs < 1) {
                throw new UsageException("--jobs must be at least 1 but was " + jobs + ".");
            }
            if (!Files.isDirectory(repo)) {
                throw new UsageException("--repo " + repo + " is not a folder.");
            }
            Path workspace = repo.toAbsolutePath().normalize();
            Map<String, String> secrets = envFile == null ? Map.of() : environmentFile(envFile);
            CircleCiConfig config;
            try {
                config = read(file);
            } catch (InvalidConfigException e) {
                e.problems().forEach(p -> err.println("error: " + p));
                return Pipewright.USAGE;
            }
            List<Plugin> discovered = plugins.get();
            Facts facts = facts(workspace, discovered);
            Path journalFolder = (journal != null ? journal : workspace.resolve(".pipewright").resolve("runs"))
                    .toAbsolutePath().normalize();
            Path cachesFolder = caches != null ? caches : journalFolder.resolveSibling("caches");
            if (caches != null) { // the journal's folder is checked as the run starts, before any job
                requireFolder("--caches", caches);
            }
            LocalWorkflow.Builder wb = LocalWorkflow.builder(config).facts(facts).secrets(secrets).caches(cachesFolder);
            if (workflow != null) {
                wb.workflow(workflow);
            }
            parameters.forEach(wb::putParameter);
            LocalWorkflow local = wb.build();
            if (!local.problems().isEmpty()) {
                local.problems().forEach(p -> err.println("error: " + p));
                err.println(local.problems().size() + (local.problems().size() == 1 ? " problem" : " problems")
                        + " in " + file + "; nothing was run.");
                return Pipewright.USAGE;
            }
            Approver approver = approver(local.pipelineOrThrow());
            local.notes().forEach(n -> out.println("note: " + n));
            out.flush();
            PrintStream console = new PrintStream(new WriterOutputStream(out), true, StandardCharsets.UTF_8);
            LocalRunner.Builder rb = LocalRunner.builder()
                    .workspace(workspace)
                    .journal(journalFolder)
                    .facts(facts)
                    .approver(approver)
                    .secrets(local.secrets())
                    .discover(false)
                    .addPlugin(local.plugin())
                    .addListener(System.console() != null ? ConsoleReporter.live(console) : ConsoleReporter.plain(console));
            discovered.forEach(rb::addPlugin);
            if (jobs != null) {
                rb.concurrency(jobs);
            }
            LocalRunner runner = rb.build();
            RunResult result;
            try {
                result = runWithSignals(runner, local);
            } catch (UncheckedIOException e) {
                throw new UsageException("the run could not start: " + e.getMessage());
            }
            console.flush();
            if (result.exitCode() != 0) {
                out.println("  with the same options: " + resumeCommand(result.runId()));
            }
            out.flush();
            return result.exitCode();
        }

        /** Runs, cancelling the run (its processes stopped, its hooks run) on SIGINT or SIGTERM. */
        private RunResult runWithSignals(LocalRunner runner, LocalWorkflow local) {
            CountDownLatch done = new CountDownLatch(1);
            Thread hook = new Thread(() -> {
                runner.cancel();
                try {
                    done.await(STOP_WAIT.toSeconds(), TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "pipewright-circleci-run-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                return resume == null ? runner.run(local.pipelineOrThrow())
                        : runner.resume(local.pipelineOrThrow(), resume);
            } finally {
                done.countDown();
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException e) {
                    // The JVM is shutting down: the hook is running and has been let go.
                }
            }
        }

        /** {@code --approve}, whose names must be approval jobs (gates) or jobs (stages) behind one. */
        private Approver approver(Pipeline pipeline) {
            if (approve != null) {
                String spec = approve.strip();
                if (!spec.equals("all") && !spec.equals("none")) {
                    Set<String> known = new LinkedHashSet<>();
                    for (Stage s : pipeline.stages()) {
                        s.gates().stream().filter(Gate::isManualApproval).forEach(g -> {
                            known.add(g.name());
                            known.add(s.name());
                        });
                    }
                    try {
                        for (String n : Approvers.names(spec)) {
                            if (!known.contains(n)) {
                                throw new UsageException("--approve names '" + n + "', but the workflow has no such"
                                        + " approval; approval jobs and the jobs behind them: " + known
                                        + ". Use one of them, all or none.");
                            }
                        }
                    } catch (IllegalArgumentException e) {
                        throw new UsageException(e.getMessage() + ".");
                    }
                }
                return Approvers.parse(spec);
            }
            if (System.console() != null) {
                return Approvers.console(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)),
                        System.out, System.getProperty("user.name", "console"));
            }
            return Approvers.none();
        }

        /** The branch or tag from the options, the commit and the rest from the repository when a plugin reads it. */
        private Facts facts(Path workspace, List<Plugin> plugins) {
            Facts read = Facts.NONE;
            for (Plugin p : plugins) {
                Optional<RepositoryFacts> reader = p.repositoryFacts();
                if (reader.isPresent()) {
                    try {
                        read = reader.get().read(workspace).orElse(Facts.NONE);
                    } catch (Exception e) {
                        throw new UsageException("cannot read the repository at " + workspace + " (" + p.name() + "): "
                                + e.getMessage() + ".");
                    }
                    break;
                }
            }
            if (ref != null) {
                return read.toBuilder().ref(ref.toRef()).build();
            }
            if (read.ref().isEmpty()) {
                throw new UsageException("the branch or tag to run for is unknown (no repository reader found it at "
                        + workspace + "). Pass --branch NAME or --tag NAME.");
            }
            return read;
        }

        /**
         * Checks that option {@code option}'s {@code folder} is a folder or can be created as one:
         * it, or else the nearest of its parents that exists, is a folder.
         *
         * @throws UsageException naming the option and the file in the way
         */
        private static void requireFolder(String option, Path folder) {
            Path absolute = folder.toAbsolutePath().normalize();
            for (Path p = absolute; p != null; p = p.getParent()) {
                if (Files.isDirectory(p)) {
                    return;
                }
                if (Files.exists(p)) {
                    throw new UsageException(option + " " + folder + " is not a folder: " + (p.equals(absolute) ? "it"
                            : p) + " is a file. Give a folder; it is created if missing.");
                }
            }
        }

        /**
         * The variables of an environment file: {@code KEY=VALUE} lines, blank lines and {@code #}
         * comments allowed, an optional {@code export } in front; a value wrapped in one pair of
         * matching quotes loses them.
         *
         * @throws UsageException naming FILE:line of the first malformed line
         */
        static Map<String, String> environmentFile(Path file) {
            List<String> lines;
            try {
                lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                throw new UsageException("--env-file: no such file: " + file + ".");
            } catch (MalformedInputException e) {
                throw new UsageException("--env-file: " + file + " is not UTF-8 text.");
            } catch (IOException e) {
                throw new UsageException("--env-file: cannot read " + file + ": " + e.getMessage() + ".");
            }
            Map<String, String> values = new LinkedHashMap<>();
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                if (line.startsWith("export ")) {
                    line = line.substring("export ".length()).strip();
                }
                int eq = line.indexOf('=');
                String key = eq < 0 ? line : line.substring(0, eq).strip();
                if (eq < 0 || !VARIABLE.matcher(key).matches()) {
                    throw new UsageException(file + ":" + (i + 1) + ": expected KEY=VALUE, with KEY made of letters,"
                            + " digits and _ (not starting with a digit); found '" + shorten(key) + "'"
                            + (eq < 0 ? " with no '='" : "") + ".");
                }
                String value = line.substring(eq + 1).strip();
                if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                        || value.startsWith("'") && value.endsWith("'"))) {
                    value = value.substring(1, value.length() - 1);
                }
                values.put(key, value);
            }
            return values;
        }

        /** The start of what was found, never a whole line: it may hold a value. */
        private static String shorten(String text) {
            String first = text.split("\\s", 2)[0];
            return first.length() > 40 ? first.substring(0, 40) + "..." : first;
        }

        private String resumeCommand(String runId) {
            StringBuilder c = new StringBuilder("pipewright circleci run ").append(file);
            if (workflow != null) {
                c.append(" --workflow ").append(workflow);
            }
            if (ref != null && ref.branch != null) {
                c.append(" --branch ").append(ref.branch);
            } else if (ref != null && ref.tag != null) {
                c.append(" --tag ").append(ref.tag);
            }
            parameters.forEach((k, v) -> c.append(" --parameter ").append(k).append('=').append(v));
            if (envFile != null) {
                c.append(" --env-file ").append(envFile);
            }
            if (journal != null) {
                c.append(" --journal ").append(journal);
            }
            if (!repo.equals(Path.of("."))) {
                c.append(" --repo ").append(repo);
            }
            return c.append(" --resume ").append(runId).toString();
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
                    + (source.form() == ImportSource.Form.PIPELINE ? "a pipeline" : "the configuration")
                    + (source.environments().isEmpty() ? "" : " with environments "
                            + String.join(", ", source.environments())) + ".");
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
