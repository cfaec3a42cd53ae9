package dev.pipewright.spi;

import static com.google.common.base.Preconditions.checkNotNull;

import java.time.Duration;

/**
 * Who asks a {@link CredentialsProvider} for credentials, and for how long they must last.
 *
 * @param pipeline the pipeline's name
 * @param stage the stage's name
 * @param runId the run's identifier, for session names
 * @param duration how long the stage may still run: its timeout, or the run's deadline
 * @since 0.1
 */
public record CredentialsRequest(String pipeline, String stage, String runId, Duration duration) {
    /** Checks the components are present. */
    public CredentialsRequest {
        checkNotNull(pipeline, "pipeline");
        checkNotNull(stage, "stage");
        checkNotNull(runId, "runId");
        checkNotNull(duration, "duration");
    }
}
