package dev.pipewright.git;

import dev.pipewright.PipewrightException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.Status;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.errors.AmbiguousObjectException;
import org.eclipse.jgit.errors.IncorrectObjectTypeException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.errors.RevisionSyntaxException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefDatabase;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.jspecify.annotations.Nullable;

/**
 * An open JGit repository and the questions this module asks of it. Not thread-safe; close it.
 * JGit's exceptions stay in here: callers get {@link IOException} or {@link PipewrightException}
 * with the repository named.
 */
final class GitRepository implements AutoCloseable {
    static final String ORIGIN = "refs/remotes/origin/";
    private static final List<String> USUAL_DEFAULTS = List.of("main", "master");

    private final Repository repo;

    private GitRepository(Repository repo) {
        this.repo = repo;
    }

    /**
     * The repository holding {@code folder}, found by walking up from it as {@code git} does; a
     * linked worktree opens with its own {@code HEAD} and index and the shared objects and refs.
     *
     * @throws PipewrightException if {@code folder} is not a folder
     * @throws IOException if a repository is there but cannot be read
     */
    static Optional<GitRepository> find(Path folder) throws IOException {
        Path absolute = folder.toAbsolutePath().normalize();
        if (!Files.isDirectory(absolute)) {
            throw new PipewrightException("Cannot read a Git repository at " + absolute + ": no such folder.");
        }
        FileRepositoryBuilder builder = new FileRepositoryBuilder().setMustExist(true).findGitDir(absolute.toFile());
        if (builder.getGitDir() == null) {
            return Optional.empty();
        }
        return Optional.of(new GitRepository(builder.build()));
    }

    /**
     * The repository holding {@code folder}.
     *
     * @throws PipewrightException if there is none, saying what was asked for
     */
    static GitRepository require(Path folder, String purpose) throws IOException {
        return find(folder).orElseThrow(() -> new PipewrightException("Cannot " + purpose + ": "
                + folder.toAbsolutePath().normalize() + " is not inside a Git repository. Run it in a clone,"
                + " or give the folder of one."));
    }

    Repository jgit() {
        return repo;
    }

    /** The folder named in messages: the work tree, or the Git folder of a bare repository. */
    Path location() {
        return (repo.isBare() ? repo.getDirectory() : repo.getWorkTree()).toPath();
    }

    /** The work tree, absolute and normalised; empty for a bare repository. */
    Optional<Path> workTree() {
        return repo.isBare() ? Optional.empty() : Optional.of(repo.getWorkTree().toPath().toAbsolutePath().normalize());
    }

    /** The folder shared by every worktree of the repository: objects, refs, config. */
    Path commonDirectory() {
        return repo.getCommonDirectory().toPath().toAbsolutePath().normalize();
    }

    /** The commit {@code HEAD} points to; empty in a repository without commits. */
    Optional<ObjectId> head() throws IOException {
        return Optional.ofNullable(repo.resolve(Constants.HEAD + "^{commit}"));
    }

    /** The branch {@code HEAD} is on, even one without commits yet; empty on a detached head. */
    Optional<String> currentBranch() throws IOException {
        Ref head = repo.exactRef(Constants.HEAD);
        if (head == null || !head.isSymbolic()) {
            return Optional.empty();
        }
        String target = head.getTarget().getName();
        return target.startsWith(Constants.R_HEADS) ? Optional.of(target.substring(Constants.R_HEADS.length()))
                : Optional.empty();
    }

    /** The names of every tag, annotated or lightweight, that peels to {@code commit}, sorted. */
    List<String> tagsAt(ObjectId commit) throws IOException {
        RefDatabase refs = repo.getRefDatabase();
        List<String> tags = new ArrayList<>();
        for (Ref ref : refs.getRefsByPrefix(Constants.R_TAGS)) {
            Ref peeled = ref.isPeeled() ? ref : refs.peel(ref);
            ObjectId target = peeled.getPeeledObjectId() != null ? peeled.getPeeledObjectId() : peeled.getObjectId();
            if (commit.equals(target)) {
                tags.add(ref.getName().substring(Constants.R_TAGS.length()));
            }
        }
        tags.sort(null);
        return tags;
    }

