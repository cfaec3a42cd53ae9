package dev.pipewright.spi;

import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How a run ended: its status and every stage's and hook's result. Immutable.
 *
 * @since 0.1
 */
public final class RunResult {
    private final String runId;
    private final String pipeline;
    private final RunStatus status;
    private final Facts facts;
    private final List<StageResult> stages;
    private final List<StageResult> hooks;
    private final Duration duration;
    private final Optional<Path> runDirectory;
    private final Optional<String> message;

    /**
     * A run's result.
     *
     * @param runId the run's identifier
     * @param pipeline the pipeline's name
     * @param status how it ended
     * @param facts what it ran for
     * @param stages every stage's result, in the pipeline's order
     * @param hooks every hook's result, in the order they ran
     * @param duration how long the run took
     * @param runDirectory the run's folder, if it had a journal
     * @param message why it failed or was cancelled
     */
    public RunResult(String runId, String pipeline, RunStatus status, Facts facts, List<StageResult> stages,
            List<StageResult> hooks, Duration duration, Optional<Path> runDirectory, Optional<String> message) {
        this.runId = checkNotNull(runId, "runId");
        this.pipeline = checkNotNull(pipeline, "pipeline");
        this.status = checkNotNull(status, "status");
        this.facts = checkNotNull(facts, "facts");
        this.stages = ImmutableList.copyOf(stages);
        this.hooks = ImmutableList.copyOf(hooks);
        this.duration = checkNotNull(duration, "duration");
        this.runDirectory = checkNotNull(runDirectory, "runDirectory");
        this.message = checkNotNull(message, "message");
    }

    /** The run's identifier, which {@code --resume} takes. */
    public String runId() {
        return runId;
    }

    /** The pipeline's name. */
    public String pipeline() {
        return pipeline;
    }

    /** How the run ended. */
    public RunStatus status() {
        return status;
    }

    /** What the run was for. */
    public Facts facts() {
        return facts;
    }

    /** Every stage's result, in the pipeline's order. */
    public List<StageResult> stages() {
        return stages;
    }

    /** The result of stage {@code name}. */
    public Optional<StageResult> stage(String name) {
        return stages.stream().filter(s -> s.stage().equals(name)).findFirst();
    }

    /** Every hook's result, in the order they ran. */
    public List<StageResult> hooks() {
        return hooks;
    }

    /** How long the run took. */
    public Duration duration() {
        return duration;
    }

    /** The run's folder: journal, JUnit XML and JSON reports, artifacts. */
    public Optional<Path> runDirectory() {
        return runDirectory;
    }

    /** Why the run failed or was cancelled, masked; empty when it succeeded. */
    public Optional<String> message() {
        return message;
    }

    /** The process exit code for this result: 0 when it succeeded, else 1. */
    public int exitCode() {
        return status == RunStatus.SUCCEEDED ? 0 : 1;
    }

    @Override
    public String toString() {
        return "run " + runId + " of '" + pipeline + "': " + status;
    }
}
