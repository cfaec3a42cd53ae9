/**
 * Git for pipelines, backed by JGit: repository facts (branch, commit, tags) for filters, change
 * detection for path filters, checkout at the run's exact commit, and secret scanning that blocks
 * deploys. Plugs into core through its public API and SPI only.
 *
 * <p>Secret scanning (package-private so far, no public entry yet): {@code SecretScanner} runs the
 * {@code SecretRules} detectors over a file's text after a keyword prefilter, drops decoys
 * ({@code Decoys}: documentation examples, placeholders, template references, UUIDs, digests,
 * public keys), honours {@code pipewright:allow <reason>} comments and skips lock files; each
 * {@code SecretFinding} carries the rule, line, column and a masked form of the secret, never the
 * secret. GitHub and npm tokens are checked offline with {@code TokenChecksum}.
 *
 * @since 0.1
 */
@NullMarked
package dev.pipewright.git;

import org.jspecify.annotations.NullMarked;
