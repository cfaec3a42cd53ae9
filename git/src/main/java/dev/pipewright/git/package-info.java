/**
 * Git for pipelines, backed by JGit: repository facts (branch, commit, tags) for filters, change
 * detection for path filters, checkout at the run's exact commit, and secret scanning that blocks
 * deploys. Plugs into core through its public API and SPI only.
 *
 * @since 0.1
 */
@NullMarked
package dev.pipewright.git;

import org.jspecify.annotations.NullMarked;
