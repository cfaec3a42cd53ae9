/**
 * Benchmarks of the command line's {@code bench NAME [--json]}: {@code circleci-emit} (writing a
 * 5,000-job CircleCI configuration as YAML) and {@code circleci-parse} (reading the corpus of real
 * configurations). {@link dev.pipewright.examples.bench.Bench} is the entry point; the harness
 * warms up, times each iteration with {@link System#nanoTime()} and reports medians.
 *
 * <p>{@code examples/bench/compare-circleci.sh} runs the same work with CircleCI's TypeScript
 * config SDK in the same run and prints the ratios.
 *
 * @since 0.1
 */
@NullMarked
@CheckReturnValue
package dev.pipewright.examples.bench;

import com.google.errorprone.annotations.CheckReturnValue;
import org.jspecify.annotations.NullMarked;
