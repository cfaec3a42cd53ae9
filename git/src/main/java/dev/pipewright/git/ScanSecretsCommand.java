package dev.pipewright.git;

import static com.google.common.base.Preconditions.checkNotNull;

import dev.pipewright.cli.Pipewright;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code scan-secrets} command line:
 *
 * <pre>{@code
 * scan-secrets [--repo DIR] [--range A..B | --path DIR | --history] [--allowlist FILE] [--json]
 * }</pre>
 *
 * <p>Without {@code --range}, {@code --path} or {@code --history} it scans the working tree of the
 * repository holding {@code --repo} (default: the current folder). {@code --range A..B} scans the
 * lines added by the commits reachable from B and not from A; {@code --history} those added by
 * every commit of every ref; {@code --path DIR} scans a folder, Git or not (a relative DIR is
 * taken from {@code --repo} when given). The allowlist is {@code --allowlist FILE}, else the
 * {@value SecretScan#ALLOWLIST_FILE} of the scanned root when there is one.
 *
 * <p>Output: one line a finding, {@code file:line:column: rule (commit abc1234): masked}, then a
 * summary; with {@code --json}, one object:
 *
 * <pre>{@code
 * {"files_scanned": 14, "findings": [{"file": "app/.env", "line": 2, "column": 11,
 *   "rule": "npm-token", "commit": null, "masked": "npm_****…Qx2a",
 *   "fingerprint": "app/.env:npm-token:3f9a0c1d5e7b2a64"}]}
 * }</pre>
 *
 * <p>Files are relative to the scanned root, with {@code /}; {@code commit} is the full id of the
 * commit that added the secret, or null for a folder or working tree. A fingerprint can be
 * pasted into the allowlist. Exit codes: 0 nothing found, 1 something found, 2 usage or input
 * error (unknown repository, bad range, invalid allowlist), with a message naming it.
 *
 * @since 0.1
 */
public final class ScanSecretsCommand {
  private ScanSecretsCommand() {
  }

  /** Runs the command with {@code args}, then exits the JVM with its exit code. */
  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    System.exit(execute(args, out, err));
  }

  /**
   * Runs the command with {@code args} (the words after {@code scan-secrets}), writing to
   * {@code out} and {@code err} and flushing both; relative paths are taken from the current
   * folder.
   *
   * @return {@link Pipewright#OK}, {@link Pipewright#NOT_OK} when a secret was found, or {@link
   *     Pipewright#USAGE}
   */
  public static int execute(String[] args, PrintWriter out, PrintWriter err) {
    return execute(args, out, err, Path.of("").toAbsolutePath());
  }

  static int execute(String[] args, PrintWriter out, PrintWriter err, Path workingDirectory) {
    checkNotNull(args, "args");
    CommandLine cli = new CommandLine(new Options(workingDirectory));
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler((e, command, parsed) -> {
      if (e instanceof SecretScanException || e instanceof IllegalArgumentException) {
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

  @Command(name = "scan-secrets", sortOptions = false,
      description = {"Scan a working tree, a commit range, the history or a folder for secrets.",
          "Exit 0 when nothing is found, 1 when something is, 2 on a usage or input error."})
  static final class Options implements Callable<Integer> {
    private final Path workingDirectory;

    @CommandLine.Spec
    CommandLine.Model.@Nullable CommandSpec spec;

    @Option(names = "--repo", paramLabel = "DIR",
        description = "The repository (default: the current folder).")
    @Nullable Path repo;

    @Option(names = "--range", paramLabel = "A..B",
        description = "Scan the lines added by the commits in B and not in A.")
    @Nullable String range;

    @Option(names = "--path", paramLabel = "DIR",
        description = "Scan a folder instead (relative to --repo when given).")
    @Nullable Path path;

    @Option(names = "--history", description = "Scan the lines added by every commit of every ref.")
    boolean history;

    @Option(names = "--allowlist", paramLabel = "FILE",
        description = "Allowed findings (default: " + SecretScan.ALLOWLIST_FILE
            + " in the scanned root, if present).")
    @Nullable Path allowlist;

    @Option(names = "--json", description = "Print {\"files_scanned\": N, \"findings\": [...]}.")
    boolean json;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    Options(Path workingDirectory) {
      this.workingDirectory = workingDirectory;
    }

    @Override
    public Integer call() {
      int modes = (range != null ? 1 : 0) + (path != null ? 1 : 0) + (history ? 1 : 0);
      if (modes > 1) {
        throw new IllegalArgumentException("--range, --path and --history are alternatives: give"
            + " at most one.");
      }
      SecretScan.Builder builder = SecretScan.builder();
      if (allowlist != null) {
        builder.allowlist(workingDirectory.resolve(allowlist));
      }
      SecretScan scan = builder.build();
      Path repository = repo == null ? workingDirectory : workingDirectory.resolve(repo);
      SecretScanReport report;
      if (range != null) {
        String[] ends = ends(range);
        report = scan.scanRange(repository, ends[0], ends[1]);
      } else if (path != null) {
        report = scan.scanFolder(repository.resolve(path));
      } else if (history) {
        report = scan.scanHistory(repository);
      } else {
        report = scan.scanWorkingTree(repository);
      }
      PrintWriter out = spec().commandLine().getOut();
      if (json) {
        out.println(json(report));
      } else {
        report.findings().forEach(out::println);
        out.println(summary(report));
      }
      out.flush();
      return report.isClean() ? Pipewright.OK : Pipewright.NOT_OK;
    }

    private CommandLine.Model.CommandSpec spec() {
      if (spec == null) {
        throw new IllegalStateException("picocli did not inject the command spec");
      }
      return spec;
    }
  }

  /** {@code A..B} as {@code [A, B]}. */
  static String[] ends(String range) {
    int dots = range.indexOf("..");
    if (dots <= 0 || dots + 2 >= range.length() || range.startsWith(".", dots + 2)) {
      throw new IllegalArgumentException("--range '" + range + "' is not A..B. Give two"
          + " revisions joined by two dots, such as origin/master..HEAD.");
    }
    return new String[] {range.substring(0, dots), range.substring(dots + 2)};
  }

  static String summary(SecretScanReport report) {
    int n = report.findings().size();
    StringBuilder s = new StringBuilder(n == 0 ? "No secrets" : n + (n == 1 ? " secret" : " secrets"));
    s.append(" found in ").append(report.filesScanned())
        .append(report.filesScanned() == 1 ? " file" : " files");
    if (report.commitsScanned() > 0) {
      s.append(" of ").append(report.commitsScanned())
          .append(report.commitsScanned() == 1 ? " commit" : " commits");
    }
    if (report.allowedCount() > 0) {
      s.append(" (").append(report.allowedCount()).append(" allowed by the allowlist)");
    }
    return s.append('.').toString();
  }

  static String json(SecretScanReport report) {
    StringBuilder s = new StringBuilder("{\"files_scanned\": ").append(report.filesScanned())
        .append(", \"findings\": [");
    String separator = "";
    for (SecretFinding f : report.findings()) {
      s.append(separator).append("{\"file\": ").append(quote(f.file()))
          .append(", \"line\": ").append(f.line())
          .append(", \"column\": ").append(f.column())
          .append(", \"rule\": ").append(quote(f.rule()))
          .append(", \"commit\": ").append(f.commit().map(ScanSecretsCommand::quote).orElse("null"))
          .append(", \"masked\": ").append(quote(f.masked()))
          .append(", \"fingerprint\": ").append(quote(f.fingerprint())).append('}');
      separator = ", ";
    }
    return s.append("]}").toString();
  }

  static String quote(String value) {
    StringBuilder s = new StringBuilder(value.length() + 2).append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> s.append("\\\"");
        case '\\' -> s.append("\\\\");
        case '\n' -> s.append("\\n");
        case '\r' -> s.append("\\r");
        case '\t' -> s.append("\\t");
        default -> {
          if (c < 0x20) {
            s.append(String.format("\\u%04x", (int) c));
          } else {
            s.append(c);
          }
        }
      }
    }
    return s.append('"').toString();
  }
}
