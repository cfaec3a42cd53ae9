package dev.pipewright.examples.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The git-changes benchmark at the smoke size: it generates, caches, agrees with git and reports; never how fast. */
class GitChangesBenchmarkTest {
    @TempDir
    Path cache;

    private static boolean gitInstalled() {
        try {
            Process p = new ProcessBuilder("git", "--version").start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void prepare_generatesTheRepositoryOnceWithTheSizeAsked() throws Exception {
        GitChangesBenchmark.Size size = GitChangesBenchmark.Size.SMOKE;

        GitChangesBenchmark.Repo repo = GitChangesBenchmark.prepare(size, cache);

        assertThat(repo.folder().getFileName().toString()).isEqualTo("git-changes-v1-20-files-50-commits");
        try (Git git = Git.open(repo.folder().toFile()); RevWalk walk = new RevWalk(git.getRepository())) {
            Repository r = git.getRepository();
            assertThat(r.isBare()).isTrue();
            assertThat(r.resolve("master").name()).isEqualTo(repo.head());
            assertThat(r.resolve("refs/tags/base").name()).isEqualTo(repo.base());
            int commits = 0;
            for (var c : git.log().addRange(r.resolve(repo.base()), r.resolve(repo.head())).call()) {
                commits++;
            }
            assertThat(commits).isEqualTo(size.commits());
            try (TreeWalk files = new TreeWalk(r)) {
                files.addTree(walk.parseCommit(r.resolve(repo.base())).getTree());
                files.setRecursive(true);
                int count = 0;
                while (files.next()) {
                    count++;
                }
                assertThat(count).isEqualTo(size.files());
            }
        }
        long modified = Files.getLastModifiedTime(repo.folder().resolve("pipewright-bench.properties")).toMillis();
        assertThat(GitChangesBenchmark.prepare(size, cache)).isEqualTo(repo);
        assertThat(Files.getLastModifiedTime(repo.folder().resolve("pipewright-bench.properties")).toMillis())
                .as("reused, not generated again").isEqualTo(modified);
        try (var entries = Files.list(cache)) {
            assertThat(entries).containsExactly(repo.folder());
        }
    }

    @Test
    void run_reportsTheRatioFirstThenTheRawTimes() {
        assumeTrue(gitInstalled(), "compares with the git command line");

        Report report = GitChangesBenchmark.run(GitChangesBenchmark.Size.SMOKE, cache);

        assertThat(report.results()).extracting(Result::metric).containsExactly("time-ratio-vs-git",
                "time-ratio-vs-git-no-renames", "changed-paths-median-ms", "git-diff-median-ms",
                "git-diff-no-renames-median-ms", "changed-paths");
        assertThat(report.results().get(0).unit()).isEqualTo("x");
        assertThat(report.results().get(0).value()).isPositive();
        assertThat(report.results().get(5).value()).isGreaterThan(4);
        assertThat(report.summary()).startsWith("git-changes: ").contains("ChangedPaths.between")
                .contains("git diff --name-only");
    }
}
