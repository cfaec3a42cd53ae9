package dev.pipewright.run;

import dev.pipewright.spi.Approval;
import dev.pipewright.spi.ApprovalRequest;
import dev.pipewright.spi.Attachment;
import dev.pipewright.spi.RunInfo;
import dev.pipewright.spi.RunListener;
import dev.pipewright.spi.RunResult;
import dev.pipewright.spi.StageResult;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Every listener of a run, called in order; a listener that throws is logged once per call and ignored. */
final class Listeners implements RunListener {
    private static final Logger LOG = LoggerFactory.getLogger(Listeners.class);

    private final List<RunListener> all;

    Listeners(List<RunListener> all) {
        this.all = List.copyOf(all);
    }

    /** Whether there is no listener: callers may then skip building what they would report. */
    boolean isEmpty() {
        return all.isEmpty();
    }

    private void each(String event, Consumer<RunListener> call) {
        for (RunListener l : all) {
            try {
                call.accept(l);
            } catch (RuntimeException e) {
                LOG.error("Listener {} failed on {}; ignored: {}", l.getClass().getName(), event, e.toString());
            }
        }
    }

    @Override
    public void runStarted(RunInfo run) {
        each("runStarted", l -> l.runStarted(run));
    }

    @Override
    public void stageQueued(String stage) {
        if (!all.isEmpty()) {
            each("stageQueued", l -> l.stageQueued(stage));
        }
    }

    @Override
    public void approvalRequested(ApprovalRequest request) {
        each("approvalRequested", l -> l.approvalRequested(request));
    }

    @Override
    public void approvalDecided(ApprovalRequest request, Approval approval) {
        each("approvalDecided", l -> l.approvalDecided(request, approval));
    }

    @Override
    public void stageStarted(String stage, int attempt) {
        if (!all.isEmpty()) {
            each("stageStarted", l -> l.stageStarted(stage, attempt));
        }
    }

    @Override
    public void stageOutput(String stage, String line) {
        each("stageOutput", l -> l.stageOutput(stage, line));
    }

    @Override
    public void stageRetrying(String stage, int nextAttempt, Duration wait, String reason) {
        each("stageRetrying", l -> l.stageRetrying(stage, nextAttempt, wait, reason));
    }

    @Override
    public void attached(String stage, Attachment attachment) {
        each("attached", l -> l.attached(stage, attachment));
    }

    @Override
    public void stageFinished(StageResult result) {
        if (!all.isEmpty()) {
            each("stageFinished", l -> l.stageFinished(result));
        }
    }

    @Override
    public void hookFinished(StageResult result) {
        each("hookFinished", l -> l.hookFinished(result));
    }

    @Override
    public void runFinished(RunResult result) {
        each("runFinished", l -> l.runFinished(result));
    }
}
