package dev.pipewright.spi;

import static com.google.common.base.Preconditions.checkNotNull;

import dev.pipewright.Pipeline;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A run about to start, as {@link RunListener#runStarted} sees it.
 *
 * @param runId the run's identifier
 * @param pipeline the pipeline run
 * @param facts what it runs for
 * @param runDirectory the run's folder, holding its journal and reports, if it has a journal
 * @param concurrency how many stages may run at once
 * @param resumed whether this run resumes one that was interrupted
 * @since 0.1
 */
public record RunInfo(String runId, Pipeline pipeline, Facts facts, Optional<Path> runDirectory, int concurrency,
        boolean resumed) {
    /** Checks the components are present. */
    public RunInfo {
        checkNotNull(runId, "runId");
        checkNotNull(pipeline, "pipeline");
        checkNotNull(facts, "facts");
        checkNotNull(runDirectory, "runDirectory");
    }
}
