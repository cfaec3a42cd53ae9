/**
 * Git for pipelines, backed by JGit: repository facts (branch, commit, tags) for filters, change
 * detection for path filters, checkout at the run's exact commit, and secret scanning that blocks
 * deploys. Plugs into core through its public API and SPI only.
 *
 * <p>Secret scanning: {@link dev.pipewright.git.SecretScan} scans a folder, a working tree, the
 * lines a commit range adds or the whole history, and returns a {@link
 * dev.pipewright.git.SecretScanReport} of {@link dev.pipewright.git.SecretFinding}s (file, line,
 * column, rule, commit, the secret masked). Inside, {@code SecretScanner} runs the {@code
 * SecretRules} detectors over a text after a keyword prefilter, drops decoys ({@code Decoys}:
 * documentation examples, placeholders, template references, UUIDs, digests, public keys),
 * honours {@code pipewright:allow <reason>} comments and skips lock files; {@code SecretText}
 * skips binary content and streams large files in windows; {@code SecretAllowlist} reads the
 * allowlist file; {@code SecretGitScan} walks commits and diffs with JGit. GitHub and npm tokens
 * are checked offline with {@code TokenChecksum}.
 *
 * @since 0.1
 */
@NullMarked
package dev.pipewright.git;

import org.jspecify.annotations.NullMarked;
