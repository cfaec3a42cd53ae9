package dev.pipewright.cli;

import dev.pipewright.Gate;
import dev.pipewright.Pipeline;
import dev.pipewright.Stage;
import dev.pipewright.run.Approvers;
import dev.pipewright.run.ConsoleReporter;
import dev.pipewright.run.LocalCredentials;
import dev.pipewright.run.LocalRunner;
import dev.pipewright.spi.Approver;
import dev.pipewright.spi.Plugin;
import dev.pipewright.spi.RunResult;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code run NAME [--repo DIR] [--branch B | --tag T] [--approve ...] [--journal DIR] [--resume RUN]
 * [--jobs N] [--timeout D] [--credentials FILE]}: runs a pipeline on this machine.
 */
@Command(name = "run", description = "Run a pipeline on this machine: the same stages, gates, roles and filters as in"
        + " CI. Exit 0 when it succeeded, 1 when it failed or was cancelled, 2 for a usage error.")
final class RunCommand implements Callable<Integer> {
    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

    private final Map<String, Pipeline> pipelines;
    private final Supplier<Map<String, String>> environment;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "The pipeline.")
    String name;

    @Option(names = "--repo", paramLabel = "DIR", description = "The repository to run in; the current folder by"
            + " default.")
    Path repo = Path.of(".");

    @ArgGroup(exclusive = true)
    PlanCommand.RefOption ref;

    @Option(names = "--approve", paramLabel = "all|none|GATE,...", description = "Grant every approval, none, or"
            + " the approvals named (gate or stage names). Without it, you are asked on a terminal; elsewhere"
            + " approvals are refused.")
    String approve;

    @Option(names = "--journal", paramLabel = "DIR", description = "Where runs are journaled;"
            + " <repo>/.pipewright/runs by default.")
    Path journal;

    @Option(names = "--resume", paramLabel = "RUN", description = "Go on with run RUN: stages that succeeded are"
            + " not run again.")
    String resume;

    @Option(names = "--jobs", paramLabel = "N", description = "How many stages may run at once; the number of cores"
            + " by default.")
    Integer jobs;

    @Option(names = "--timeout", paramLabel = "D", description = "How long the whole run may take: 90s, 30m, 2h or"
            + " PT1H30M.")
    String timeout;

    @Option(names = "--credentials", paramLabel = "FILE", description = "Role credentials, a [role] section each"
            + " with NAME=VALUE lines; the runner's AWS_* variables are used for roles it lacks.")
    Path credentials;

    private final Supplier<List<Plugin>> plugins;

    RunCommand(Map<String, Pipeline> pipelines, Supplier<Map<String, String>> environment,
            Supplier<List<Plugin>> plugins) {
        this.pipelines = pipelines;
        this.environment = environment;
        this.plugins = plugins;
    }

    @Override
    public Integer call() {
        Pipeline pipeline = Pipelines.find(pipelines, name);
        if (!Files.isDirectory(repo)) {
            throw new UsageException("--repo " + repo + " is not a folder. Give the repository to run in.");
        }
        Map<String, String> env = environment.get();
        LocalRunner.Builder b = LocalRunner.builder()
                .workspace(repo)
                .journal(journal != null ? journal : repo.resolve(".pipewright").resolve("runs"))
                .environment(env)
                .approver(approver(pipeline))
                .discover(false);
        plugins.get().forEach(b::addPlugin);
        if (ref != null) {
            b.ref(ref.toRef());
        }
        if (jobs != null) {
            if (jobs < 1) {
                throw new UsageException("--jobs must be at least 1 but was " + jobs + ".");
            }
            b.concurrency(jobs);
        }
        if (timeout != null) {
            b.timeout(duration(timeout));
        }
        if (credentials != null) {
            if (!Files.isRegularFile(credentials)) {
                throw new UsageException("--credentials " + credentials + " is not a file.");
            }
            b.addCredentialsProvider(LocalCredentials.fromFile(credentials));
        }
        b.addCredentialsProvider(LocalCredentials.fromEnvironment(env)); // supports no role when env has no credentials
        PrintStream console = consoleOf(spec);
        b.addListener(System.console() != null ? ConsoleReporter.live(console)
                : ConsoleReporter.plain(console));
        LocalRunner runner = b.build();
        CountDownLatch ended = new CountDownLatch(1);
        Thread onSignal = new Thread(() -> {
            runner.cancel();
            try {
                ended.await(60, TimeUnit.SECONDS); // let running stages stop and hooks run before the JVM exits
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "pipewright-shutdown");
        Runtime.getRuntime().addShutdownHook(onSignal);
        try {
            RunResult result = resume != null ? runner.resume(pipeline, resume) : runner.run(pipeline);
            console.flush();
            return result.exitCode();
        } finally {
            ended.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(onSignal);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is exiting because of a signal; the hook is running and will return now
            }
        }
    }

    /** The CLI's output as a stream, for the console reporter. */
    private static PrintStream consoleOf(CommandSpec spec) {
        return new PrintStream(new WriterOutputStream(spec.commandLine().getOut()), true, StandardCharsets.UTF_8);
    }

    private Approver approver(Pipeline pipeline) {
        if (approve == null) {
            if (System.console() != null) {
                return Approvers.console(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)),
                        System.out, System.getProperty("user.name", "console user"));
            }
            return Approvers.none();
        }
        String spec = approve.strip();
        if (!spec.equals("all") && !spec.equals("none")) {
            Set<String> known = new LinkedHashSet<>();
            for (Stage s : pipeline.stages()) {
                for (Gate g : s.gates()) {
                    if (g.isManualApproval()) {
                        known.add(g.name());
                        known.add(s.name());
                    }
                }
            }
            Set<String> names;
            try {
                names = Approvers.names(spec);
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage() + ".");
            }
            for (String n : names) {
                if (!known.contains(n)) {
                    throw new UsageException("--approve names '" + n + "', but pipeline '" + pipeline.name()
                            + "' has no such approval; approvals (gate or stage names): " + known
                            + ". Use one of them, all or none.");
                }
            }
        }
        return Approvers.parse(spec);
    }

    static Duration duration(String text) {
        Matcher m = SHORT_DURATION.matcher(text.strip().toLowerCase(Locale.ROOT));
        Duration d;
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            d = switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            };
        } else {
            try {
                d = Duration.parse(text.strip().toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw new UsageException("--timeout '" + text + "' is not a duration; write 90s, 30m, 2h or PT1H30M.");
            }
        }
        if (d.isNegative() || d.isZero()) {
            throw new UsageException("--timeout must be positive but was " + text + ".");
        }
        return d;
    }
}
