/**
 * The Pipewright command line: {@link dev.pipewright.cli.Pipewright#main(String[],
 * dev.pipewright.Pipeline...)} gives a team's own {@code main} the commands of the Pipewright
 * CLI for its pipelines. Exit codes: 0 success, 1 the thing checked is not OK, 2 usage or input
 * error.
 *
 * @since 0.1
 */
@NullMarked
@CheckReturnValue
package dev.pipewright.cli;

import com.google.errorprone.annotations.CheckReturnValue;
import org.jspecify.annotations.NullMarked;
