package dev.pipewright.spi;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads the facts of a run from the repository it runs in: branch, tags, commit, changed paths.
 * The {@code git} module supplies one backed by JGit; the CLI's {@code --branch} and
 * {@code --tag} override what it reads.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface RepositoryFacts {
    /**
     * The facts of the repository holding {@code folder}; empty if {@code folder} is not in a
     * repository this reader knows.
     *
     * @throws Exception if the repository exists but cannot be read
     */
    Optional<Facts> read(Path folder) throws Exception;
}
