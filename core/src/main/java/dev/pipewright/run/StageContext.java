package dev.pipewright.run;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import dev.pipewright.PipewrightException;
import dev.pipewright.Ref;
import dev.pipewright.ShellStep;
import dev.pipewright.spi.Attachment;
import dev.pipewright.spi.Facts;
import dev.pipewright.spi.Key;
import dev.pipewright.spi.StepContext;
import dev.pipewright.spi.StepFailedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The {@link StepContext} of one attempt of a stage, or of a hook: its environment (built on
 * first use), its cancellation and deadline, and the run it belongs to.
 */
final class StageContext implements StepContext {
    private final Execution run;
    private final String stage;
    private final Cancellation cancellation;
    private final @Nullable Instant deadline;
    private final Supplier<Map<String, String>> environment;
    /** The environment once built; most Java steps never ask for it. */
    private volatile @Nullable Map<String, String> built;

    StageContext(Execution run, String stage, Cancellation cancellation, @Nullable Instant deadline,
            Supplier<Map<String, String>> environment) {
        this.run = run;
        this.stage = stage;
        this.cancellation = cancellation;
        this.deadline = deadline;
        this.environment = environment;
    }

    @Override
    public String pipeline() {
        return run.pipeline().name();
    }

    @Override
    public String stage() {
        return stage;
    }

    @Override
    public Ref ref() {
        return run.ref();
    }

    @Override
    public Optional<String> commit() {
        return run.facts().commit();
    }

    @Override
    public Map<String, String> environment() {
        Map<String, String> env = built;
        if (env == null) {
            synchronized (environment) { // not this: step code may lock its context
                env = built;
                if (env == null) {
                    env = environment.get();
                    built = env;
                }
            }
        }
        return env;
    }

    @Override
    public Path workspace() {
        return run.workspace();
    }

    @Override
    public void log(String line) {
        checkNotNull(line, "line");
        for (String l : line.split("\r?\n", -1)) {
            run.output(stage, l);
        }
    }

    @Override
    public String runId() {
        return run.runId();
    }

    @Override
    public Path runDirectory() {
        return run.runDirectory();
    }

    @Override
    public Facts facts() {
        return run.facts();
    }

    @Override
    public boolean isCancelled() {
        return cancellation.isCancelled();
    }

    @Override
    public Optional<Instant> deadline() {
        return Optional.ofNullable(deadline);
    }

    @Override
    public void shell(String script) {
        checkNotNull(script, "script");
        shell(ShellStep.of(script));
    }

    /** Runs a shell step: its shell, its variables over the stage's, its working directory. */
    void shell(ShellStep step) {
        Map<String, String> env = environment();
        if (!step.environment().isEmpty()) {
            Map<String, String> merged = new java.util.LinkedHashMap<>(env);
            merged.putAll(step.environment());
            env = merged;
        }
        Path folder = step.workingDirectory().map(run.workspace()::resolve).orElse(run.workspace());
        if (!Files.isDirectory(folder)) {
            throw new StepFailedException("the working directory " + folder + " does not exist; create it in an"
                    + " earlier step or fix the step's working directory.");
        }
        ShellCommand.Builder b = ShellCommand.builder(stage, step.command())
                .workingDirectory(folder)
                .environment(env)
                .output(line -> run.output(stage, line))
                .prefix("")
                .gracePeriod(run.gracePeriod())
                .cancellation(cancellation);
        step.shell().ifPresent(b::shell);
        step.timeout().ifPresent(b::timeout);
        ShellCommand.Result result = b.build().run();
        switch (result.outcome()) {
            case SUCCEEDED -> { }
            case FAILED -> throw new StepFailedException("exit code " + result.exitCode(), result.exitCode());
            case TIMED_OUT -> throw new StepTimedOutException("the step ran past its timeout of "
                    + step.timeout().map(Duration::toString).orElse("?") + " and was stopped", result.exitCode());
            case CANCELLED -> throw new CancellationException("the step was stopped");
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T state(Key<T> key, Supplier<? extends T> initial) {
        checkNotNull(key, "key");
        checkNotNull(initial, "initial");
        return (T) run.state().computeIfAbsent(key, k -> {
            T value = initial.get();
            if (value == null) {
                throw new PipewrightException("The initial value of " + key + " was null; state values must not be"
                        + " null.");
            }
            return value;
        });
    }

    @Override
    public void attach(Attachment attachment) {
        checkNotNull(attachment, "attachment");
        Path path = run.workspace().resolve(attachment.path());
        checkArgument(Files.exists(path), "cannot attach %s: it does not exist", path);
        run.attach(stage, new Attachment(attachment.kind(), path));
    }

    /** A step ran past its own timeout: the stage's outcome is {@code TIMED_OUT}. */
    static final class StepTimedOutException extends PipewrightException {
        private static final long serialVersionUID = 1L;
        private final int exitCode;

        StepTimedOutException(String message, int exitCode) {
            super(message);
            this.exitCode = exitCode;
        }

        int exitCode() {
            return exitCode;
        }
    }
}
