package dev.pipewright.examples.bench;

import dev.pipewright.cli.Pipewright;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code bench NAME [--json]}: runs one benchmark and prints its results. */
@Command(name = "bench",
        description = {"Run a benchmark and print its results.",
            "circleci-emit: write a 5,000-job, 20-workflow CircleCI config as YAML, again and again.",
            "circleci-parse: parse every config of ../shared/corpus/circleci, 100 rounds.",
            "git-changes: changed paths 1,000 commits apart in a 20,000-file repository, against git diff.",
            "executor-overhead: 10,000 no-op stages with LocalRunner against bare CompletableFutures.",
            "executor-makespan: 200 sleeping stages, unbounded concurrency, against the critical path.",
            "executor-shell: 500 shell stages running 'true' two at a time, against make -j2.",
            "secrets: scan a generated 50 MB tree of large files and 10,000 small files for secrets."})
final class BenchCommand implements Callable<Integer> {
    static final List<String> BENCHMARKS = List.of(CircleCiEmitBenchmark.NAME, CircleCiParseBenchmark.NAME,
            GitChangesBenchmark.NAME, ExecutorOverheadBenchmark.NAME, ExecutorMakespanBenchmark.NAME,
            ExecutorShellBenchmark.NAME, SecretsBenchmark.NAME);

    private final Scale scale;
    private final Path workingDirectory;

    @Spec
    @Nullable CommandSpec spec;

    @Parameters(paramLabel = "NAME", description = "The benchmark: circleci-emit, circleci-parse, git-changes,"
            + " executor-overhead, executor-makespan, executor-shell or secrets.")
    String name = "";

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Option(names = "--json",
            description = "Print one JSON object a line: {\"name\": .., \"metric\": .., \"value\": .., \"unit\": ..}.")
    boolean json;

    @Option(names = "--corpus", paramLabel = "DIR",
            description = "circleci-parse: the corpus directory (default: shared/corpus/circleci beside the working"
                    + " directory or a parent).")
    @Nullable Path corpus;

    @Option(names = "--only", arity = "1..*", paramLabel = "FILE",
            description = "circleci-parse: only these corpus files (names in the corpus, or paths).")
    List<String> only = new ArrayList<>();

    @Option(names = "--dump", paramLabel = "FILE", description = "circleci-emit: also write the emitted YAML to FILE.")
    @Nullable Path dump;

    BenchCommand(Scale scale, Path workingDirectory) {
        this.scale = scale;
        this.workingDirectory = workingDirectory;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec().commandLine().getOut();
        switch (name) {
            case CircleCiEmitBenchmark.NAME -> {
                rejectIf(corpus != null || !only.isEmpty(), "--corpus and --only apply to " + CircleCiParseBenchmark.NAME);
                CircleCiEmitBenchmark.Run run = CircleCiEmitBenchmark.run(scale.emitSize(), scale.emit());
                if (dump != null) {
                    write(dump, run.yaml());
                }
                run.report().print(out, json);
            }
            case CircleCiParseBenchmark.NAME -> {
                rejectIf(dump != null, "--dump applies to " + CircleCiEmitBenchmark.NAME);
                Path dir = corpus != null ? corpus : Corpus.locate(workingDirectory);
                List<Corpus.Input> inputs = Corpus.read(Corpus.files(dir, only));
                CircleCiParseBenchmark.run(inputs, scale.parse()).print(out, json);
            }
            case GitChangesBenchmark.NAME -> {
                rejectIf(corpus != null || !only.isEmpty() || dump != null, "--corpus, --only and --dump do not apply");
                GitChangesBenchmark.run(GitChangesBenchmark.Size.of(scale), GitChangesBenchmark.defaultCacheRoot())
                        .print(out, json);
            }
            case ExecutorOverheadBenchmark.NAME, ExecutorMakespanBenchmark.NAME, ExecutorShellBenchmark.NAME -> {
                rejectIf(corpus != null || !only.isEmpty(), "--corpus and --only apply to " + CircleCiParseBenchmark.NAME);
                rejectIf(dump != null, "--dump applies to " + CircleCiEmitBenchmark.NAME);
                ExecutorBenchmarks.run(name, scale.equals(Scale.FULL), spec().commandLine().getErr())
                        .ifPresent(r -> r.print(out, json));
            }
            case SecretsBenchmark.NAME -> {
                rejectIf(corpus != null || !only.isEmpty() || dump != null, "--corpus, --only and --dump do not apply");
                SecretsBenchmark.run(SecretsBenchmark.Size.of(scale)).print(out, json);
            }
            default -> throw new UsageException("no benchmark is called '" + name + "'; benchmarks: " + BENCHMARKS + ".");
        }
        out.flush();
        return Pipewright.OK;
    }

    private CommandSpec spec() {
        if (spec == null) {
            throw new IllegalStateException("picocli did not inject the command spec");
        }
        return spec;
    }

    private void rejectIf(boolean wrong, String message) {
        if (wrong) {
            throw new UsageException(message + ", not to " + name + ".");
        }
    }

    private static void write(Path file, String yaml) {
        try {
            Files.writeString(file, yaml, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
