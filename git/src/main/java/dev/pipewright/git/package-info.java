/**
 * Git for pipelines, backed by JGit: repository facts (branch, commit, tags) for filters, change
 * detection for path filters, checkout at the run's exact commit, and secret scanning that blocks
 * deploys. Plugs into core through its public API and SPI only.
 *
 * <p>Secret scanning: {@link dev.pipewright.git.SecretScan} scans a folder, a working tree, the
 * lines a commit range adds or the whole history, and returns a {@link
 * dev.pipewright.git.SecretScanReport} of {@link dev.pipewright.git.SecretFinding}s (file, line,
 * column, rule, commit, the secret masked); {@link dev.pipewright.git.ScanSecretsCommand} is its
 * command line and {@link dev.pipewright.git.SecretScanning} the gate that blocks deploys. Inside,
 * {@code SecretKeywords} finds every rule's keywords in one pass, {@code SecretScanner} runs the
 * {@code SecretRules} detectors at those keywords, drops decoys ({@code Decoys}: documentation
 * examples, placeholders, template references, UUIDs, digests, password hashes, public keys),
 * honours {@code pipewright:allow <reason>} comments and skips lock files; {@code SecretText}
 * skips binary content and streams large files in windows; {@code SecretAsciiText} lets patterns
 * read ASCII bytes undecoded; {@code SecretAllowlist} reads the allowlist file; {@code
 * SecretGitScan} walks commits and diffs with JGit. GitHub and npm tokens are checked offline with
 * {@code TokenChecksum}.
 *
 * @since 0.1
 */
@NullMarked
package dev.pipewright.git;

import org.jspecify.annotations.NullMarked;
