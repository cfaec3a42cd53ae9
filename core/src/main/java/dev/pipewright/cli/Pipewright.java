package dev.pipewright.cli;

import com.google.errorprone.annotations.CanIgnoreReturnValue;
import dev.pipewright.Pipeline;
import dev.pipewright.PipewrightException;
import java.io.PrintWriter;
import java.util.function.Supplier;
import java.util.ServiceLoader;
import java.util.ArrayList;
import dev.pipewright.spi.Plugin;
import com.google.common.base.Suppliers;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;

/**
 * The Pipewright command line for a set of pipelines. A team gives its own {@code main} the
 * commands by passing its pipelines:
 *
 * <pre>{@code
 * public static void main(String[] args) {
 *     Pipewright.main(args, HousingApi.pipeline());
 * }
 * }</pre>
 *
 * <p>Commands: {@code list}, {@code generate NAME [-o FILE]}, {@code check NAME FILE},
 * {@code plan NAME [--branch B | --tag T] [--changed PATH...]}, {@code run NAME [--repo DIR]
 * [--branch B | --tag T] [--approve ...] [--journal DIR] [--resume RUN] ...}, {@code circleci
 * validate FILE...}, {@code circleci roundtrip FILE}, {@code circleci run FILE ...}, {@code
 * circleci import FILE ...}, and, for generated CircleCI jobs, {@code gate NAME STAGE GATE} and
 * {@code step NAME STAGE N}. Exit codes: 0 success, 1 the thing checked is not OK, 2 usage or input error,
 * always with a message and never a stack trace for a user's mistake.
 *
 * <p><b>Starting processes.</b> {@code main} first calls {@link #configureProcessLaunch()}: on
 * Linux with JDK 17 to 24 it has the JDK start processes with {@code vfork} instead of its
 * default {@code posix_spawn} through a helper program, which starts each shell step's process
 * about twice as fast. A program embedding the command line through {@code execute} may call it
 * first thing in its own {@code main}.
 *
 * @since 0.1
 */
public final class Pipewright {
    /** Success. */
    public static final int OK = 0;
    /** The thing checked is not OK (drift, an invalid config, a failed check gate or Java step). */
    public static final int NOT_OK = 1;
    /**
     * A usage or input error, such as an unknown command, pipeline, stage or file, or two
     * pipelines of one name.
     */
    public static final int USAGE = 2;
    private static final String LAUNCH_MECHANISM = "jdk.lang.Process.launchMechanism";
    /** JDK 25 prints a deprecation warning when VFORK is chosen; JDK 26 or 27 removes it. */
    private static final int FIRST_JDK_DEPRECATING_VFORK = 25;

    private Pipewright() {
    }

    /**
     * Runs the command in {@code args} on {@code pipelines}, then exits the JVM with its exit code.
     * Output goes to {@code System.out} and {@code System.err} as UTF-8.
     *
     * @param args the command line, such as {@code plan housing-api --branch master}
     * @param pipelines the pipelines the commands know, by name
     */
    public static void main(String[] args, Pipeline... pipelines) {
        configureProcessLaunch();
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        System.exit(execute(args, out, err, List.of(pipelines)));
    }

    /**
     * Has the JDK start processes with {@code vfork} where that is fast and supported: on Linux,
     * with JDK 17 to 24, when the system property {@code jdk.lang.Process.launchMechanism} is not
     * set. The JDK's default there, {@code posix_spawn}, runs a helper program that then runs the
     * command: two {@code exec}s for each process, which doubles the cost of a short shell step.
     * JDK 25 deprecates {@code VFORK} (it warns on standard error) and later JDKs remove it, so
     * they keep their default. {@code -Djdk.lang.Process.launchMechanism=...} always wins.
     *
     * <p>The JDK reads the property once, when the first process starts: call this first thing
     * in {@code main}, before anything starts a process. Calls after that, and repeated calls,
     * change nothing. The {@code main} methods here call it.
     *
     * @since 0.1
     */
    public static void configureProcessLaunch() {
        String mechanism = launchMechanism(System.getProperty("os.name", ""), Runtime.version().feature(),
                System.getProperty(LAUNCH_MECHANISM));
        if (mechanism != null) {
            System.setProperty(LAUNCH_MECHANISM, mechanism);
        }
    }

    /**
     * The launch mechanism to set on {@code os} with JDK {@code feature} when the property is
     * {@code current}, or {@code null} to leave it.
     */
    static @Nullable String launchMechanism(String os, int feature, @Nullable String current) {
        return current == null && os.equals("Linux") && feature < FIRST_JDK_DEPRECATING_VFORK ? "VFORK" : null;
    }

