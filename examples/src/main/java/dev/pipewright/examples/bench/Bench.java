package dev.pipewright.examples.bench;

import dev.pipewright.cli.Pipewright;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import picocli.CommandLine;

/**
 * The {@code bench} command of the examples' command line:
 *
 * <pre>{@code
 * java -jar pipewright-examples.jar bench circleci-emit --json
 * {"name": "circleci-emit", "metric": "emit-throughput", "value": 150.2, "unit": "MB/s"}
 * {"name": "circleci-emit", "metric": "emit-median-ms", "value": 47.1, "unit": "ms"}
 * ...
 * }</pre>
 *
 * <p>Benchmarks: {@code circleci-emit} (YAML written per second for a 5,000-job, 20-workflow
 * configuration, and the median time per emit) and {@code circleci-parse} (YAML read per second
 * when parsing the corpus of real configurations 100 times); {@code git-changes} (changed paths
 * between two commits 1,000 apart in a generated 20,000-file repository, as a ratio to {@code git
 * diff --name-only} in the same run); {@code executor-overhead}, {@code executor-makespan} and
 * {@code executor-shell} (the local runner against a bare CompletableFuture graph, the critical
 * path and GNU make in the same run); {@code secrets} (MB scanned for secrets per second in a
 * generated 50 MB tree of large files and in 10,000 small files, against reading the same files).
 * Each warms up first and takes under 30 seconds, once git-changes has generated its repository.
 * Exit codes: 0 done, 2 usage or input error (an unknown benchmark, no corpus, no git).
 *
 * @since 0.1
 */
public final class Bench {
    private Bench() {
    }

    /**
     * Runs {@code bench} with {@code args} (the words after {@code bench}), then exits the JVM with its
     * exit code.
     */
    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        System.exit(execute(args, out, err));
    }

    /**
     * Runs {@code bench} with {@code args} (the words after {@code bench}), writing to {@code out}
     * and {@code err}; finds the corpus from the working directory. Not thread-safe: run one at a time.
     *
     * @return {@link Pipewright#OK} or {@link Pipewright#USAGE}
     */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        return execute(args, out, err, Scale.FULL, Path.of("").toAbsolutePath());
    }

    static int execute(String[] args, PrintWriter out, PrintWriter err, Scale scale, Path workingDirectory) {
        CommandLine cli = new CommandLine(new BenchCommand(scale, workingDirectory));
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, command, parsed) -> {
            if (e instanceof UsageException) {
                command.getErr().println("error: " + e.getMessage());
                return Pipewright.USAGE;
            }
            throw e;
        });
        cli.setParameterExceptionHandler((e, arguments) -> {
            PrintWriter w = e.getCommandLine().getErr();
            w.println("error: " + e.getMessage().replaceFirst("^Error: ", ""));
            e.getCommandLine().usage(w);
            return Pipewright.USAGE;
        });
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }
}
