/**
 * CircleCI 2.1 configuration: a typed model, a parser that reads real configs with positioned
 * errors, an emitter that writes deterministic YAML, and the compiler from pipelines.
 *
 * @since 0.1
 */
@NullMarked
@CheckReturnValue
package dev.pipewright.circleci;

import com.google.errorprone.annotations.CheckReturnValue;
import org.jspecify.annotations.NullMarked;
