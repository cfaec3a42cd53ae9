package dev.pipewright.git;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.diff.DiffAlgorithm;
import org.eclipse.jgit.diff.DiffConfig;
import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.diff.Edit;
import org.eclipse.jgit.diff.RawText;
import org.eclipse.jgit.diff.RawTextComparator;
import org.eclipse.jgit.diff.RenameDetector;
import org.eclipse.jgit.dircache.DirCacheIterator;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.errors.RevisionSyntaxException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.RepositoryCache;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevObject;
import org.eclipse.jgit.revwalk.RevSort;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.revwalk.filter.RevFilter;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.EmptyTreeIterator;
import org.eclipse.jgit.treewalk.FileTreeIterator;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.WorkingTreeIterator;
import org.eclipse.jgit.treewalk.filter.TreeFilter;
import org.eclipse.jgit.util.FS;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The repository side of {@link SecretScan}: a working tree, the lines commits add, a commit's
 * tree. Each method opens the repository and closes it before returning; JGit errors become
 * {@link SecretScanException}s naming the repository and what failed.
 */
final class SecretGitScan {
    /** Changed blobs over this size are not diffed: all of their text is scanned. */
    static final int DIFF_LIMIT = 16 << 20;

    private static final Logger LOG = LoggerFactory.getLogger(SecretGitScan.class);
    private static final DiffAlgorithm DIFF =
            DiffAlgorithm.getAlgorithm(DiffAlgorithm.SupportedAlgorithm.HISTOGRAM);

    private final Path folder;
    private final @Nullable Path workTree;
    private final @Nullable File gitDir;

    private SecretGitScan(Path folder, @Nullable Path workTree, @Nullable File gitDir) {
        this.folder = folder;
        this.workTree = workTree;
        this.gitDir = gitDir;
    }

