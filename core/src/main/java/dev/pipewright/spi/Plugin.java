package dev.pipewright.spi;

import java.util.List;
import java.util.Optional;

/**
 * A module's contributions to the local executor, registered with
 * {@code LocalRunner.builder().addPlugin(...)} or, where nothing was registered for a slot, found
 * by {@link java.util.ServiceLoader} (a {@code META-INF/services/dev.pipewright.spi.Plugin} entry;
 * the class needs a public no-argument constructor).
 *
 * <p>Two plugins giving a handler for the same step type, two credentials providers supporting
 * the same role, or two repository readers, are an error naming both: register the one you want
 * explicitly.
 *
 * @since 0.1
 */
public interface Plugin {
    /** The plugin's name, for messages. */
    String name();

    /** Step handlers, one per type. */
    default List<StepHandler> stepHandlers() {
        return List.of();
    }

    /** Credentials providers. */
    default List<CredentialsProvider> credentialsProviders() {
        return List.of();
    }

    /** A reader of repository facts. */
    default Optional<RepositoryFacts> repositoryFacts() {
        return Optional.empty();
    }

    /** Listeners to add to every run. */
    default List<RunListener> listeners() {
        return List.of();
    }
}
