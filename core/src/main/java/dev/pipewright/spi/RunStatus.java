package dev.pipewright.spi;

/**
 * How a run ended.
 *
 * @since 0.1
 */
public enum RunStatus {
    /** Every stage that was to run succeeded. */
    SUCCEEDED,
    /** A stage failed, timed out or rolled back. */
    FAILED,
    /** The run was interrupted (SIGINT, SIGTERM, the API), or an approval was refused. */
    CANCELLED
}
