package dev.pipewright.git;

import dev.pipewright.Ref;
import dev.pipewright.spi.Attachment;
import dev.pipewright.spi.Facts;
import dev.pipewright.spi.Key;
import dev.pipewright.spi.StepContext;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * A step context with fixed facts and workspace, real per-run state and a log kept in memory:
 * what the runner hands a handler or a check, without a runner. {@link #next} gives the next
 * stage of the same run (same state).
 */
final class FixedStepContext implements StepContext {
    private final Path workspace;
    private final Facts facts;
    private final Map<Key<?>, Object> state;
    final List<String> log = new CopyOnWriteArrayList<>();

    private FixedStepContext(Path workspace, Facts facts, Map<Key<?>, Object> state) {
        this.workspace = workspace;
        this.facts = facts;
        this.state = state;
    }

    static FixedStepContext of(Path workspace, Facts facts) {
        return new FixedStepContext(workspace, facts, new ConcurrentHashMap<>());
    }

    /** Another stage of the same run, working in {@code workspace}. */
    FixedStepContext next(Path workspace) {
        return new FixedStepContext(workspace, facts, state);
    }

    @Override
    public String runId() {
        return "run-1";
    }

    @Override
    public Path runDirectory() {
        return workspace.resolveSibling("run");
    }

    @Override
    public Facts facts() {
        return facts;
    }

    @Override
    public boolean isCancelled() {
        return false;
    }

    @Override
    public Optional<Instant> deadline() {
        return Optional.empty();
    }

    @Override
    public void shell(String script) {
        throw new UnsupportedOperationException("no shell in these tests: " + script);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T state(Key<T> key, Supplier<? extends T> initial) {
        return (T) state.computeIfAbsent(key, k -> initial.get());
    }

    @Override
    public void attach(Attachment attachment) {
        throw new UnsupportedOperationException("no attachments in these tests");
    }

    @Override
    public String pipeline() {
        return "p";
    }

    @Override
    public String stage() {
        return "s";
    }

    @Override
    public Ref ref() {
        return facts.ref().orElseThrow();
    }

    @Override
    public Optional<String> commit() {
        return facts.commit();
    }

    @Override
    public Map<String, String> environment() {
        return Map.of();
    }

    @Override
    public Path workspace() {
        return workspace;
    }

    @Override
    public void log(String line) {
        log.add(line);
    }
}
