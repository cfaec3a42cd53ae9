package dev.pipewright.spi;

/**
 * How a stage of a run ended.
 *
 * @since 0.1
 */
public enum StageOutcome {
    /** Every step succeeded. */
    SUCCEEDED,
    /** A step or a check gate failed, or the stage could not start (missing credentials, a locked environment). */
    FAILED,
    /** The stage ran past its timeout or the run's deadline and was stopped. */
    TIMED_OUT,
    /** The stage was stopped, or never started, because the run was cancelled or another stage failed. */
    CANCELLED,
    /** The stage did not run: its filter excludes the run's branch or tag, or a stage it needs did not succeed. */
    SKIPPED,
    /** A manual approval was refused, so the stage did not run. */
    REFUSED,
    /** The stage failed and undid its change (a deploy restored the previous version). */
    ROLLED_BACK;

    /** Whether this outcome lets the stages that need it run. */
    public boolean succeeded() {
        return this == SUCCEEDED;
    }
}
