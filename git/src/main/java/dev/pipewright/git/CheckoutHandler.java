package dev.pipewright.git;

import dev.pipewright.Step;
import dev.pipewright.spi.StepContext;
import dev.pipewright.spi.StepFailedException;
import dev.pipewright.spi.StepHandler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.ResetCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.dircache.DirCacheCheckout;
import org.eclipse.jgit.errors.CheckoutConflictException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@code checkout} steps (parameter {@code path}, relative to the stage's workspace, default
 * {@code .}): the repository holding the workspace, at the run's exact commit, in {@code
 * workspace/path}, without network.
 *
 * <ul>
 *   <li>When the target is a work tree of the repository that this handler did not make (the
 *       clone itself, or a worktree of the user's), or is the workspace inside one, it is only
 *       verified: its {@code HEAD} must be the run's commit, or the step fails; uncommitted
 *       changes are reported, not touched.
 *   <li>When it is missing or empty, a linked worktree is made there, as {@code git worktree add
 *       --detach} would, sharing the repository's objects: the commit's tree is written with JGit
 *       and nothing is copied from the object store.
 *   <li>When it is a worktree this handler made before, it is moved to the run's commit, tracked
 *       files overwritten; untracked files (build output) stay.
 *   <li>Any other non-empty folder is refused.
 * </ul>
 *
 * <p>The commit is pinned in the run's state ({@link GitPlugin#PINNED_COMMIT}) for {@link
 * GitChecks#refUnchanged()}.
 */
final class CheckoutHandler implements StepHandler {
    static final String TYPE = "checkout";
    /** In the worktree's administrative folder: marks a worktree this handler made and may move. */
    static final String MARKER = "pipewright-checkout";
    private static final Logger LOG = LoggerFactory.getLogger(CheckoutHandler.class);

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public void run(Step step, StepContext context) throws IOException {
        String commit = context.facts().commit().orElseThrow(() -> new StepFailedException("checkout needs the run's"
                + " commit, but the run has none: it was not started in a Git repository with at least one commit."
                + " Run it from a clone, or commit first."));
        String path = step.parameters().getOrDefault("path", ".");
        Path workspace = context.workspace().toAbsolutePath().normalize();
        Path target = target(workspace, path);
        String pinned = context.state(GitPlugin.PINNED_COMMIT, () -> commit);
        if (!pinned.equals(commit)) {
            throw new StepFailedException("checkout: this run was pinned to commit " + pinned + " but its facts now"
                    + " say " + commit + ". Start a new run for the new commit.");
        }
        try (GitRepository source = GitRepository.require(workspace, "check out commit " + commit)) {
            ObjectId id = source.resolveCommit(commit);
            if (!id.name().equals(commit)) {
                throw new StepFailedException("checkout: the run's commit must be a full commit id, but was '" + commit
                        + "'.");
            }
            String done = checkout(source, id, workspace, target);
            context.log("checkout: " + target + " " + done + " commit " + commit);
            LOG.debug("Checkout of {} into {}: {}", commit, target, done);
        }
    }

    /** {@code workspace/path}, refused when absolute or outside the workspace. */
    static Path target(Path workspace, String path) {
        Path relative;
        try {
            relative = Path.of(path);
        } catch (InvalidPathException e) {
            throw new StepFailedException("checkout: path '" + path + "' is not a valid path: " + e.getReason() + ".");
        }
        Path target = workspace.resolve(relative).normalize();
        if (relative.isAbsolute() || path.startsWith("~") || !target.startsWith(workspace)) {
            throw new StepFailedException("checkout: path '" + path + "' is outside the stage's workspace " + workspace
                    + ". Give a path relative to the workspace, such as '.' or 'src'.");
        }
        return target;
    }

    /** Makes, moves or verifies the checkout at {@code target}; returns what was done, for the log. */
    private static String checkout(GitRepository source, ObjectId commit, Path workspace, Path target)
            throws IOException {
        if (Files.exists(target) && !Files.isDirectory(target)) {
            throw new StepFailedException("checkout: " + target + " is a file, not a folder. Remove it or give"
                    + " another path.");
        }
        if (!Files.exists(target) || isEmpty(target)) {
            create(source, commit, target);
            return "created a worktree at";
        }
        Optional<GitRepository> found = GitRepository.find(target);
        if (found.isEmpty()) {
            throw refused(target, "it is not a checkout of any Git repository");
        }
        try (GitRepository existing = found.get()) {
            if (!existing.commonDirectory().equals(source.commonDirectory())) {
                throw refused(target, "it is a checkout of another repository (" + existing.commonDirectory() + ")");
            }
            Path workTree = existing.workTree().orElseThrow();
            if (workTree.equals(target)) {
                return isOurs(existing) ? move(existing, commit) : verify(existing, commit);
            }
            if (target.equals(workspace)) {
                return verify(existing, commit); // the stage works in a folder of a work tree: that one is checked
            }
            throw refused(target, "it is a folder inside the work tree at " + workTree + ", not a checkout");
        }
    }

    private static StepFailedException refused(Path target, String why) {
        return new StepFailedException("checkout: refusing to write into " + target + ", which is not empty: " + why
                + ". Empty or remove the folder, or give the checkout step another path.");
    }

    /** A work tree this handler did not make: never written to, only checked. */
    private static String verify(GitRepository existing, ObjectId commit) throws IOException {
        Path workTree = existing.workTree().orElseThrow();
        ObjectId head = existing.head().orElse(ObjectId.zeroId());
        if (!head.equals(commit)) {
            throw new StepFailedException("checkout: the work tree at " + workTree + " is at commit " + head.name()
                    + ", not at the run's commit " + commit.name() + ". Check out " + commit.name() + " there, or give"
                    + " the checkout step a path for a separate checkout.");
        }
        List<String> changes = GitRepository.changes(existing.status(), 5);
        return changes.isEmpty() ? "verified: already at" : "verified (uncommitted changes: " + String.join(", ", changes)
                + "): already at";
    }

    /** A worktree this handler made: moved to {@code commit} as {@code git reset --hard} would; untracked files stay. */
    private static String move(GitRepository worktree, ObjectId commit) throws IOException {
        ObjectId head = worktree.head().orElse(ObjectId.zeroId());
        if (head.equals(commit) && worktree.status().getUncommittedChanges().isEmpty()) {
            return "verified: already at";
        }
        try {
            Git.wrap(worktree.jgit()).reset().setMode(ResetCommand.ResetType.HARD).setRef(commit.name()).call();
        } catch (GitAPIException e) {
            throw new IOException("cannot move " + worktree.location() + " to " + commit.name() + ": " + e.getMessage(),
                    e);
        }
        ObjectId now = worktree.head().orElse(ObjectId.zeroId());
        Set<String> left = worktree.status().getUncommittedChanges();
        if (!now.equals(commit) || !left.isEmpty()) {
            throw new StepFailedException("checkout: moved " + worktree.location() + " to " + commit.name()
                    + " but it is at " + now.name() + " with changes " + left + ".");
        }
        return "moved to";
    }

    /** Whether {@code worktree} is a linked worktree this handler made. */
    private static boolean isOurs(GitRepository worktree) {
        Path gitDir = GitRepository.normalised(worktree.jgit().getDirectory());
        return !gitDir.equals(worktree.commonDirectory()) && Files.isRegularFile(gitDir.resolve(MARKER));
    }

    /** A linked worktree of {@code source} at {@code target}, detached at {@code commit}. */
    private static void create(GitRepository source, ObjectId commit, Path target) throws IOException {
        Path common = source.commonDirectory();
        Path admin = uniqueAdminFolder(common.resolve("worktrees"), target.getFileName());
        boolean targetExisted = Files.exists(target);
        try {
            Files.createDirectories(admin);
            Files.writeString(admin.resolve("gitdir"), target.resolve(".git") + "\n", StandardCharsets.UTF_8);
            Files.writeString(admin.resolve("commondir"), "../..\n", StandardCharsets.UTF_8);
            Files.writeString(admin.resolve("HEAD"), commit.name() + "\n", StandardCharsets.US_ASCII);
            Files.writeString(admin.resolve(MARKER), "Made by the Pipewright checkout step; it may move it to"
                    + " another commit.\n", StandardCharsets.UTF_8);
            Files.createDirectories(target);
            Files.writeString(target.resolve(".git"), "gitdir: " + admin + "\n", StandardCharsets.UTF_8);
            try (GitRepository worktree = GitRepository.find(target).orElseThrow()) {
                Repository repo = worktree.jgit();
                if (!GitRepository.normalised(repo.getDirectory()).equals(admin)) {
                    throw new IOException("the new worktree at " + target + " opened as " + repo.getDirectory());
                }
                DirCacheCheckout checkout = new DirCacheCheckout(repo, repo.lockDirCache(),
                        worktree.commit(commit).getTree());
                checkout.setFailOnConflict(true);
                checkout.checkout();
            }
        } catch (IOException | RuntimeException e) {
            deleteQuietly(admin, true);
            deleteQuietly(target, !targetExisted);
            if (e instanceof CheckoutConflictException conflict) {
                throw new StepFailedException("checkout: cannot write into " + target + ": " + conflict.getMessage()
                        + ". Empty the folder or give another path.");
            }
            throw e;
        }
    }

    /** {@code worktrees/NAME}, {@code NAME} from the target's folder name, numbered when taken. */
    private static Path uniqueAdminFolder(Path worktrees, Path name) {
        String base = name == null ? "checkout" : name.toString().replaceAll("[^A-Za-z0-9._-]", "-");
        if (base.isEmpty() || base.startsWith(".")) {
            base = "checkout" + base;
        }
        Path admin = worktrees.resolve(base);
        for (int i = 1; Files.exists(admin); i++) {
            admin = worktrees.resolve(base + i);
        }
        return admin;
    }

    private static boolean isEmpty(Path folder) throws IOException {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.findAny().isEmpty();
        }
    }

    /** Removes {@code folder}'s contents, and {@code folder} itself when {@code itself}; errors ignored. */
    private static void deleteQuietly(Path folder, boolean itself) {
        if (!Files.exists(folder)) {
            return;
        }
        try {
            Files.walkFileTree(folder, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    if (itself || !dir.equals(folder)) {
                        Files.delete(dir);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            LOG.error("Could not clean up {} after a failed checkout", folder, e);
        }
    }
}
