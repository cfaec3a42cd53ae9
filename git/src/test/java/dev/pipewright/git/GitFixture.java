package dev.pipewright.git;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.MergeCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * A real Git repository in a test's temporary folder, driven with JGit's porcelain; commits get
 * fixed identities and increasing times, so ids are the same in every run.
 */
final class GitFixture implements AutoCloseable {
    static final PersonIdent ALICE = new PersonIdent("Alice Example", "alice@example.org",
            Instant.parse("2024-01-01T00:00:00Z"), ZoneOffset.UTC);

    private final Git git;
    private final Path root;
    private int clock;

    private GitFixture(Git git, Path root) {
        this.git = git;
        this.root = root;
    }

    /** A new repository in {@code folder} whose first branch is {@code master}. */
    static GitFixture init(Path folder) {
        return init(folder, "master");
    }

    static GitFixture init(Path folder, String initialBranch) {
        try {
            Files.createDirectories(folder);
            Git git = Git.init().setDirectory(folder.toFile()).setInitialBranch(initialBranch).call();
            return new GitFixture(git, folder.toAbsolutePath().normalize());
        } catch (GitAPIException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    Path root() {
        return root;
    }

    Git git() {
        return git;
    }

    GitFixture write(String path, String content) {
        return write(path, content.getBytes(StandardCharsets.UTF_8));
    }

    GitFixture write(String path, byte[] content) {
        try {
            Path file = root.resolve(path);
            Files.createDirectories(file.getParent());
            Files.write(file, content);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    GitFixture delete(String path) {
        try {
            Files.delete(root.resolve(path));
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    GitFixture move(String from, String to) {
        try {
            Path target = root.resolve(to);
            Files.createDirectories(target.getParent());
            Files.move(root.resolve(from), target);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stages everything (deletions too) and commits it. */
    RevCommit commit(String message) {
        try {
            git.add().addFilepattern(".").call();
            git.add().addFilepattern(".").setUpdate(true).call();
            PersonIdent when = new PersonIdent(ALICE, ALICE.getWhenAsInstant().plusSeconds(60L * ++clock));
            return git.commit().setMessage(message).setAuthor(when).setCommitter(when).setSign(false).call();
        } catch (GitAPIException e) {
            throw new IllegalStateException(e);
        }
    }

    GitFixture branch(String name) {
        try {
            git.branchCreate().setName(name).call();
            return this;
        } catch (GitAPIException e) {
            throw new IllegalStateException(e);
        }
    }

    GitFixture checkout(String branch) {
        try {
            git.checkout().setName(branch).call();
            return this;
        } catch (GitAPIException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Detaches {@code HEAD} at {@code commit}, as CI checkouts do. */
    GitFixture detach(ObjectId commit) {
        try {
            git.checkout().setName(commit.name()).call();
            assertThat(git.getRepository().getFullBranch()).isEqualTo(commit.name());
            return this;
        } catch (GitAPIException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    GitFixture tag(String name) {
        try {
            git.tag().setName(name).setAnnotated(false).call();
            return this;
        } catch (GitAPIException e) {
            throw new IllegalStateException(e);
        }
    }

    GitFixture annotatedTag(String name) {
        try {
            git.tag().setName(name).setMessage("release " + name).setTagger(ALICE).setSigned(false).call();
            return this;
        } catch (GitAPIException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Merges {@code branch} into the current branch with a merge commit. */
    RevCommit merge(String branch) {
        try {
            git.merge().include(git.getRepository().resolve(branch)).setFastForward(MergeCommand.FastForwardMode.NO_FF)
                    .setMessage("Merge " + branch).call();
            return git.log().setMaxCount(1).call().iterator().next();
        } catch (GitAPIException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Points {@code ref} (a full name) at {@code target} without checking anything out. */
    GitFixture setRef(String ref, ObjectId target) {
        try {
            RefUpdate update = git.getRepository().updateRef(ref);
            update.setNewObjectId(target);
            update.setForceUpdate(true);
            RefUpdate.Result result = update.update();
            assertThat(result).isIn(RefUpdate.Result.NEW, RefUpdate.Result.FORCED, RefUpdate.Result.FAST_FORWARD,
                    RefUpdate.Result.NO_CHANGE);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Points {@code refs/remotes/origin/HEAD} at {@code origin/<branch>}, as {@code git clone} does. */
    GitFixture originHead(String branch) {
        try {
            git.getRepository().updateRef("refs/remotes/origin/HEAD").link("refs/remotes/origin/" + branch);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    ObjectId resolve(String revision) {
        try {
            return git.getRepository().resolve(revision);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        git.close();
    }

    /** Whether a {@code git} command line is installed, for the few comparisons that need one. */
    static boolean gitInstalled() {
        try {
            Process p = new ProcessBuilder("git", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Runs {@code git args...} in {@code folder} with a hermetic configuration (no system or user
     * config) and returns its standard output; fails the test on a non-zero exit.
     */
    static String cli(Path folder, String... args) {
        List<String> command = new ArrayList<>(List.of("git", "-c", "core.quotepath=false"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(folder.toFile());
        pb.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        pb.environment().put("GIT_CONFIG_GLOBAL", "/dev/null");
        pb.environment().put("GIT_AUTHOR_NAME", "Bob");
        pb.environment().put("GIT_AUTHOR_EMAIL", "bob@example.org");
        pb.environment().put("GIT_COMMITTER_NAME", "Bob");
        pb.environment().put("GIT_COMMITTER_EMAIL", "bob@example.org");
        try {
            Process p = pb.start();
            byte[] err = new byte[0];
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            err = p.getErrorStream().readAllBytes();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("git %s finished", command).isTrue();
            assertThat(p.exitValue()).as("git %s: %s", command, new String(err, StandardCharsets.UTF_8)).isZero();
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
