package dev.pipewright.git;

import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableSet;
import dev.pipewright.PipewrightException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.revwalk.filter.RevFilter;
import org.eclipse.jgit.treewalk.EmptyTreeIterator;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.TreeFilter;
import org.jspecify.annotations.Nullable;

/**
 * The paths that differ between two commits of a repository: what path filters ({@code
 * Stage.whenChanged}) are matched against. Immutable.
 *
 * <ul>
 *   <li>{@link #between} compares the two commits' trees, as {@code git diff --name-only BASE
 *       HEAD} does: the commits in between, merges included, do not matter, only the two states.
 *   <li>{@link #sinceDefaultBranch} compares with the merge base of the default branch, as the
 *       CircleCI {@code path-filtering} orb does: what a branch changed since it forked, however
 *       far the default branch moved on. On the default branch itself (the merge base is the
 *       commit), it compares with the commit's first parent; a root commit, with nothing.
 * </ul>
 *
 * <p>Paths are relative to the repository's root, {@code /}-separated, in Git's order. A renamed
 * file is reported under its old <em>and</em> its new path, since a filter on either place must
 * see the move (no rename detection is needed for that: a rename is a deletion and an addition).
 * A file that became a folder, or a submodule whose commit changed, counts as changed. Contents
 * are never read, only tree ids compared, so binary and large files cost nothing more and
 * untouched folders are skipped whole.
 *
 * <pre>{@code
 * Set<String> changed = ChangedPaths.sinceDefaultBranch(Path.of("."), "HEAD").paths();
 * boolean run = PathPattern.selects(stage.whenChanged(), changed);
 * }</pre>
 *
 * @since 0.1
 */
public final class ChangedPaths {
    private final @Nullable String base;
    private final String head;
    private final Set<String> paths;

    private ChangedPaths(@Nullable String base, String head, Set<String> paths) {
        this.base = base;
        this.head = head;
        this.paths = paths;
    }

    /**
     * The paths that differ between commits {@code base} and {@code head} of the repository
     * holding {@code repository}. Revisions are anything Git resolves to a commit: ids (full or
     * abbreviated), branches, tags, {@code HEAD~3}.
     *
     * @throws NullPointerException if an argument is null
     * @throws PipewrightException if there is no repository there, or a revision names no commit
     *     (naming it), or the repository cannot be read
     */
    public static ChangedPaths between(Path repository, String base, String head) {
        checkNotNull(repository, "repository");
        checkNotNull(base, "base");
        checkNotNull(head, "head");
        try (GitRepository git = GitRepository.require(repository, "compare " + base + " with " + head)) {
            return compare(git, git.resolveCommit(base), git.resolveCommit(head));
        } catch (IOException e) {
            throw unreadable(repository, e);
        }
    }

    /**
     * The paths {@code head} changed since it forked from the default branch (see the class
     * description); the default branch is found as {@link GitFacts} finds it, its remote-tracking
     * ref preferred to the local branch.
     *
     * @throws NullPointerException if an argument is null
     * @throws PipewrightException if there is no repository there, {@code head} names no commit,
     *     or there is no default branch to compare with (saying how to set one)
     */
    public static ChangedPaths sinceDefaultBranch(Path repository, String head) {
        checkNotNull(repository, "repository");
        checkNotNull(head, "head");
        try (GitRepository git = GitRepository.require(repository, "find the paths changed by " + head)) {
            ObjectId headId = git.resolveCommit(head);
            String branch = git.defaultBranch().orElseThrow(() -> new PipewrightException("The Git repository at "
                    + git.location() + " has no default branch to compare " + head + " with: no origin/HEAD, no"
                    + " init.defaultBranch, no main or master. Run `git remote set-head origin --auto`, or compare"
                    + " two commits with ChangedPaths.between."));
            GitRepository.BranchTip tip = git.branchTip(branch).orElseThrow(() -> new PipewrightException(
                    "The default branch '" + branch + "' of the Git repository at " + git.location() + " has no"
                    + " commit yet, so there is nothing to compare " + head + " with. Fetch or create it first."));
            return sinceMergeBase(git, tip.commit(), headId);
        } catch (IOException e) {
            throw unreadable(repository, e);
        }
    }

    /** Compares {@code head} with its merge base with {@code other}, the first parent, or nothing. */
    static ChangedPaths sinceMergeBase(GitRepository git, ObjectId other, ObjectId head) throws IOException {
        ObjectId base;
        try (RevWalk walk = new RevWalk(git.jgit())) {
            walk.setRevFilter(RevFilter.MERGE_BASE);
            walk.markStart(walk.parseCommit(other));
            RevCommit headCommit = walk.parseCommit(head);
            walk.markStart(headCommit);
            RevCommit mergeBase = walk.next();
            base = mergeBase == null ? null : mergeBase.copy();
            if (head.equals(base)) {
                base = headCommit.getParentCount() > 0 ? headCommit.getParent(0).copy() : null;
            }
        }
        return compare(git, base, head);
    }

    /** The tree difference; {@code base} null compares with the empty tree. */
    static ChangedPaths compare(GitRepository git, @Nullable ObjectId base, ObjectId head) throws IOException {
        List<String> paths = new ArrayList<>();
        try (ObjectReader reader = git.jgit().newObjectReader();
                RevWalk commits = new RevWalk(reader);
                TreeWalk walk = new TreeWalk(reader)) {
            if (base == null) {
                walk.addTree(new EmptyTreeIterator());
            } else {
                walk.addTree(commits.parseCommit(base).getTree());
            }
            walk.addTree(commits.parseCommit(head).getTree());
            walk.setRecursive(true);
            walk.setFilter(TreeFilter.ANY_DIFF);
            while (walk.next()) {
                paths.add(walk.getPathString());
            }
        }
        return new ChangedPaths(base == null ? null : base.name(), head.name(), ImmutableSet.copyOf(paths));
    }

    private static RuntimeException unreadable(Path repository, IOException e) {
        return new PipewrightException("Cannot read the Git repository at " + repository.toAbsolutePath().normalize()
                + ": " + e.getMessage(), e);
    }

    /** The full id of the commit compared with; empty when {@link #head()} was compared with nothing (a root commit). */
    public Optional<String> base() {
        return Optional.ofNullable(base);
    }

    /** The full id of the commit whose changes these are. */
    public String head() {
        return head;
    }

    /** The changed paths, relative to the repository, in Git's order; unmodifiable. */
    public Set<String> paths() {
        return paths;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof ChangedPaths c && Objects.equals(base, c.base) && head.equals(c.head)
                && paths.equals(c.paths);
    }

    @Override
    public int hashCode() {
        return Objects.hash(base, head, paths);
    }

    /** For example {@code 3 paths changed from 1a2b3c4d5e6f to 9f8e7d6c5b4a}. */
    @Override
    public String toString() {
        return paths.size() + (paths.size() == 1 ? " path" : " paths") + " changed from "
                + (base == null ? "nothing" : base.substring(0, 12)) + " to " + head.substring(0, 12);
    }
}
