package dev.pipewright.run;

import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import dev.pipewright.Pipeline;
import dev.pipewright.PipewrightException;
import dev.pipewright.run.JournalEvent.ApprovalDecided;
import dev.pipewright.run.JournalEvent.Facts;
import dev.pipewright.run.JournalEvent.Outcome;
import dev.pipewright.run.JournalEvent.RunFinished;
import dev.pipewright.run.JournalEvent.RunStarted;
import dev.pipewright.run.JournalEvent.RunStatus;
import dev.pipewright.run.JournalEvent.StageFinished;
import dev.pipewright.run.JournalEvent.StageStarted;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What a run's journal says about it, for {@code --resume}: the pipeline it ran (by digest), its
 * facts, the stages that succeeded (skip them), the stages that were interrupted (re-run them),
 * the attempts made and the approvals given. An immutable value.
 *
 * <pre>{@code
 * ResumeState state = ResumeState.of(Journal.read(Journal.file(journalDir, runId)));
 * state.requireSamePipeline(pipeline);
 * try (Journal journal = Journal.resume(journalDir, runId, masker)) {
 *     // run the stages not in state.succeeded()
 * }
 * }</pre>
 */
final class ResumeState {
    private final Path file;
    private final RunStarted start;
    private final Map<String, StageFinished> lastFinished;
    private final Set<String> interrupted;
    private final Map<String, Integer> attempts;
    private final List<ApprovalDecided> approvals;
    private final Optional<RunStatus> status;

    private ResumeState(Path file, RunStarted start, Map<String, StageFinished> lastFinished, Set<String> interrupted,
            Map<String, Integer> attempts, List<ApprovalDecided> approvals, @Nullable RunStatus status) {
        this.file = file;
        this.start = start;
        this.lastFinished = ImmutableMap.copyOf(lastFinished);
        this.interrupted = ImmutableSet.copyOf(interrupted);
        this.attempts = ImmutableMap.copyOf(attempts);
        this.approvals = ImmutableList.copyOf(approvals);
        this.status = Optional.ofNullable(status);
    }

    /**
     * The state the journal's events leave the run in. A stage's outcome is that of its last
     * {@link StageFinished}; a stage whose last {@link StageStarted} has no {@link StageFinished}
     * after it was interrupted.
     *
     * @throws PipewrightException if the journal does not start with a {@link RunStarted}
     * @throws NullPointerException if {@code contents} is null
     */
    static ResumeState of(Journal.Contents contents) {
        checkNotNull(contents, "contents");
        List<JournalEvent> events = contents.events();
        if (events.isEmpty() || !(events.get(0) instanceof RunStarted start)) {
            throw new PipewrightException("The journal " + contents.file() + " does not start with the run's"
                    + " RunStarted line" + (events.isEmpty() ? " (it holds no event)" : "")
                    + "; it cannot be resumed. Start a new run.");
        }
        Map<String, StageFinished> lastFinished = new LinkedHashMap<>();
        Set<String> running = new LinkedHashSet<>();
        Map<String, Integer> attempts = new LinkedHashMap<>();
        List<ApprovalDecided> approvals = new ArrayList<>();
        @Nullable RunStatus status = null;
        for (JournalEvent e : events.subList(1, events.size())) {
            if (e instanceof StageStarted s) {
                running.add(s.stage());
                attempts.merge(s.stage(), s.attempt(), Math::max);
            } else if (e instanceof StageFinished f) {
                running.remove(f.stage());
                lastFinished.remove(f.stage()); // keep the map in the order stages last finished
                lastFinished.put(f.stage(), f);
                attempts.merge(f.stage(), f.attempt(), Math::max);
            } else if (e instanceof ApprovalDecided a) {
                approvals.add(a);
            } else if (e instanceof RunFinished r) {
                status = r.status();
            }
        }
        return new ResumeState(contents.file(), start, lastFinished, running, attempts, approvals, status);
    }

    /** The run's id. */
    String runId() {
        return start.runId();
    }

    /** The digest of the pipeline the run started with. */
    String digest() {
        return start.digest();
    }

    /** The branch, tag and commit the run started for, as recorded (masked). */
    Facts facts() {
        return start.facts();
    }

    /** The run's first line. */
    RunStarted started() {
        return start;
    }

    /** The stages whose last attempt succeeded, in the order they finished: a resume skips them. */
    Set<String> succeeded() {
        Set<String> names = new LinkedHashSet<>();
        lastFinished.forEach((stage, f) -> {
            if (f.outcome() == Outcome.SUCCEEDED) {
                names.add(stage);
            }
        });
        return ImmutableSet.copyOf(names);
    }

    /** The last {@link StageFinished} of each stage that has one, in the order they finished. */
    Map<String, StageFinished> lastFinished() {
        return lastFinished;
    }

    /**
     * The stages started but not finished when the run stopped, in the order they started: a
     * resume re-runs them (their side effects may have happened in part).
     */
    Set<String> interrupted() {
        return interrupted;
    }

    /**
     * The highest attempt recorded for each stage that started or finished: a re-run continues
     * with the next one, so that retries are not counted afresh.
     */
    Map<String, Integer> attempts() {
        return attempts;
    }

    /** Every approval decision, in the order given. */
    List<ApprovalDecided> approvals() {
        return approvals;
    }

    /** How the run ended, when it got as far as a {@link RunFinished}; empty when it was cut short. */
    Optional<RunStatus> status() {
        return status;
    }

    /**
     * Refuses to resume when {@code pipeline} is not the pipeline the run started with, as their
     * {@linkplain PipelineDigest digests} tell.
     *
     * @throws PipewrightException naming the run, both digests and what to do, if they differ
     * @throws NullPointerException if {@code pipeline} is null
     */
    void requireSamePipeline(Pipeline pipeline) {
        checkNotNull(pipeline, "pipeline");
        String now = PipelineDigest.of(pipeline);
        if (!now.equals(start.digest())) {
            String commit = start.facts().commit();
            String what = pipeline.name().equals(start.pipeline())
                    ? "pipeline '" + start.pipeline() + "' has changed since the run started."
                    : "pipeline '" + pipeline.name() + "' is not pipeline '" + start.pipeline() + "', which it ran.";
            throw new PipewrightException("Cannot resume run " + start.runId() + " (journal " + file + "): " + what
                    + "\n"
                    + "  digest when the run started: " + start.digest() + "\n"
                    + "  digest now:                  " + now + "\n"
                    + "Stages that succeeded under the old definition prove nothing about the new one. Start a new"
                    + " run, or resume with the pipeline as it was"
                    + (commit == null ? "." : " (the run was for commit " + commit + ")."));
        }
    }

    @Override
    public String toString() {
        return "run " + start.runId() + ": succeeded " + succeeded() + ", interrupted " + interrupted
                + status.map(s -> ", " + s).orElse("");
    }
}
