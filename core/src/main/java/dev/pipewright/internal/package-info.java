/**
 * Internals shared by Pipewright's own packages: graph algorithms over stage dependencies and
 * the analysis of which branches and tags a stage can run for. Not API: anything here may change
 * in any release. The {@code aws} and {@code git} modules do not use it.
 */
@NullMarked
@CheckReturnValue
package dev.pipewright.internal;

import com.google.errorprone.annotations.CheckReturnValue;
import org.jspecify.annotations.NullMarked;
