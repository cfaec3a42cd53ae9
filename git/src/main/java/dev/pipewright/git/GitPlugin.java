package dev.pipewright.git;

import static com.google.common.base.Preconditions.checkNotNull;

import dev.pipewright.spi.Key;
import dev.pipewright.spi.Plugin;
import dev.pipewright.spi.RepositoryFacts;
import dev.pipewright.spi.StepHandler;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code git} module's contributions to the local executor: repository facts read with
 * {@link GitFacts}, and the handler of {@code checkout} steps, which materialises the repository
 * at the run's exact commit and pins it ({@link #PINNED_COMMIT}).
 *
 * <p>Found by {@link java.util.ServiceLoader} when the module is on the class path and no plugin
 * was registered; register it explicitly to choose the environment CI variables are read from:
 *
 * <pre>{@code
 * LocalRunner.builder().addPlugin(GitPlugin.of(Map.of("CIRCLE_BRANCH", "master")))
 * }</pre>
 *
 * @since 0.1
 */
public final class GitPlugin implements Plugin {
    /**
     * The commit this run is pinned to: set by the first {@code checkout} step (or the first
     * {@link GitChecks#refUnchanged()} check) of the run, from the run's facts; read by {@link
     * GitChecks#refUnchanged()}.
     */
    public static final Key<String> PINNED_COMMIT = Key.named("git.pinned-commit");

    private final GitFacts facts;

    /** A plugin reading CI variables from this process's environment; for {@link java.util.ServiceLoader}. */
    public GitPlugin() {
        this(GitFacts.defaults());
    }

    private GitPlugin(GitFacts facts) {
        this.facts = facts;
    }

    /**
     * A plugin reading CI variables from {@code environment}.
     *
     * @throws NullPointerException if {@code environment} is null
     */
    public static GitPlugin of(Map<String, String> environment) {
        return new GitPlugin(GitFacts.of(checkNotNull(environment, "environment")));
    }

    /** {@code git}. */
    @Override
    public String name() {
        return "git";
    }

    /** The {@code checkout} handler. */
    @Override
    public List<StepHandler> stepHandlers() {
        return List.of(new CheckoutHandler());
    }

    /** {@link GitFacts}. */
    @Override
    public Optional<RepositoryFacts> repositoryFacts() {
        return Optional.of(facts);
    }

    @Override
    public String toString() {
        return "plugin 'git'";
    }
}
