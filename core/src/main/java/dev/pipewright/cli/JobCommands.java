package dev.pipewright.cli;

import dev.pipewright.CheckResult;
import dev.pipewright.Gate;
import dev.pipewright.JavaStep;
import dev.pipewright.OrbStep;
import dev.pipewright.Pipeline;
import dev.pipewright.ShellStep;
import dev.pipewright.Stage;
import dev.pipewright.internal.JobSteps;
import dev.pipewright.spi.Plugin;
import dev.pipewright.spi.StepFailedException;
import dev.pipewright.spi.StepHandler;
import dev.pipewright.Step;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The commands a generated CircleCI job runs through the launcher for what YAML cannot express:
 * a check gate ({@code gate}) and a Java step ({@code step}).
 */
final class JobCommands {
    private JobCommands() {
    }

    static Stage stage(Pipeline pipeline, String name) {
        return pipeline.stage(name).orElseThrow(() -> new UsageException("pipeline '" + pipeline.name()
                + "' has no stage '" + name + "'; stages: " + pipeline.stages().stream().map(Stage::name).toList()
                + ". Regenerate the CircleCI config."));
    }

    /** {@code gate NAME STAGE GATE}: evaluates a check gate in a CI job; exit 1 when it fails. */
    @Command(name = "gate", description = "Evaluate a stage's check gate inside a CI job (used by generated configs).")
    static final class GateCommand implements Callable<Integer> {
        private final Map<String, Pipeline> pipelines;
        private final Supplier<Map<String, String>> environment;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME", description = "The pipeline.")
        String name;

        @Parameters(index = "1", paramLabel = "STAGE", description = "The stage.")
        String stageName;

        @Parameters(index = "2", paramLabel = "GATE", description = "The check gate.")
        String gateName;

        GateCommand(Map<String, Pipeline> pipelines, Supplier<Map<String, String>> environment) {
            this.pipelines = pipelines;
            this.environment = environment;
        }

        @Override
        public Integer call() {
            Stage stage = stage(Pipelines.find(pipelines, name), stageName);
            Gate gate = stage.gates().stream().filter(g -> g.name().equals(gateName) && !g.isManualApproval())
                    .findFirst().orElseThrow(() -> new UsageException("stage '" + stageName + "' has no check gate '"
                            + gateName + "'; its gates: " + stage.gates() + ". Regenerate the CircleCI config."));
            JobContext context = new JobContext(name, stageName, environment.get(), spec.commandLine().getOut());
            CheckResult result;
            try {
                result = gate.check().orElseThrow().evaluate(context);
            } catch (UsageException e) {
                throw e;
            } catch (Exception e) {
                result = CheckResult.fail("the check threw " + e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            if (result == null) {
                result = CheckResult.fail("the check returned no result");
            }
            spec.commandLine().getOut().println("gate " + gateName + ": " + (result.passed() ? "passed" : "FAILED")
                    + " - " + result.reason());
            return result.passed() ? Pipewright.OK : Pipewright.NOT_OK;
        }
    }

    /** {@code step NAME STAGE N}: runs the stage's N-th step (a Java step) in a CI job; exit 1 when it fails. */
    @Command(name = "step", description = "Run a stage's Java step inside a CI job (used by generated configs).")
    static final class StepCommand implements Callable<Integer> {
        private final Map<String, Pipeline> pipelines;
        private final Supplier<Map<String, String>> environment;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME", description = "The pipeline.")
        String name;

        @Parameters(index = "1", paramLabel = "STAGE", description = "The stage.")
        String stageName;

        @Parameters(index = "2", paramLabel = "N", description = "The step's number in the stage, from 1.")
        int number;

        private final Supplier<List<Plugin>> plugins;

        StepCommand(Map<String, Pipeline> pipelines, Supplier<Map<String, String>> environment,
                Supplier<List<Plugin>> plugins) {
            this.pipelines = pipelines;
            this.environment = environment;
            this.plugins = plugins;
        }

        @Override
        public Integer call() {
            Pipeline pipeline = Pipelines.find(pipelines, name);
            Stage stage = stage(pipeline, stageName);
            List<JobSteps.Entry> steps = JobSteps.of(pipeline, stage);
            if (number < 1 || number > steps.size()) {
                throw new UsageException("stage '" + stageName + "' has " + steps.size() + " steps, hooks included;"
                        + " there is no step " + number + ". Regenerate the CircleCI config.");
            }
            Step step = steps.get(number - 1).step();
            if (step instanceof ShellStep || step instanceof OrbStep) {
                throw new UsageException("step " + number + " of stage '" + stageName + "' is a '" + step.type()
                        + "' step, which CircleCI runs itself; this command runs Java steps and module steps.");
            }
            StepHandler handler = null;
            if (!(step instanceof JavaStep)) {
                handler = plugins.get().stream().flatMap(p -> p.stepHandlers().stream())
                        .filter(h -> h.type().equals(step.type())).findFirst()
                        .orElseThrow(() -> new UsageException("step " + number + " of stage '" + stageName + "' is a '"
                                + step.type() + "' step, and no plugin of this command line runs that type. Register"
                                + " the plugin that does in the launcher's Pipewright.main(args, plugins, ...)."));
            }
            JobContext context = new JobContext(name, stageName, environment.get(), spec.commandLine().getOut());
            try {
                if (step instanceof JavaStep java) {
                    java.action().run(context);
                } else {
                    handler.run(step, context);
                }
            } catch (UsageException e) {
                throw e;
            } catch (StepFailedException e) {
                spec.commandLine().getErr().println("step " + step.name() + " failed: " + e.getMessage());
                return Pipewright.NOT_OK;
            } catch (Exception e) {
                spec.commandLine().getErr().println("step " + step.name() + " failed: " + e.getClass().getSimpleName()
                        + ": " + e.getMessage());
                return Pipewright.NOT_OK;
            }
            spec.commandLine().getOut().println("step " + step.name() + ": done");
            return Pipewright.OK;
        }
    }
}
