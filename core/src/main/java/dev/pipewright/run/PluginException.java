package dev.pipewright.run;

import dev.pipewright.PipewrightException;

/**
 * Thrown when the runner's plugins do not fit together: two handlers for one step type, two
 * readers of repository facts, two credentials providers for one role. The message names both
 * and the explicit registration that settles it.
 *
 * @since 0.1
 */
public final class PluginException extends PipewrightException {
    private static final long serialVersionUID = 1L;

    /** An exception with {@code message}. */
    public PluginException(String message) {
        super(message);
    }
}
