/**
 * The local executor: runs a pipeline's stages on this machine with the same gates, roles and
 * filters as in CI.
 *
 * @since 0.1
 */
@NullMarked
@CheckReturnValue
package dev.pipewright.run;

import com.google.errorprone.annotations.CheckReturnValue;
import org.jspecify.annotations.NullMarked;
