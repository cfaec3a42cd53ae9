package dev.pipewright.spi;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads the facts of a run from the repository it runs in: branch, tags, commit, changed paths
 * (since the default branch, or since the last successful run).
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

    /**
     * As {@link #read(Path)}, but with the changed paths counted from commit {@code since}: the
     * commit of the pipeline's last successful run on the same branch or tag, which the runner
     * finds in its journal. By default the changes are those {@link #read(Path)} gives.
     *
     * @throws Exception if the repository exists but cannot be read
     */
    default Optional<Facts> read(Path folder, String since) throws Exception {
        return read(folder);
    }
}
