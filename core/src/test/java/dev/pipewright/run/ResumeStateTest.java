package dev.pipewright.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResumeStateTest {
    private static final Instant T0 = Instant.parse("2026-11-26T10:15:00Z");
    private static final Pipeline PIPELINE = new DigestSpec().build();

    @TempDir
    Path dir;

    /** Writes a journal of {@code events} after the run's start, as the executor would, and reads its state. */
    private ResumeState stateAfter(Pipeline pipeline, JournalEvent... events) {
        Path file;
        try (Journal journal = Journal.create(dir, UnaryOperator.identity())) {
            journal.append(new RunStarted(journal.runId(), pipeline.name(), PipelineDigest.of(pipeline),
                    new Facts("master", null, "abc1234"), T0));
            for (JournalEvent e : events) {
                journal.append(e);
            }
            file = journal.file();
        }
        return ResumeState.of(Journal.read(file));
    }

    @Test
    void of_retriedInterruptedAndSkippedStages_sortsThemOut() {
        ApprovalDecided approval = new ApprovalDecided("deploy-production", "approve-production", true, "ana", null,
                T0.plusSeconds(50));

        ResumeState state = stateAfter(PIPELINE,
                new StageStarted("lint", 1, T0),
                new StageStarted("test", 1, T0),
                new StageFinished("lint", 1, Outcome.SUCCEEDED, 0, 900, T0.plusSeconds(1), null),
                new StageFinished("test", 1, Outcome.FAILED, 1, 8000, T0.plusSeconds(8), "3 tests failed"),
                new StageStarted("test", 2, T0.plusSeconds(18)),
                new StageFinished("test", 2, Outcome.SUCCEEDED, 0, 7000, T0.plusSeconds(25), null),
                new StageFinished("smoke", 1, Outcome.SKIPPED, null, 0, T0.plusSeconds(25), "not on this branch"),
                new StageStarted("deploy-staging", 1, T0.plusSeconds(26)),
                new StageFinished("deploy-staging", 1, Outcome.FAILED, 1, 100, T0.plusSeconds(27), null),
                new StageStarted("deploy-staging", 2, T0.plusSeconds(37)),
                approval,
                new StageStarted("deploy-production", 1, T0.plusSeconds(51)));

        assertThat(state.succeeded()).containsExactly("lint", "test");
        assertThat(state.interrupted()).containsExactly("deploy-staging", "deploy-production");
        assertThat(state.attempts()).containsExactlyInAnyOrderEntriesOf(
                Map.of("lint", 1, "test", 2, "smoke", 1, "deploy-staging", 2, "deploy-production", 1));
        assertThat(state.lastFinished().get("test").attempt()).isEqualTo(2);
        assertThat(state.lastFinished().get("smoke").outcome()).isEqualTo(Outcome.SKIPPED);
        assertThat(state.approvals()).containsExactly(approval);
        assertThat(state.digest()).isEqualTo(PipelineDigest.of(PIPELINE));
        assertThat(state.facts()).isEqualTo(new Facts("master", null, "abc1234"));
        assertThat(state.status()).isEmpty();
    }

    @Test
    void of_stageThatSucceededThenFailed_isNotSucceeded() {
        ResumeState state = stateAfter(PIPELINE,
                new StageStarted("test", 1, T0),
                new StageFinished("test", 1, Outcome.SUCCEEDED, 0, 1, T0, null),
                new RunFinished(RunStatus.FAILED, T0),
                new StageStarted("test", 2, T0),
                new StageFinished("test", 2, Outcome.FAILED, 2, 1, T0, null),
                new RunFinished(RunStatus.FAILED, T0.plusSeconds(1)));

        assertThat(state.succeeded()).isEmpty();
        assertThat(state.interrupted()).isEmpty();
        assertThat(state.status()).contains(RunStatus.FAILED);
    }

    @Test
    void requireSamePipeline_sameDefinition_passes() {
        ResumeState state = stateAfter(PIPELINE);

        assertThatCode(() -> state.requireSamePipeline(new DigestSpec().build())).doesNotThrowAnyException();
    }

    @Test
    void requireSamePipeline_changedPipeline_refusesNamingBothDigests() {
        ResumeState state = stateAfter(PIPELINE, new StageStarted("test", 1, T0));
        DigestSpec changed = new DigestSpec();
        changed.command = "./mvnw -B verify -DskipTests";
        Pipeline now = changed.build();

        assertThatThrownBy(() -> state.requireSamePipeline(now))
                .isInstanceOf(PipewrightException.class)
                .hasMessageContaining("Cannot resume run " + state.runId())
                .hasMessageContaining("pipeline 'housing-api' has changed since the run started.")
                .hasMessageContaining("digest when the run started: " + PipelineDigest.of(PIPELINE))
                .hasMessageContaining("digest now:                  " + PipelineDigest.of(now))
                .hasMessageContaining("Start a new run, or resume with the pipeline as it was (the run was for"
                        + " commit abc1234).");
    }

    @Test
    void requireSamePipeline_otherPipeline_namesBoth() {
        ResumeState state = stateAfter(PIPELINE);
        DigestSpec other = new DigestSpec();
        other.pipelineName = "payments-api";

        assertThatThrownBy(() -> state.requireSamePipeline(other.build()))
                .hasMessageContaining("pipeline 'payments-api' is not pipeline 'housing-api', which it ran.");
    }

    @Test
    void of_journalWithoutRunStarted_isRefused() throws Exception {
        Path file = Files.writeString(dir.resolve("journal.jsonl"),
                "{\"type\":\"StageStarted\",\"stage\":\"test\",\"attempt\":1,\"at\":\"2026-11-26T10:15:00Z\"}\n");

        assertThatThrownBy(() -> ResumeState.of(Journal.read(file)))
                .isInstanceOf(PipewrightException.class)
                .hasMessageContaining("does not start with the run's RunStarted line; it cannot be resumed");
        Files.writeString(file, "");
        assertThatThrownBy(() -> ResumeState.of(Journal.read(file)))
                .hasMessageContaining("(it holds no event)");
    }

    @Test
    void of_tornJournal_treatsTheCutStageAsNeverStarted() throws Exception {
        ResumeState full = stateAfter(PIPELINE, new StageStarted("test", 1, T0),
                new StageFinished("test", 1, Outcome.SUCCEEDED, 0, 1, T0, null),
                new StageStarted("deploy-staging", 1, T0));
        Path file = Journal.file(dir, full.runId());
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 5));

        ResumeState torn = ResumeState.of(Journal.read(file));

        assertThat(full.interrupted()).containsExactly("deploy-staging");
        assertThat(torn.interrupted()).isEmpty();
        assertThat(torn.succeeded()).containsExactly("test");
    }
}
