package dev.pipewright.spi;

import static com.google.common.base.Preconditions.checkNotNull;

import dev.pipewright.Gate;
import java.util.Optional;

/**
 * A manual approval a run waits for.
 *
 * @param runId the run's identifier
 * @param pipeline the pipeline's name
 * @param stage the stage waiting behind the gate
 * @param environment the stage's environment, if it has one
 * @param gate the approval gate: its name, message, approvers and timeout
 * @param facts what the run is for: branch or tag, commit
 * @since 0.1
 */
public record ApprovalRequest(String runId, String pipeline, String stage, Optional<String> environment, Gate gate,
        Facts facts) {
    /** Checks the components are present. */
    public ApprovalRequest {
        checkNotNull(runId, "runId");
        checkNotNull(pipeline, "pipeline");
        checkNotNull(stage, "stage");
        checkNotNull(environment, "environment");
        checkNotNull(gate, "gate");
        checkNotNull(facts, "facts");
    }
}
