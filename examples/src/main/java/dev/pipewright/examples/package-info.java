/**
 * Runnable example pipelines, starting with {@link dev.pipewright.examples.HousingApi}, and the
 * command line over them ({@link dev.pipewright.examples.Main}).
 */
@NullMarked
package dev.pipewright.examples;

import org.jspecify.annotations.NullMarked;
