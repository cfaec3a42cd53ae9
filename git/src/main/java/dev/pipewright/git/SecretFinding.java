package dev.pipewright.git;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.hash.Hashing;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A secret found by a {@link SecretScan}: the file, the 1-based line and column (in UTF-16 units)
 * where the secret starts, the rule that found it, the commit that added it (for history and
 * range scans) and the secret masked so that it is safe to print and log. The secret itself is
 * never kept.
 *
 * <p>The {@linkplain #fingerprint() fingerprint} names the finding in an allowlist without
 * revealing the secret: {@code config/app.env:npm-token:3f9a0c1d5e7b2a64}.
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1
 */
public final class SecretFinding {
    private final String file;
    private final String rule;
    private final int line;
    private final int column;
    private final int endLine;
    private final String masked;
    private final String digest;
    private final @Nullable String commit;

    private SecretFinding(String file, String rule, int line, int column, int endLine, String masked,
            String digest, @Nullable String commit) {
        this.file = checkNotNull(file, "file");
        this.rule = checkNotNull(rule, "rule");
        this.masked = checkNotNull(masked, "masked");
        this.digest = checkNotNull(digest, "digest");
        checkArgument(line >= 1, "line must be positive but was %s", line);
        checkArgument(column >= 1, "column must be positive but was %s", column);
        checkArgument(endLine >= line, "endLine must be at least line %s but was %s", line, endLine);
        this.line = line;
        this.column = column;
        this.endLine = endLine;
        this.commit = commit;
    }

    /** A finding of {@code secret}, which is masked and digested here and not kept. */
    static SecretFinding of(String file, String rule, int line, int column, int endLine,
            String secret) {
        return new SecretFinding(file, rule, line, column, endLine, mask(secret), digest(secret), null);
    }

    /** The same finding, added by {@code commit}. */
    SecretFinding inCommit(String commit) {
        return new SecretFinding(file, rule, line, column, endLine, masked, digest,
                checkNotNull(commit, "commit"));
    }

    /** The same finding in {@code file}, such as a path made relative to another root. */
    SecretFinding inFile(String file) {
        return new SecretFinding(file, rule, line, column, endLine, masked, digest, commit);
    }

    /** The same finding moved down by {@code lines} lines, for text scanned in windows. */
    SecretFinding shiftedBy(int lines, int columns) {
        return new SecretFinding(file, rule, line + lines, line == 1 ? column + columns : column,
                endLine + lines, masked, digest, commit);
    }

    /** The path of the file, relative to the scanned folder or repository, with {@code /}. */
    public String file() {
        return file;
    }

    /** The id of the rule that found the secret, such as {@code aws-access-key-id}. */
    public String rule() {
        return rule;
    }

    /** The 1-based line where the secret starts. */
    public int line() {
        return line;
    }

    /** The 1-based column, in UTF-16 code units, where the secret starts. */
    public int column() {
        return column;
    }

    /** The line where a secret spanning several lines (a PEM block) ends; {@link #line()} for most. */
    int endLine() {
        return endLine;
    }

    /**
     * The full id of the commit that added the secret; empty when a folder or working tree was
     * scanned.
     */
    public Optional<String> commit() {
        return Optional.ofNullable(commit);
    }

    /**
     * The secret masked: {@code ghp_****…Ab12}, its first and last four characters when it is at
     * least 20 characters long, else {@code ****}.
     */
    public String masked() {
        return masked;
    }

    /**
     * {@code file:rule:digest}, where the digest is the first 16 hexadecimal digits of the SHA-256
     * of the secret: stable while the secret stays in the same file, whatever its line, and
     * meaningless to anyone who does not already hold the secret (unless the secret is a weak
     * password, which no hash protects).
     */
    public String fingerprint() {
        return file + ":" + rule + ":" + digest;
    }

    /** The digest part of the fingerprint. */
    String digest() {
        return digest;
    }

    /** {@code ghp_****…Ab12}: first and last 4 characters of long secrets, nothing of short ones. */
    static String mask(String secret) {
        if (secret.length() < 20) {
            return "****";
        }
        return secret.substring(0, 4) + "****\u2026" + secret.substring(secret.length() - 4);
    }

    static String digest(String secret) {
        return Hashing.sha256().hashString(secret, StandardCharsets.UTF_8).toString().substring(0, 16);
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof SecretFinding f && file.equals(f.file) && rule.equals(f.rule)
                && line == f.line && column == f.column && endLine == f.endLine && masked.equals(f.masked)
                && digest.equals(f.digest) && Objects.equals(commit, f.commit);
    }

    @Override
    public int hashCode() {
        return Objects.hash(file, rule, line, column, endLine, masked, digest, commit);
    }

    /** {@code file:line:column: rule (commit abc1234): masked}, safe to print. */
    @Override
    public String toString() {
        return file + ":" + line + ":" + column + ": " + rule
                + (commit == null ? "" : " (commit " + commit.substring(0, Math.min(7, commit.length())) + ")")
                + ": " + masked;
    }
}
