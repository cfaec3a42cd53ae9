package dev.pipewright.cli;

import dev.pipewright.Ref;
import dev.pipewright.RunContext;
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
final class JobContext implements RunContext {
    private final String pipeline;
    private final String stage;
    private final Map<String, String> environment;
    private final PrintWriter out;

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
}
