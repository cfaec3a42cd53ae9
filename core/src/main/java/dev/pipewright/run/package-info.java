/**
 * The local executor: runs a pipeline's stages on this machine, in dependency order, with their
 * steps, gates, credentials and timeouts, and records what happened.
 *
 * <p>Everything it writes (console, run journal, reports, exception messages) passes through one
 * secret masker per run, so that no credential or value marked secret reaches a sink in the
 * clear.
 *
 * @since 0.1
 */
@NullMarked
@CheckReturnValue
package dev.pipewright.run;

import com.google.errorprone.annotations.CheckReturnValue;
import org.jspecify.annotations.NullMarked;
