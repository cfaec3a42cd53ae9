package dev.pipewright.spi;

import java.time.Duration;

/**
 * Observes a run: progress views, reports, notifications. Every method has a no-op default, so
 * a listener overrides what it needs. Listeners only observe: an exception they throw is logged
 * and ignored, never fails the run.
 *
 * <p>Calls come from the runner's threads, several at once for concurrent stages; implementations
 * must be thread-safe. For one stage, calls arrive in order: queued, started, output, finished.
 * Every text a listener gets (output lines, messages) is already masked.
 *
 * @since 0.1
 */
public interface RunListener {
    /** The run starts; called before anything else. */
    default void runStarted(RunInfo run) { }

    /** {@code stage}'s needs succeeded and its gates passed; it waits for a free slot. */
    default void stageQueued(String stage) { }

    /** {@code stage} waits for a manual approval. */
    default void approvalRequested(ApprovalRequest request) { }

    /** A manual approval was decided. */
    default void approvalDecided(ApprovalRequest request, Approval approval) { }

    /** Attempt {@code attempt} (from 1) of {@code stage} starts. */
    default void stageStarted(String stage, int attempt) { }

    /** {@code stage} wrote {@code line}, masked, without the stage prefix. */
    default void stageOutput(String stage, String line) { }

    /** {@code stage} failed and will start attempt {@code nextAttempt} after {@code wait}. */
    default void stageRetrying(String stage, int nextAttempt, Duration wait, String reason) { }

    /** A step of {@code stage} attached a file for the report. */
    default void attached(String stage, Attachment attachment) { }

    /** {@code result.stage()} ended, ran or not. Called once per stage of the pipeline. */
    default void stageFinished(StageResult result) { }

    /** A hook ({@code onFailure}, {@code always}) ended. */
    default void hookFinished(StageResult result) { }

    /** The run ended; called last. */
    default void runFinished(RunResult result) { }
}
