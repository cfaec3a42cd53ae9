package dev.pipewright.aws;

import dev.pipewright.Ref;
import dev.pipewright.RunContext;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** A stage's context as a check sees it: its environment, which holds its role's credentials, and its log. */
final class StageContextStub implements RunContext {
    private final Map<String, String> environment;
    final List<String> log = new CopyOnWriteArrayList<>();

    StageContextStub(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    /** A stage holding the sandbox's own credentials, as its role's. */
    static StageContextStub withCredentialsOf(AwsSandbox sandbox) {
        var c = sandbox.credentials().resolveCredentials();
        return new StageContextStub(Map.of("AWS_ACCESS_KEY_ID", c.accessKeyId(), "AWS_SECRET_ACCESS_KEY",
                c.secretAccessKey()));
    }

    @Override
    public String pipeline() {
        return "housing-api";
    }

    @Override
    public String stage() {
        return "deploy-production";
    }

    @Override
    public Ref ref() {
        return Ref.branch("master");
    }

    @Override
    public Optional<String> commit() {
        return Optional.of("4f1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c");
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
        log.add(line);
    }
}
