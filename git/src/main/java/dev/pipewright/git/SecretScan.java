package dev.pipewright.git;

import static com.google.common.base.Preconditions.checkNotNull;

import com.google.errorprone.annotations.CanIgnoreReturnValue;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scans a folder, a Git working tree, the commits of a range or a repository's whole history for
 * secrets: 37 detectors of credential formats (AWS, GitHub, GitLab, Slack, Stripe, Google,
 * private keys, JWTs, npm, PyPI, database URLs, generic passwords and keys...), with keyword
 * prefiltering, entropy thresholds and decoys (documentation examples, placeholders, template
 * references such as {@code ${X}}, {@code << pipeline.x >>} and {@code {{ .Values.x }}}, UUIDs,
 * hashes, public keys) left out. Lock files and binary files are not read.
 *
 * <pre>{@code
 * SecretScanReport report = SecretScan.builder()
 *     .allowlist(Path.of(".secrets-allowlist"))
 *     .build()
 *     .scanRange(Path.of("."), "origin/master", "HEAD");
 * report.findings().forEach(f -> System.out.println(f)); // app/.env:3:11: npm-token: npm_****…Qx2a
 * }</pre>
 *
 * <p><b>Allowing.</b> A line holding {@code pipewright:allow <reason>} (in any comment syntax) is
 * not reported, nor is the line after a comment that holds nothing else. The reason is required:
 * a bare {@code pipewright:allow} allows nothing and is itself reported, as rule {@code
 * allow-without-reason}. An allowlist file allows more; see {@link Builder#allowlist(Path)}.
 *
 * <p><b>What is read.</b> A folder scan reads every regular file under the folder except the
 * {@code .git} folders, without following symbolic links. A working tree scan reads the files
 * Git tracks and the untracked files it does not ignore, as they are on disk. A range scan
 * ({@code from..to}: the commits reachable from {@code to} and not from {@code from}, as {@code
 * git log from..to} lists them) reads, for each commit, only the lines it adds compared with its
 * first parent: a pure rename adds nothing, a secret added by one commit and deleted by a later
 * one is still reported, with the commit that added it, and a merge reports only lines that are
 * in none of its parents (the others are reported with the commits that added them). A history
 * scan does the same for every commit reachable from any ref. A changed file over 16 MiB is not
 * diffed: all of it is scanned, in windows, and everything found is reported.
 *
 * <p>Immutable and thread-safe; every scan opens and closes what it reads.
 *
 * @since 0.1
 */
public final class SecretScan {
    /** The allowlist a scan reads from the scanned folder or working tree when none is given. */
    public static final String ALLOWLIST_FILE = ".secrets-allowlist";

    private static final Logger LOG = LoggerFactory.getLogger(SecretScan.class);

    private final SecretScanner scanner;
    private final @Nullable Path allowlistFile;
    private final @Nullable SecretAllowlist allowlist;

    private SecretScan(Builder b, @Nullable SecretAllowlist allowlist) {
        this.scanner = b.scanner;
        this.allowlistFile = b.allowlist;
        this.allowlist = allowlist;
    }

    /** A scan with the built-in rules and the allowlist found in each scanned root, if any. */
    public static SecretScan defaults() {
        return builder().build();
    }

    /** A builder of a scan with the built-in rules and no explicit allowlist. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this scan's settings. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.scanner = scanner;
        b.allowlist = allowlistFile;
        return b;
    }

    /** The ids of the rules this scan applies, in precedence order. */
    public List<String> rules() {
        List<String> ids = new ArrayList<>();
        scanner.rules().forEach(r -> ids.add(r.id()));
        ids.add(SecretScanner.ALLOW_WITHOUT_REASON);
        return List.copyOf(ids);
    }

    /**
     * Scans every regular file under {@code folder}, except {@code .git} folders; findings name
     * files relative to {@code folder}.
     *
     * @throws SecretScanException if {@code folder} is not a folder, a file cannot be read or the
     *     allowlist is invalid
     */
    public SecretScanReport scanFolder(Path folder) {
        checkNotNull(folder, "folder");
        if (!Files.isDirectory(folder)) {
            throw new SecretScanException("There is no folder " + folder + " to scan. Pass an existing"
                    + " folder.");
        }
        SecretAllowlist allow = allowlistFor(folder);
        Tally tally = new Tally(allow);
        Path root = folder.toAbsolutePath().normalize();
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    Path name = dir.getFileName();
                    return name != null && name.toString().equals(".git") && !dir.equals(root)
                            ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    if (attrs.isRegularFile()) {
                        scanFile(file, relative(root, file), attrs.size(), tally);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    throw e;
                }
            });
        } catch (IOException e) {
            throw new SecretScanException("Cannot read " + e.getMessage() + " while scanning " + folder
                    + ". Make it readable or allowlist its path.", e);
        }
        return tally.report(0);
    }

    /**
     * Scans the working tree of the repository holding {@code repository}: the files Git tracks and
     * the untracked files it does not ignore, as they are on disk, named relative to the working
     * tree's root.
     *
     * @throws SecretScanException if {@code repository} is not in a Git repository with a working
     *     tree, a file cannot be read or the allowlist is invalid
     */
    public SecretScanReport scanWorkingTree(Path repository) {
        checkNotNull(repository, "repository");
        return SecretGitScan.open(repository).workingTree(this);
    }

    /**
     * Scans the lines added by the commits of {@code from..to}: those reachable from {@code to} and
     * not from {@code from}, each compared with its first parent. Revisions are anything Git
     * resolves: a branch, a tag, a full or abbreviated id, {@code HEAD~3}.
     *
     * @throws SecretScanException if {@code repository} is not in a Git repository, a revision does
     *     not resolve to a commit, an object is missing (a shallow clone) or the allowlist is invalid
     */
    public SecretScanReport scanRange(Path repository, String from, String to) {
        checkNotNull(repository, "repository");
        checkNotNull(from, "from");
        checkNotNull(to, "to");
        return SecretGitScan.open(repository).range(this, from, to);
    }

    /**
     * Scans the lines added by every commit reachable from any ref (branches, tags, remote-tracking
     * branches, {@code HEAD}), each compared with its first parent.
     *
     * @throws SecretScanException if {@code repository} is not in a Git repository, an object is
     *     missing or the allowlist is invalid
     */
    public SecretScanReport scanHistory(Path repository) {
        checkNotNull(repository, "repository");
        return SecretGitScan.open(repository).history(this);
    }

    SecretScanner scanner() {
        return scanner;
    }

    /** The explicit allowlist, else the one in {@code root}, else none. */
    SecretAllowlist allowlistFor(@Nullable Path root) {
        if (allowlist != null) {
            return allowlist;
        }
        if (root != null) {
            Path discovered = root.resolve(ALLOWLIST_FILE);
            if (Files.isRegularFile(discovered)) {
                LOG.debug("secret scan uses the allowlist {}", discovered);
                return SecretAllowlist.read(discovered, Set.copyOf(rules()));
            }
        }
        return SecretAllowlist.NONE;
    }

    /** Scans one file on disk into the tally, unless it is skipped by name or allowlisted. */
    void scanFile(Path file, String relative, long size, Tally tally) throws IOException {
        if (SecretScanner.isSkipped(relative) || tally.allowlist.skipsFile(relative)) {
            return;
        }
        if (size < SecretText.DEFAULT.wholeLimit()) {
            // One buffer for every file of the scan: large files allocate nothing new.
            byte[] buffer = tally.buffer((int) size + 1);
            int length;
            try (InputStream in = Files.newInputStream(file)) {
                length = in.readNBytes(buffer, 0, buffer.length);
            }
            if (length < buffer.length) {
                List<SecretFinding> found = SecretText.DEFAULT.scan(scanner, relative, buffer, length);
                tally.add(new SecretText.Scanned(found, found == null ? 0 : length), null);
                return;
            }
            // the file grew since it was listed: read it again, as a stream
        }
        try (InputStream in = Files.newInputStream(file)) {
            tally.add(SecretText.DEFAULT.scan(scanner, relative, in), null);
        }
    }

    static String relative(Path root, Path file) {
        String path = root.relativize(file).toString();
        return path.indexOf('\\') >= 0 ? path.replace('\\', '/') : path;
    }

    /** Findings and counts of one scan, allowlist applied. Not thread-safe. */
    static final class Tally {
        final SecretAllowlist allowlist;
        private final List<SecretFinding> findings = new ArrayList<>();
        private final Set<SecretFinding> seen = new HashSet<>();
        private int files;
        private long bytes;
        private int allowed;
        private byte[] buffer = new byte[64 << 10];

        Tally(SecretAllowlist allowlist) {
            this.allowlist = allowlist;
        }

        /** A buffer of at least {@code size} bytes, reused from file to file. */
        byte[] buffer(int size) {
            if (buffer.length < size) {
                buffer = new byte[Math.max(size, Math.min(buffer.length * 2, SecretText.DEFAULT.wholeLimit()))];
            }
            return buffer;
        }

        void add(SecretText.Scanned scanned, @Nullable String commit) {
            if (scanned.binary()) {
                return;
            }
            files++;
            bytes += scanned.bytes();
            for (SecretFinding f : scanned.findings()) {
                add(commit == null ? f : f.inCommit(commit));
            }
        }

        void add(SecretFinding finding) {
            if (allowlist.allows(finding)) {
                allowed++;
            } else if (seen.add(finding)) {
                findings.add(finding);
            }
        }

        void count(long scannedBytes) {
            files++;
            bytes += scannedBytes;
        }

        SecretScanReport report(int commits) {
            return new SecretScanReport(files, bytes, commits, findings, allowed);
        }
    }

    /**
     * Builds a {@link SecretScan}. Not thread-safe.
     *
     * @since 0.1
     */
    public static final class Builder {
        private SecretScanner scanner = SecretScanner.defaults();
        private @Nullable Path allowlist;

        private Builder() {
        }

        /**
         * Reads allowed findings from {@code file} instead of the {@value SecretScan#ALLOWLIST_FILE}
         * of each scanned root. The file is read by {@link #build()}.
         *
         * <p>Format: UTF-8 text, one entry a line; blank lines and text after {@code #} (at the start
         * or after a space) are ignored. An entry is one of:
         *
         * <ul>
         *   <li>a path glob, relative to the scanned root, with {@code /}: {@code test/fixtures/**},
         *       {@code *.pem}. Files it matches are not read. {@code **} matches any number of
         *       folders, {@code *} and {@code ?} characters within a name. A glob without {@code /}
         *       (other than a trailing one) matches a file or folder name at any depth; one with a
         *       {@code /} matches from the root. A matched folder covers everything in it.
         *   <li>{@code rule:<id>}: the rule is off everywhere, such as {@code rule:generic-password}.
         *   <li>a glob, a space and {@code rule:<id>}: the rule is off in those files, such as {@code
         *       docs/** rule:generic-secret}.
         *   <li>a finding's {@linkplain SecretFinding#fingerprint() fingerprint}, {@code
         *       file:rule:digest}, as {@code scan-secrets --json} and the gate print it: that secret
         *       is allowed in that file, on any line.
         * </ul>
         *
         * Negated globs ({@code !x}), character classes and braces are not supported.
         */
        @CanIgnoreReturnValue
        public Builder allowlist(Path file) {
            this.allowlist = checkNotNull(file, "file");
            return this;
        }

        /**
         * The scan.
         *
         * @throws SecretScanException if the allowlist cannot be read or has invalid lines, naming
         *     each as {@code file:line}
         */
        public SecretScan build() {
            SecretAllowlist parsed = null;
            if (allowlist != null) {
                Set<String> ids = new HashSet<>();
                scanner.rules().forEach(r -> ids.add(r.id()));
                ids.add(SecretScanner.ALLOW_WITHOUT_REASON);
                parsed = SecretAllowlist.read(allowlist, ids);
            }
            return new SecretScan(this, parsed);
        }
    }
}
