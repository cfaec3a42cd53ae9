package dev.pipewright.spi;

import dev.pipewright.RunContext;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What a {@link StepHandler} sees of its running stage: everything a {@link RunContext} offers,
 * plus the run's folder, cancellation, the deadline, a shell and per-run state. Valid only while
 * the step runs; thread-safe.
 *
 * @since 0.1
 */
public interface StepContext extends RunContext {
    /** The run's identifier, as in the journal. */
    String runId();

    /**
     * The run's own folder, for files that belong to the run rather than the workspace (caches,
     * workspaces, artifacts): {@code <journal>/<run id>/}, or, when the run has no journal, a
     * temporary folder deleted when the run ends.
     */
    Path runDirectory();

    /** The facts the run was started with. */
    Facts facts();

    /** Whether the stage has been cancelled (a sibling failed, the run was interrupted, a timeout). */
    boolean isCancelled();

    /** When this attempt of the stage must end: the earlier of its timeout and the run's deadline. */
    Optional<Instant> deadline();

    /**
     * Runs {@code script} with the stage's shell, environment and workspace, streaming its output
     * into the stage's (masked) output, stopped on cancellation or at the deadline.
     *
     * @throws StepFailedException with the exit code if the script fails, times out or is cancelled
     */
    void shell(String script);

    /**
     * This run's value for {@code key}, made by {@code initial} on first use. Shared by every
     * stage of the run, so handlers keep per-run state (a cache, a pinned commit) here rather
     * than in static fields.
     */
    <T> T state(Key<T> key, Supplier<? extends T> initial);

    /**
     * Records a file or folder the step produced, for the run's report: test results (JUnit XML)
     * are merged into the run's JUnit report, artifacts are listed.
     *
     * @throws IllegalArgumentException if {@code path} does not exist
     */
    void attach(Attachment attachment);
}
