package dev.pipewright.run;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One line of a run's {@link Journal}: something that happened, recorded before the side effect
 * it announces goes ahead. Each kind is a record; its simple name is the line's {@code type}
 * (the journal's codec spells the names out, so renaming a record does not change the format).
 *
 * <p>Events are immutable values; every component is required unless marked nullable.
 */
sealed interface JournalEvent {

    /** When it happened. */
    Instant at();

    /**
     * How a stage attempt ended.
     */
    enum Outcome {
        /** Every step succeeded. */
        SUCCEEDED,
        /** A step failed: non-zero exit code, exception, failed gate. */
        FAILED,
        /** The stage's or the run's deadline passed. */
        TIMED_OUT,
        /** The run was cancelled while the stage ran. */
        CANCELLED,
        /** The stage's filter or a failed need kept it from running. */
        SKIPPED,
        /** The stage failed and its rollback ran. */
        ROLLED_BACK
    }

    /**
     * How a whole run ended.
     */
    enum RunStatus {
        /** Every stage that should run succeeded. */
        SUCCEEDED,
        /** A stage failed. */
        FAILED,
        /** The run was cancelled. */
        CANCELLED
    }

    /**
     * What the run is for, as git saw it when it started; each part null when unknown.
     *
     * @param branch the branch name, such as {@code master}
     * @param tag the tag name, such as {@code v1.2.0}
     * @param commit the commit id
     * @param changedPaths the paths the run's commits changed, when known: a resume skips the same
     *     path-filtered stages
     */
    record Facts(@Nullable String branch, @Nullable String tag, @Nullable String commit,
            @Nullable List<String> changedPaths) {
        /** No facts known. */
        static final Facts NONE = new Facts(null, null, null);

        /** Copies the changed paths. */
        public Facts {
            changedPaths = changedPaths == null ? null : List.copyOf(changedPaths);
        }

        /** Facts without changed paths. */
        Facts(@Nullable String branch, @Nullable String tag, @Nullable String commit) {
            this(branch, tag, commit, null);
        }
    }

    /**
     * The run started: always the journal's first line.
     *
     * @param runId the run's id, the name of the journal's folder
     * @param pipeline the pipeline's name
     * @param digest the {@link PipelineDigest} of the pipeline run
     * @param facts the branch, tag and commit
     * @param startedAt when the run started
     */
    record RunStarted(String runId, String pipeline, String digest, Facts facts, Instant startedAt)
            implements JournalEvent {
        /**
         * Checks that every component is present.
         *
         * @throws NullPointerException if a component is null
         */
        public RunStarted {
            checkNotNull(runId, "runId");
            checkNotNull(pipeline, "pipeline");
            checkNotNull(digest, "digest");
            checkNotNull(facts, "facts");
            checkNotNull(startedAt, "startedAt");
        }

        @Override
        public Instant at() {
            return startedAt;
        }
    }

    /**
     * An attempt of a stage is about to start.
     *
     * @param stage the stage's name
     * @param attempt 1 for the first try, 2 for the first retry...
     * @param at when
     */
    record StageStarted(String stage, int attempt, Instant at) implements JournalEvent {
        /**
         * Checks the components.
         *
         * @throws NullPointerException if a component is null
         * @throws IllegalArgumentException if {@code attempt} is below 1
         */
        public StageStarted {
            checkNotNull(stage, "stage");
            checkArgument(attempt >= 1, "attempt must be at least 1 but was %s", attempt);
            checkNotNull(at, "at");
        }
    }

    /**
     * An attempt of a stage ended, or a stage was skipped without starting.
     *
     * @param stage the stage's name
     * @param attempt the attempt that ended, as in {@link StageStarted}
     * @param outcome how it ended
     * @param exitCode the exit code of the step that ended it; null when no process ended it
     * @param durationMillis how long the attempt took, not negative
     * @param at when it ended
     * @param message what to tell the user, masked when written; null for nothing
     */
    record StageFinished(String stage, int attempt, Outcome outcome, @Nullable Integer exitCode, long durationMillis,
            Instant at, @Nullable String message) implements JournalEvent {
        /**
         * Checks the components.
         *
         * @throws NullPointerException if a required component is null
         * @throws IllegalArgumentException if {@code attempt} is below 1 or the duration negative
         */
        public StageFinished {
            checkNotNull(stage, "stage");
            checkArgument(attempt >= 1, "attempt must be at least 1 but was %s", attempt);
            checkNotNull(outcome, "outcome");
            checkArgument(durationMillis >= 0, "durationMillis must not be negative but was %s", durationMillis);
            checkNotNull(at, "at");
        }
    }

    /**
     * Someone decided on a manual approval gate.
     *
     * @param stage the stage the gate guards
     * @param gate the gate's name
     * @param approved whether the stage may go ahead
     * @param who who decided, masked when written
     * @param why the reason given, masked when written; null when none was given
     * @param at when
     */
    record ApprovalDecided(String stage, String gate, boolean approved, String who, @Nullable String why, Instant at)
            implements JournalEvent {
        /**
         * Checks that every required component is present.
         *
         * @throws NullPointerException if a required component is null
         */
        public ApprovalDecided {
            checkNotNull(stage, "stage");
            checkNotNull(gate, "gate");
            checkNotNull(who, "who");
            checkNotNull(at, "at");
        }
    }

    /**
     * The run ended.
     *
     * @param status how
     * @param at when
     */
    record RunFinished(RunStatus status, Instant at) implements JournalEvent {
        /**
         * Checks that every component is present.
         *
         * @throws NullPointerException if a component is null
         */
        public RunFinished {
            checkNotNull(status, "status");
            checkNotNull(at, "at");
        }
    }
}
