package dev.pipewright.cli;

import dev.pipewright.Ref;
import dev.pipewright.spi.Attachment;
import dev.pipewright.spi.Facts;
import dev.pipewright.spi.Key;
import dev.pipewright.spi.StepContext;
import dev.pipewright.spi.StepFailedException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The run context of a step or check gate running inside a CI job: the ref and commit come from
 * CircleCI's variables ({@code CIRCLE_BRANCH}, {@code CIRCLE_TAG}, {@code CIRCLE_SHA1}), the
 * environment is the job's (its contexts' secrets included), the workspace is the current folder.
 * CircleCI masks context secrets in the job's output itself.
 */
final class JobContext implements StepContext {
    private final String pipeline;
    private final String stage;
    private final Map<String, String> environment;
    private final PrintWriter out;
    private final Map<Key<?>, Object> state = new ConcurrentHashMap<>();

    JobContext(String pipeline, String stage, Map<String, String> environment, PrintWriter out) {
        this.pipeline = pipeline;
        this.stage = stage;
        this.environment = Map.copyOf(environment);
        this.out = out;
    }

    @Override
    public String pipeline() {
        return pipeline;
    }

    @Override
    public String stage() {
        return stage;
    }

    /**
     * The job's ref.
     *
     * @throws UsageException when neither {@code CIRCLE_TAG} nor {@code CIRCLE_BRANCH} is set
     */
    @Override
    public Ref ref() {
        String tag = environment.get("CIRCLE_TAG");
        if (tag != null && !tag.isBlank()) {
            return Ref.tag(tag);
        }
        String branch = environment.get("CIRCLE_BRANCH");
        if (branch != null && !branch.isBlank()) {
            return Ref.branch(branch);
        }
        throw new UsageException("neither CIRCLE_BRANCH nor CIRCLE_TAG is set: this command runs inside a CircleCI job.");
    }

    @Override
    public Optional<String> commit() {
        return Optional.ofNullable(environment.get("CIRCLE_SHA1")).filter(s -> !s.isBlank());
    }

    @Override
    public Map<String, String> environment() {
        return environment;
    }

    @Override
    public Path workspace() {
        return Path.of("").toAbsolutePath();
    }

    @Override
    public void log(String line) {
        out.println("[" + stage + "] " + line);
        out.flush();
    }

    /** The workflow's id ({@code CIRCLE_WORKFLOW_ID}), else the job's number. */
    @Override
    public String runId() {
        return Optional.ofNullable(environment.get("CIRCLE_WORKFLOW_ID"))
                .or(() -> Optional.ofNullable(environment.get("CIRCLE_BUILD_NUM"))).orElse("local");
    }

    /** {@code .pipewright/job} in the job's working folder. */
    @Override
    public Path runDirectory() {
        Path folder = workspace().resolve(".pipewright").resolve("job");
        try {
            return Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + folder + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Facts facts() {
        Facts.Builder b = Facts.builder().ref(ref());
        commit().ifPresent(b::commit);
        return b.build();
    }

    /** CircleCI stops the whole job itself; a step is never cancelled from here. */
    @Override
    public boolean isCancelled() {
        return false;
    }

    /** CircleCI's job timeouts apply; the step has no deadline of its own. */
    @Override
    public Optional<Instant> deadline() {
        return Optional.empty();
    }

    /** Runs {@code script} with {@code bash -eo pipefail}, its output going to the job's. */
    @Override
    public void shell(String script) {
        ProcessBuilder b = new ProcessBuilder("bash", "-eo", "pipefail", "-c", script).directory(workspace().toFile())
                .redirectErrorStream(true);
        b.environment().clear();
        b.environment().putAll(environment);
        try {
            Process p = b.start();
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    log(line);
                }
            }
            int code = p.waitFor();
            if (code != 0) {
                throw new StepFailedException("exit code " + code, code);
            }
        } catch (IOException e) {
            throw new StepFailedException("could not start bash: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StepFailedException("interrupted");
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T state(Key<T> key, Supplier<? extends T> initial) {
        return (T) state.computeIfAbsent(key, k -> initial.get());
    }

    /** CircleCI collects files with its own {@code store_test_results} and {@code store_artifacts} steps. */
    @Override
    public void attach(Attachment attachment) {
        log("attached " + attachment.kind().name().toLowerCase(java.util.Locale.ROOT) + " " + attachment.path());
    }
}