    /**
     * As {@link #main(String[], Pipeline...)}, with the plugins local runs use (repository facts,
     * credentials, step handlers) given explicitly: none is looked up with {@link
     * java.util.ServiceLoader}.
     *
     * <pre>{@code
     * Pipewright.main(args, List.of(new GitPlugin(), AwsPlugin.create(sts)), HousingApi.pipeline());
     * }</pre>
     */
    public static void main(String[] args, List<Plugin> plugins, Pipeline... pipelines) {
        configureProcessLaunch();
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        System.exit(execute(args, out, err, List.copyOf(plugins), List.of(pipelines)));
    }

    /**
     * As {@link #execute(String[], PrintWriter, PrintWriter, List)}, with the plugins given
     * explicitly instead of found by {@link java.util.ServiceLoader}.
     */
    @CanIgnoreReturnValue
    public static int execute(String[] args, PrintWriter out, PrintWriter err, List<Plugin> plugins,
            List<Pipeline> pipelines) {
        List<Plugin> copy = List.copyOf(plugins);
        return execute(args, out, err, pipelines, System::getenv, () -> copy);
    }

    /**
     * Runs the command in {@code args} on {@code pipelines}, writing to {@code out} and {@code err}
     * and flushing both; the JVM keeps running. For tests and for programs that embed the command
     * line. Check gates and Java steps see the process environment.
     *
     * @return the exit code: {@link #OK}, {@link #NOT_OK} or {@link #USAGE}
     */
    @CanIgnoreReturnValue
    public static int execute(String[] args, PrintWriter out, PrintWriter err, List<Pipeline> pipelines) {
        return execute(args, out, err, pipelines, System::getenv);
    }

    /** As {@link #execute(String[], PrintWriter, PrintWriter, List)}, with the process environment given. */
    static int execute(String[] args, PrintWriter out, PrintWriter err, List<Pipeline> pipelines,
            Supplier<Map<String, String>> environment) {
        return execute(args, out, err, pipelines, environment, Pipewright::discovered);
    }

    /** The plugins {@link ServiceLoader} finds, for runs of a command line given none. */
    static List<Plugin> discovered() {
        List<Plugin> found = new ArrayList<>();
        ServiceLoader.load(Plugin.class).forEach(found::add);
        return found;
    }

    /** As {@link #execute(String[], PrintWriter, PrintWriter, List)}, with the environment and the plugins given. */
    static int execute(String[] args, PrintWriter out, PrintWriter err, List<Pipeline> pipelines,
            Supplier<Map<String, String>> environment, Supplier<List<Plugin>> plugins) {
        Map<String, Pipeline> byName = new LinkedHashMap<>();
        for (Pipeline p : pipelines) {
            if (byName.putIfAbsent(p.name(), p) != null) {
                err.println("error: two pipelines are named '" + p.name() + "'. Give each pipeline its own name.");
                err.flush();
                return USAGE;
            }
        }
        CommandLine cli = new CommandLine(new RootCommand(), new Factory(byName, environment, Suppliers.memoize(plugins::get)));
        cli.setOut(out);
        cli.setErr(err);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExecutionExceptionHandler((e, command, parsed) -> {
            if (e instanceof UsageException) {
                command.getErr().println("error: " + e.getMessage());
                return USAGE;
            }
            if (e instanceof PipewrightException || e instanceof java.io.UncheckedIOException) {
                command.getErr().println("error: " + e.getMessage());
                return USAGE;
            }
            throw e;
        });
        cli.setParameterExceptionHandler((e, arguments) -> {
            PrintWriter w = e.getCommandLine().getErr();
            w.println("error: " + e.getMessage().replaceFirst("^Error: ", ""));
            e.getCommandLine().usage(w);
            return USAGE;
        });
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /** Gives commands the pipelines they work on. */
    private record Factory(Map<String, Pipeline> pipelines, Supplier<Map<String, String>> environment,
            Supplier<List<Plugin>> plugins) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> type) throws Exception {
            if (type == ListCommand.class) {
                return type.cast(new ListCommand(pipelines));
            }
            if (type == PlanCommand.class) {
                return type.cast(new PlanCommand(pipelines, plugins));
            }
            if (type == CircleCiCommand.Run.class) {
                return type.cast(new CircleCiCommand.Run(plugins));
            }
            if (type == GenerateCommand.class) {
                return type.cast(new GenerateCommand(pipelines, plugins));
            }
            if (type == CheckCommand.class) {
                return type.cast(new CheckCommand(pipelines));
            }
            if (type == RunCommand.class) {
                return type.cast(new RunCommand(pipelines, environment, plugins));
            }
            if (type == JobCommands.GateCommand.class) {
                return type.cast(new JobCommands.GateCommand(pipelines, environment));
            }
            if (type == JobCommands.StepCommand.class) {
                return type.cast(new JobCommands.StepCommand(pipelines, environment, plugins));
            }
            return CommandLine.defaultFactory().create(type);
        }
    }
}
