package dev.pipewright.git;

import com.google.common.collect.ImmutableList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link SecretScan} found: the findings not allowed, in the order scanned (commit, then
 * file, then line), and how much it read. Immutable and thread-safe.
 *
 * @since 0.1
 */
public final class SecretScanReport {
    private final int filesScanned;
    private final long bytesScanned;
    private final int commitsScanned;
    private final List<SecretFinding> findings;
    private final int allowed;

    SecretScanReport(int filesScanned, long bytesScanned, int commitsScanned,
            List<SecretFinding> findings, int allowed) {
        this.filesScanned = filesScanned;
        this.bytesScanned = bytesScanned;
        this.commitsScanned = commitsScanned;
        this.findings = ImmutableList.copyOf(findings);
        this.allowed = allowed;
    }

    /**
     * How many text files were read: for a range or history scan, how many changed file versions
     * (a file changed by three commits counts three times). Binary files, lock files and files an
     * allowlist glob covers are not counted.
     */
    public int filesScanned() {
        return filesScanned;
    }

    /** How many bytes of text were read. */
    public long bytesScanned() {
        return bytesScanned;
    }

    /** How many commits a range or history scan read; 0 for a folder or working tree. */
    public int commitsScanned() {
        return commitsScanned;
    }

    /** The secrets found and not allowed; empty when the scan is clean. */
    public List<SecretFinding> findings() {
        return findings;
    }

    /** How many findings the allowlist allowed (not counting the files its globs skipped). */
    public int allowedCount() {
        return allowed;
    }

    /** Whether nothing was found. */
    public boolean isClean() {
        return findings.isEmpty();
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof SecretScanReport r && filesScanned == r.filesScanned
                && bytesScanned == r.bytesScanned && commitsScanned == r.commitsScanned
                && findings.equals(r.findings) && allowed == r.allowed;
    }

    @Override
    public int hashCode() {
        return Objects.hash(filesScanned, bytesScanned, commitsScanned, findings, allowed);
    }

    @Override
    public String toString() {
        return findings.size() + (findings.size() == 1 ? " secret" : " secrets") + " in "
                + filesScanned + (filesScanned == 1 ? " file" : " files")
                + (commitsScanned > 0 ? " of " + commitsScanned + (commitsScanned == 1 ? " commit" : " commits") : "")
                + (allowed > 0 ? " (" + allowed + " allowed)" : "");
    }
}
