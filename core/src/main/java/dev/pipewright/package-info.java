/**
 * The pipeline model and its DSL: what users write, what the local executor runs, what the
 * CircleCI compiler exports and what the pipeline assertions inspect.
 *
 * <p>Key types: {@link dev.pipewright.Pipeline} (entry point: {@code Pipeline.named(...)}),
 * {@link dev.pipewright.Stage}, {@link dev.pipewright.Step} with the built-in
 * {@link dev.pipewright.ShellStep} and {@link dev.pipewright.JavaStep},
 * {@link dev.pipewright.Gate}, {@link dev.pipewright.Environment}, {@link dev.pipewright.Role},
 * {@link dev.pipewright.Trigger} and {@link dev.pipewright.Filter}.
 *
 * <p>All model objects are immutable, null-hostile values. Builders are mutable and validate in
 * {@code build()}, which reports every problem at once in an {@link
 * dev.pipewright.InvalidPipelineException}.
 *
 * @since 0.1
 */
@NullMarked
@CheckReturnValue
package dev.pipewright;

import com.google.errorprone.annotations.CheckReturnValue;
import org.jspecify.annotations.NullMarked;
