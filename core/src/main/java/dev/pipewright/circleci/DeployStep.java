package dev.pipewright.circleci;

import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The deprecated {@code deploy} step: a {@link RunStep} under another name, with the same keys.
 * Its data is {@code {deploy: {command, ...}}}.
 *
 * @param run the step's keys
 * @since 0.1
 */
public record DeployStep(RunStep run) implements CircleCiStep {

    /** Checks the run step is not null. */
    public DeployStep {
        checkNotNull(run, "run");
    }

    /** A deploy step with the keys of {@code run}. */
    public static DeployStep of(RunStep run) {
        return new DeployStep(run);
    }

    Map<String, @Nullable Object> toData() {
        return Map.of("deploy", run.toData().get("run"));
    }
}