    /**
     * The default branch: where {@code refs/remotes/origin/HEAD} points; else {@code
     * init.defaultBranch} when that branch exists; else {@code main} or {@code master}, the first
     * that exists; else {@code init.defaultBranch} even if it has no commit yet.
     */
    Optional<String> defaultBranch() throws IOException {
        Ref originHead = repo.exactRef(ORIGIN + Constants.HEAD);
        if (originHead != null && originHead.isSymbolic()) {
            String target = originHead.getTarget().getName();
            if (target.startsWith(ORIGIN)) {
                return Optional.of(target.substring(ORIGIN.length()));
            }
        }
        String configured = repo.getConfig().getString("init", null, "defaultBranch");
        if (configured != null && !configured.isBlank() && branchTip(configured).isPresent()) {
            return Optional.of(configured);
        }
        for (String usual : USUAL_DEFAULTS) {
            if (branchTip(usual).isPresent()) {
                return Optional.of(usual);
            }
        }
        return Optional.ofNullable(configured == null || configured.isBlank() ? null : configured);
    }

    /**
     * Where branch {@code name} points: its remote-tracking ref {@code origin/NAME} when there is
     * one (what was pushed), else the local branch.
     */
    Optional<BranchTip> branchTip(String name) throws IOException {
        for (String ref : List.of(ORIGIN + name, Constants.R_HEADS + name)) {
            Ref found = repo.exactRef(ref);
            if (found != null && found.getObjectId() != null) {
                ObjectId commit = peelToCommit(found.getObjectId());
                if (commit != null) {
                    return Optional.of(new BranchTip(Repository.shortenRefName(ref), commit));
                }
            }
        }
        return Optional.empty();
    }

    /** A branch's ref, shortened ({@code origin/master}, {@code master}), and its commit. */
    record BranchTip(String ref, ObjectId commit) {
    }

    private @Nullable ObjectId peelToCommit(ObjectId id) throws IOException {
        try (RevWalk walk = new RevWalk(repo)) {
            return walk.parseCommit(id).copy();
        } catch (IncorrectObjectTypeException | MissingObjectException e) {
            return null;
        }
    }

    /**
     * The commit {@code revision} names: a full or abbreviated id, a branch, a tag, {@code HEAD~2}.
     *
     * @throws PipewrightException if it names no commit here, naming the revision and repository
     */
    ObjectId resolveCommit(String revision) throws IOException {
        ObjectId id;
        try {
            id = repo.resolve(revision + "^{commit}");
        } catch (AmbiguousObjectException e) {
            throw new PipewrightException("'" + revision + "' is ambiguous in the Git repository at " + location()
                    + ": it abbreviates several objects. Give more digits of the commit id.");
        } catch (RevisionSyntaxException | IncorrectObjectTypeException | MissingObjectException e) {
            id = null;
        }
        if (id == null) {
            throw new PipewrightException("No commit '" + revision + "' in the Git repository at " + location()
                    + ". Give a commit id, branch or tag that exists there (fetch it first if it is only on a remote).");
        }
        return id;
    }

    /** The commit {@code id}, parsed. */
    RevCommit commit(ObjectId id) throws IOException {
        try (RevWalk walk = new RevWalk(repo)) {
            return walk.parseCommit(id);
        }
    }

    /** The working tree's status; only for a repository with a work tree. */
    Status status() throws IOException {
        try {
            return Git.wrap(repo).status().call();
        } catch (GitAPIException e) {
            throw new IOException("cannot read the status of " + location() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Up to {@code limit} of the working tree's uncommitted changes, as {@code modified a.txt},
     * {@code untracked b.txt}; empty when it is clean (ignored files do not count).
     */
    static List<String> changes(Status status, int limit) {
        List<String> changes = new ArrayList<>();
        add(changes, "conflicting", status.getConflicting());
        add(changes, "added", status.getAdded());
        add(changes, "changed", status.getChanged());
        add(changes, "removed", status.getRemoved());
        add(changes, "missing", status.getMissing());
        add(changes, "modified", status.getModified());
        add(changes, "untracked", status.getUntracked());
        if (changes.size() > limit) {
            int more = changes.size() - limit;
            List<String> shown = new ArrayList<>(changes.subList(0, limit));
            shown.add("and " + more + " more");
            return shown;
        }
        return changes;
    }

    private static void add(List<String> into, String kind, java.util.Set<String> paths) {
        paths.stream().sorted().forEach(p -> into.add(kind + " " + p));
    }

    /** {@code file} as an absolute, normalised path. */
    static Path normalised(File file) {
        return file.toPath().toAbsolutePath().normalize();
    }

    @Override
    public void close() {
        repo.close();
    }
}