    /**
     * The repository holding {@code folder}: the nearest folder at or above it with a {@code .git}
     * folder or file (a linked worktree), or a bare repository.
     *
     * @throws SecretScanException if {@code folder} does not exist or is in no repository
     */
    static SecretGitScan open(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new SecretScanException("There is no folder " + folder + ". Pass the folder of a Git"
                    + " repository.");
        }
        for (Path dir = folder.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve(Constants.DOT_GIT))) {
                return new SecretGitScan(folder, dir, null);
            }
            if (RepositoryCache.FileKey.isGitRepository(dir.toFile(), FS.DETECTED)) {
                return new SecretGitScan(folder, null, dir.toFile());
            }
        }
        throw new SecretScanException(folder + " is not in a Git repository. Pass a repository's"
                + " folder, or scan it as a plain folder.");
    }

    private Repository repository() throws IOException {
        FileRepositoryBuilder builder = new FileRepositoryBuilder().setMustExist(true);
        if (workTree != null) {
            builder.setWorkTree(workTree.toFile());
        } else {
            builder.setGitDir(gitDir).setBare();
        }
        return builder.build();
    }

    private SecretScanException failure(String what, Exception e) {
        if (e instanceof SecretScanException s) {
            return s;
        }
        if (e instanceof MissingObjectException m) {
            return new SecretScanException("Cannot " + what + " in " + folder + ": object "
                    + m.getObjectId().name() + " is missing. A shallow clone lacks history: fetch the"
                    + " commits scanned (git fetch --unshallow).", e);
        }
        return new SecretScanException("Cannot " + what + " in " + folder + ": " + e.getMessage(), e);
    }

    /** Tracked files and untracked files not ignored, read from disk. */
    SecretScanReport workingTree(SecretScan scan) {
        try (Repository repo = repository()) {
            if (repo.isBare()) {
                throw new SecretScanException(folder + " is a bare repository: it has no working tree."
                        + " Scan a range or the history instead.");
            }
            Path root = repo.getWorkTree().toPath();
            SecretScan.Tally tally = new SecretScan.Tally(scan.allowlistFor(root));
            try (TreeWalk walk = new TreeWalk(repo)) {
                int index = walk.addTree(new DirCacheIterator(repo.readDirCache()));
                int disk = walk.addTree(new FileTreeIterator(repo));
                walk.setRecursive(false);
                while (walk.next()) {
                    WorkingTreeIterator file = walk.getTree(disk, WorkingTreeIterator.class);
                    boolean tracked = walk.getTree(index, DirCacheIterator.class) != null;
                    if (file == null || (!tracked && file.isEntryIgnored())) {
                        continue; // deleted on disk, or ignored: not entered either
                    }
                    if (walk.isSubtree()) {
                        walk.enterSubtree();
                        continue;
                    }
                    FileMode mode = file.getEntryFileMode();
                    if (mode == FileMode.REGULAR_FILE || mode == FileMode.EXECUTABLE_FILE) {
                        String path = walk.getPathString();
                        Path onDisk = root.resolve(path);
                        scan.scanFile(onDisk, path, Files.size(onDisk), tally);
                    }
                }
            }
            return tally.report(0);
        } catch (IOException | RuntimeException e) {
            throw failure("scan the working tree", e);
        }
    }

    /** The lines added by the commits reachable from {@code to} and not from {@code from}. */
    SecretScanReport range(SecretScan scan, String from, String to) {
        try (Repository repo = repository(); RevWalk walk = new RevWalk(repo)) {
            RevCommit start = commit(repo, walk, to, from + ".." + to);
            RevCommit stop = commit(repo, walk, from, from + ".." + to);
            walk.markStart(start);
            walk.markUninteresting(stop);
            return commits(scan, repo, walk);
        } catch (IOException | RuntimeException e) {
            throw failure("scan the commits " + from + ".." + to, e);
        }
    }

    /** The lines added by every commit reachable from a ref or HEAD. */
    SecretScanReport history(SecretScan scan) {
        try (Repository repo = repository(); RevWalk walk = new RevWalk(repo)) {
            List<Ref> refs = new ArrayList<>(repo.getRefDatabase().getRefs());
            Ref head = repo.exactRef(Constants.HEAD);
            if (head != null) {
                refs.add(head);
            }
            for (Ref ref : refs) {
                ObjectId id = ref.getObjectId();
                if (id == null) {
                    continue; // an unborn branch
                }
                RevObject object = walk.peel(walk.parseAny(id));
                if (object instanceof RevCommit c) {
                    walk.markStart(c);
                }
            }
            return commits(scan, repo, walk);
        } catch (IOException | RuntimeException e) {
            throw failure("scan the history", e);
        }
    }

    /** Every text file in the tree of {@code revision}, reported as added by it. */
    SecretScanReport tree(SecretScan scan, String revision) {
        try (Repository repo = repository(); RevWalk walk = new RevWalk(repo);
                ObjectReader reader = repo.newObjectReader();
                TreeWalk tree = new TreeWalk(reader)) {
            RevCommit commit = commit(repo, walk, revision, revision);
            SecretScan.Tally tally = new SecretScan.Tally(scan.allowlistFor(workTree(repo)));
            tree.addTree(commit.getTree());
            tree.setRecursive(true);
            while (tree.next()) {
                FileMode mode = tree.getFileMode(0);
                String path = tree.getPathString();
                if ((mode == FileMode.REGULAR_FILE || mode == FileMode.EXECUTABLE_FILE) && !skipped(path,
                        tally)) {
                    ObjectLoader blob = reader.open(tree.getObjectId(0), Constants.OBJ_BLOB);
                    try (InputStream in = blob.openStream()) {
                        SecretText.Scanned scanned = SecretText.DEFAULT.scan(scan.scanner(), path, in);
                        tally.add(scanned, commit.name());
                    }
                }
            }
            return tally.report(1);
        } catch (IOException | RuntimeException e) {
            throw failure("scan the tree of " + revision, e);
        }
    }

    /**
     * Where a run's commits start.
     *
     * @param head the run's commit, in full
     * @param commit the merge base of {@code head} and the default branch; null when there is no
     *     default branch or no common ancestor
     * @param branch the default branch; null when none was found
     */
    record Base(String head, @Nullable String commit, @Nullable String branch) {}

    /**
     * The merge base of {@code revision} and the default branch, as the repository facts name it
     * ({@code origin/HEAD}, else {@code init.defaultBranch}, else {@code main} or {@code master};
     * its pushed tip {@code origin/NAME} when there is one).
     */
    Base base(String revision) {
        try (Repository repo = repository(); RevWalk walk = new RevWalk(repo);
                GitRepository git = GitRepository.require(folder, "find the default branch")) {
            RevCommit head = commit(repo, walk, revision, "the run's commit");
            Optional<String> name = git.defaultBranch();
            Optional<GitRepository.BranchTip> tip = name.isPresent() ? git.branchTip(name.get())
                    : Optional.empty();
            if (tip.isEmpty()) {
                return new Base(head.name(), null, null);
            }
            walk.setRevFilter(RevFilter.MERGE_BASE);
            walk.markStart(head);
            walk.markStart(walk.parseCommit(tip.get().commit()));
            RevCommit base = walk.next();
            return new Base(head.name(), base == null ? null : base.name(), tip.get().ref());
        } catch (IOException | RuntimeException e) {
            throw failure("find the merge base of " + revision + " and the default branch", e);
        }
    }

    private static @Nullable Path workTree(Repository repo) {
        return repo.isBare() ? null : repo.getWorkTree().toPath();
    }

    private static RevCommit commit(Repository repo, RevWalk walk, String revision, String range)
            throws IOException {
        try {
            ObjectId id = revision.isBlank() ? null : repo.resolve(revision + "^{commit}");
            if (id != null) {
                return walk.parseCommit(id);
            }
        } catch (RevisionSyntaxException | MissingObjectException e) {
            // not a revision, or a full id, which resolves to itself, of an object that is not there
        }
        throw new SecretScanException("Unknown revision '" + revision + "' in " + range + ": no"
                + " commit has that name in " + repo.getDirectory() + ". Use a branch, a tag or a commit"
                + " id that exists there (fetch it first in a shallow clone).");
    }

    private static boolean skipped(String path, SecretScan.Tally tally) {
        return SecretScanner.isSkipped(path) || tally.allowlist.skipsFile(path);
    }

    /** Scans the commits {@code walk} yields, oldest first. */
    private SecretScanReport commits(SecretScan scan, Repository repo, RevWalk walk)
            throws IOException {
        walk.sort(RevSort.TOPO, true);
        walk.sort(RevSort.REVERSE, true);
        SecretScan.Tally tally = new SecretScan.Tally(scan.allowlistFor(workTree(repo)));
        DiffConfig diffConfig = repo.getConfig().get(DiffConfig.KEY);
        int commits = 0;
        try (ObjectReader reader = repo.newObjectReader()) {
            for (RevCommit commit : walk) {
                walk.parseHeaders(commit);
                commits++;
                scanCommit(scan, reader, diffConfig, walk, commit, tally);
            }
        }
        LOG.debug("secret scan of {} read {} commits", folder, commits);
        return tally.report(commits);
    }

    private static void scanCommit(SecretScan scan, ObjectReader reader, DiffConfig diffConfig,
            RevWalk walk, RevCommit commit, SecretScan.Tally tally) throws IOException {
        RevCommit[] parents = commit.getParents();
        for (RevCommit parent : parents) {
            walk.parseHeaders(parent);
        }
        List<DiffEntry> changes;
        try (TreeWalk tree = new TreeWalk(reader)) {
            if (parents.length == 0) {
                tree.addTree(new EmptyTreeIterator());
            } else {
                tree.addTree(parents[0].getTree());
            }
            tree.addTree(commit.getTree());
            tree.setRecursive(true);
            tree.setFilter(TreeFilter.ANY_DIFF);
            changes = DiffEntry.scan(tree);
        }
        if (parents.length > 0) {
            RenameDetector renames = new RenameDetector(reader, diffConfig);
            renames.addAll(changes);
            try {
                changes = renames.compute(reader, NullProgressMonitor.INSTANCE);
            } catch (org.eclipse.jgit.api.errors.CanceledException e) {
                throw new IOException("rename detection was cancelled", e);
            }
        }
        for (DiffEntry change : changes) {
            DiffEntry.ChangeType type = change.getChangeType();
            FileMode mode = change.getNewMode();
            String path = change.getNewPath();
            if (type == DiffEntry.ChangeType.DELETE
                    || (mode != FileMode.REGULAR_FILE && mode != FileMode.EXECUTABLE_FILE)
                    || skipped(path, tally)) {
                continue;
            }
            ObjectId newId = change.getNewId().toObjectId();
            boolean hasOld = type != DiffEntry.ChangeType.ADD
                    && (change.getOldMode() == FileMode.REGULAR_FILE
                            || change.getOldMode() == FileMode.EXECUTABLE_FILE);
            ObjectId oldId = hasOld ? change.getOldId().toObjectId() : null;
            if (newId.equals(oldId)) {
                continue; // a pure rename or a mode change adds no line
            }
            scanChange(scan, reader, commit, path, newId, oldId, tally);
        }
    }

    private static void scanChange(SecretScan scan, ObjectReader reader, RevCommit commit,
            String path, ObjectId newId, @Nullable ObjectId oldId, SecretScan.Tally tally)
            throws IOException {
        ObjectLoader blob = reader.open(newId, Constants.OBJ_BLOB);
        if (blob.isLarge() || blob.getSize() > DIFF_LIMIT) {
            LOG.debug("{} in {} is over {} bytes: scanned whole, not diffed", path, commit.name(),
                    DIFF_LIMIT);
            try (InputStream in = blob.openStream()) {
                tally.add(SecretText.DEFAULT.scan(scan.scanner(), path, in), commit.name());
            }
            return;
        }
        byte[] bytes = blob.getCachedBytes();
        if (SecretText.isBinary(bytes, bytes.length)) {
            return;
        }
        BitSet added = added(reader, oldId, bytes);
        RevCommit[] parents = commit.getParents();
        for (int p = 1; p < parents.length && !added.isEmpty(); p++) {
            ObjectId inParent = blobAt(reader, parents[p], path);
            if (inParent != null && inParent.equals(newId)) {
                added.clear(); // the merge took this file unchanged from another parent
            } else if (inParent != null) {
                added.and(added(reader, inParent, bytes));
            }
        }
        tally.count(bytes.length);
        if (added.isEmpty()) {
            return;
        }
        for (SecretFinding f : scan.scanner().scanUtf8(path, bytes)) {
            int next = added.nextSetBit(f.line());
            if (next >= 0 && next <= f.endLine()) {
                tally.add(f.inCommit(commit.name()));
            }
        }
    }

    /** The 1-based lines of {@code bytes} that {@code oldId}'s version does not have. */
    private static BitSet added(ObjectReader reader, @Nullable ObjectId oldId, byte[] bytes)
            throws IOException {
        RawText after = new RawText(bytes);
        BitSet added = new BitSet(after.size() + 1);
        byte[] before = oldId == null ? null : text(reader, oldId);
        if (before == null) {
            added.set(1, after.size() + 1);
            return added;
        }
        for (Edit edit : DIFF.diff(RawTextComparator.DEFAULT, new RawText(before), after)) {
            if (edit.getEndB() > edit.getBeginB()) {
                added.set(edit.getBeginB() + 1, edit.getEndB() + 1);
            }
        }
        return added;
    }

    /** The bytes of a text blob small enough to diff; null for binary or large blobs. */
    private static byte @Nullable [] text(ObjectReader reader, ObjectId id) throws IOException {
        ObjectLoader blob = reader.open(id, Constants.OBJ_BLOB);
        if (blob.isLarge() || blob.getSize() > DIFF_LIMIT) {
            return null;
        }
        byte[] bytes = blob.getCachedBytes();
        return SecretText.isBinary(bytes, bytes.length) ? null : bytes;
    }

    private static @Nullable ObjectId blobAt(ObjectReader reader, RevCommit commit, String path)
            throws IOException {
        try (TreeWalk walk = TreeWalk.forPath(reader, path, commit.getTree())) {
            if (walk == null) {
                return null;
            }
            FileMode mode = walk.getFileMode(0);
            return mode == FileMode.REGULAR_FILE || mode == FileMode.EXECUTABLE_FILE
                    ? walk.getObjectId(0) : null;
        }
    }
}
