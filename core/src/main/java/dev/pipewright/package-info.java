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
 * <p>All model objects are immutable, null-hostile values, safe to share between threads.
 * Builders are mutable and not thread-safe. They validate in {@code build()}: a null or invalid
 * argument given to a builder is recorded, not thrown at the call, and {@code build()} reports
 * every problem at once in an {@link dev.pipewright.InvalidPipelineException}.
 *
 * @since 0.1
 */
@NullMarked
@CheckReturnValue
package dev.pipewright;

import com.google.errorprone.annotations.CheckReturnValue;
import org.jspecify.annotations.NullMarked;
