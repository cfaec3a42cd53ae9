/**
 * CircleCI 2.1 configuration: a typed model, a parser that reads real configs with positioned
 * errors, an emitter that writes deterministic YAML, and the compiler from pipelines.
 *
 * <p>{@link dev.pipewright.circleci.CircleCiConfig} is the entry point: {@code parse} reads YAML
 * into canonical data and the typed model, {@code builder()} writes one in Java. The model mirrors
 * the data exactly: {@link dev.pipewright.circleci.Orb orbs}, {@link dev.pipewright.circleci.Command
 * commands}, {@link dev.pipewright.circleci.Parameter parameters}, {@link
 * dev.pipewright.circleci.Executor executors}, {@link dev.pipewright.circleci.Job jobs} with their
 * {@link dev.pipewright.circleci.CircleCiStep steps}, {@link dev.pipewright.circleci.Workflow workflows} of
 * {@link dev.pipewright.circleci.WorkflowJob job invocations}, and {@link
 * dev.pipewright.circleci.Condition logic statements}. Every type keeps the keys it does not know in
 * an ordered {@code extra} map, written back unchanged and reported as warnings.
 *
 * <p>A workflow entry can be placed in a pipeline's {@link dev.pipewright.Environment}: {@link
 * dev.pipewright.circleci.WorkflowJob.Builder#environment} gives it the environment's contexts and
 * filter, {@link dev.pipewright.circleci.WorkflowJob#approval} is the approval entering it. {@link
 * dev.pipewright.circleci.ImportSource} turns a config into Java source built this way.
 *
 * <p>Model types are immutable and reject null; builders are mutable and validate in
 * {@code build()}.
 *
 * @since 0.1
 */
@NullMarked
@CheckReturnValue
package dev.pipewright.circleci;

import com.google.errorprone.annotations.CheckReturnValue;
import org.jspecify.annotations.NullMarked;
