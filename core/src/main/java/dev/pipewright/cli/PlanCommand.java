package dev.pipewright.cli;

import dev.pipewright.Gate;
import dev.pipewright.Permission;
import dev.pipewright.Pipeline;
import dev.pipewright.Plan;
import dev.pipewright.Ref;
import dev.pipewright.Role;
import dev.pipewright.Stage;
import dev.pipewright.spi.Facts;
import dev.pipewright.spi.Plugin;
import dev.pipewright.spi.RepositoryFacts;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code plan NAME [--branch B | --tag T] [--repo DIR]}: which stages would run, behind which gates, as whom, and
 * what their steps need the roles to allow.
 */
@Command(name = "plan", description = "Show which stages would run for a branch or tag (by default the"
        + " repository's), behind which gates, as which roles, needing which permissions.")
final class PlanCommand implements Callable<Integer> {
    private final Map<String, Pipeline> pipelines;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "The pipeline.")
    String name;

    @ArgGroup(exclusive = true)
    RefOption ref;

    @Option(names = "--changed", paramLabel = "PATH", arity = "1..*", description = "The paths the run changed,"
            + " for stages with path filters; by default the repository's changes since the default branch, when"
            + " read from it.")
    List<String> changed;

    @Option(names = "--repo", paramLabel = "DIR", description = "Without --branch or --tag, plan for the branch or"
            + " tag checked out in this repository; the current folder by default.")
    Path repo = Path.of(".");

    static final class RefOption {
        @Option(names = "--branch", paramLabel = "B", description = "Plan a run for branch B.")
        String branch;

        @Option(names = "--tag", paramLabel = "T", description = "Plan a run for tag T.")
        String tag;

        Ref toRef() {
            String value = branch != null ? branch : tag;
            if (value.isBlank()) {
                throw new UsageException("the " + (branch != null ? "branch" : "tag") + " name is blank.");
            }
            return branch != null ? Ref.branch(value) : Ref.tag(value);
        }
    }

    private final Supplier<List<Plugin>> plugins;

    PlanCommand(Map<String, Pipeline> pipelines, Supplier<List<Plugin>> plugins) {
        this.pipelines = pipelines;
        this.plugins = plugins;
    }

    @Override
    public Integer call() {
        Pipeline pipeline = Pipelines.find(pipelines, name);
        Facts facts = ref == null ? factsOf(repo, plugins.get()) : Facts.builder().ref(ref.toRef()).build();
        Ref r = facts.ref().orElseThrow(() -> new UsageException(repo + " has no branch or tag checked out (a"
                + " detached HEAD?); give --branch B or --tag T."));
        List<String> paths = changed != null ? changed : facts.changedPaths().map(List::copyOf).orElse(null);
        print(paths == null ? Plan.of(pipeline, r) : Plan.of(pipeline, r, paths), spec.commandLine().getOut());
        return Pipewright.OK;
    }

    /** The facts of {@code repo}: branch or tag, changed paths, read by the installed repository reader. */
    static Facts factsOf(Path repo, List<Plugin> plugins) {
        Optional<RepositoryFacts> reader = plugins.stream().map(Plugin::repositoryFacts).flatMap(Optional::stream)
                .findFirst();
        if (reader.isEmpty()) {
            throw new UsageException("give --branch B or --tag T: no repository reader is installed to find the"
                    + " branch of " + repo + " (add the pipewright-git module).");
        }
        try {
            return reader.get().read(repo).orElseThrow(() -> new UsageException(repo
                    + " is not in a repository; give --branch B or --tag T."));
        } catch (UsageException e) {
            throw e;
        } catch (Exception e) {
            throw new UsageException("could not read the repository at " + repo + ": " + e.getMessage()
                    + "; give --branch B or --tag T.");
        }
    }

    static void print(Plan plan, PrintWriter out) {
        List<Plan.Entry> running = plan.running();
        out.println("Plan of pipeline '" + plan.pipeline().name() + "' for " + plan.ref() + ": "
                + running.size() + " of " + plan.entries().size() + " stages run.");
        out.println();
        int width = plan.entries().stream().mapToInt(e -> e.stage().name().length()).max().orElse(0);
        int n = 1;
        for (Plan.Entry e : running) {
            Stage s = e.stage();
            String after = s.needs().isEmpty() ? "" : "after " + String.join(", ", s.needs());
            out.println(String.format("%3d. %-" + width + "s  %s", n++, s.name(), after).stripTrailing());
            List<String> details = new ArrayList<>();
            s.environment().ifPresent(env -> details.add("in " + env.name()));
            if (!s.roles().isEmpty()) {
                details.add("as " + s.roles().stream().map(Role::name).collect(Collectors.joining(", ")));
            }
            for (Gate g : s.gates()) {
                details.add("gated by " + g);
            }
            if (!details.isEmpty()) {
                out.println("      " + String.join(" · ", details));
            }
            if (!s.permissions().isEmpty()) {
                out.println("      permissions: " + s.permissions().stream().map(Permission::toString)
                        .collect(Collectors.joining(", ")));
            }
        }
        if (running.isEmpty()) {
            out.println("  (nothing runs)");
        }
        List<Plan.Entry> skipped = plan.skipped();
        if (!skipped.isEmpty()) {
            out.println();
            out.println("Skipped:");
            for (Plan.Entry e : skipped) {
                out.println("  - " + e.stage().name() + ": " + e.reason().orElse(""));
            }
        }
    }
}
