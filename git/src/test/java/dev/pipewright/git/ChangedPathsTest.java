package dev.pipewright.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pipewright.PathPattern;
import dev.pipewright.PipewrightException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChangedPathsTest {
    @TempDir
    Path tmp;

    @Test
    void between_reportsAddedModifiedAndDeletedPaths() {
        try (GitFixture repo = GitFixture.init(tmp.resolve("repo"))) {
            repo.write("keep.txt", "same").write("edit.txt", "1").write("gone.txt", "1");
            RevCommit base = repo.commit("base");
            repo.write("edit.txt", "2").write("dir/new.txt", "n").delete("gone.txt");
            RevCommit head = repo.commit("head");

            ChangedPaths changes = ChangedPaths.between(repo.root(), base.name(), head.name());

            assertThat(changes.paths()).containsExactly("dir/new.txt", "edit.txt", "gone.txt");
            assertThat(changes.base()).contains(base.name());
            assertThat(changes.head()).isEqualTo(head.name());
            assertThat(changes).hasToString("3 paths changed from " + base.name().substring(0, 12) + " to "
                    + head.name().substring(0, 12));
        }
    }

    @Test
    void between_rename_reportsTheOldAndTheNewPath() {
        try (GitFixture repo = GitFixture.init(tmp.resolve("repo"))) {
            repo.write("services/a/Old.java", "class Old { /* long enough to be detected as a rename */ }\n");
            RevCommit base = repo.commit("base");
            repo.move("services/a/Old.java", "services/b/New.java");
            RevCommit head = repo.commit("move");

            assertThat(ChangedPaths.between(repo.root(), base.name(), head.name()).paths())
                    .containsExactly("services/a/Old.java", "services/b/New.java");
        }
    }

    @Test
    void between_binaryAndLargeFiles_areComparedByIdOnly() {
        try (GitFixture repo = GitFixture.init(tmp.resolve("repo"))) {
            byte[] large = new byte[2 * 1024 * 1024];
            new Random(1).nextBytes(large);
            byte[] binary = {0, 1, 2, (byte) 0xFF, 0, 0};
            repo.write("big/unchanged.bin", large).write("img/logo.png", binary);
            RevCommit base = repo.commit("base");
            large[large.length - 1] ^= 1;
            repo.write("big/changed.bin", large).write("img/logo.png", new byte[] {0, 1, 2, (byte) 0xFE, 0, 0});
            RevCommit head = repo.commit("head");

            assertThat(ChangedPaths.between(repo.root(), base.name(), head.name()).paths())
                    .containsExactly("big/changed.bin", "img/logo.png");
        }
    }

    @Test
    void between_fileBecomesFolder_reportsBoth() {
        try (GitFixture repo = GitFixture.init(tmp.resolve("repo"))) {
            repo.write("config", "flat");
            RevCommit base = repo.commit("base");
            repo.delete("config").write("config/app.yaml", "nested");
            RevCommit head = repo.commit("head");

            assertThat(ChangedPaths.between(repo.root(), base.name(), head.name()).paths())
                    .containsExactlyInAnyOrder("config", "config/app.yaml");
        }
    }

    @Test
    void between_acrossMerges_comparesOnlyTheTwoStates() {
        try (GitFixture repo = GitFixture.init(tmp.resolve("repo"))) {
            repo.write("a", "1").write("b", "1").write("flip", "same");
            RevCommit base = repo.commit("base");
            repo.branch("feature").checkout("feature");
            repo.write("a", "2").write("flip", "changed");
            repo.commit("feature 1");
            repo.write("flip", "same");
            repo.commit("feature 2 reverts flip");
            repo.checkout("master").write("b", "2");
            repo.commit("master change");
            RevCommit merge = repo.merge("feature");

            assertThat(merge.getParentCount()).isEqualTo(2);
            assertThat(ChangedPaths.between(repo.root(), base.name(), merge.name()).paths()).containsExactly("a", "b");
            assertThat(ChangedPaths.between(repo.root(), "feature", "master").paths()).containsExactly("b");
        }
    }

    @Test
    void between_inAMonorepo_pathFiltersSelectOnlyTheChangedService() {
        try (GitFixture repo = GitFixture.init(tmp.resolve("repo"))) {
            repo.write("services/a/pom.xml", "a").write("services/a/src/A.java", "a")
                    .write("services/b/pom.xml", "b").write("services/b/docs/README.md", "b").write("pom.xml", "root");
            RevCommit base = repo.commit("base");
            repo.write("services/a/src/A.java", "a2").write("services/b/docs/README.md", "b2");
            RevCommit head = repo.commit("a code, b docs");

            Set<String> changed = ChangedPaths.between(repo.root(), base.name(), head.name()).paths();

            List<PathPattern> a = List.of(PathPattern.of("services/a/**"));
            List<PathPattern> b = List.of(PathPattern.of("services/b/**"), PathPattern.of("!services/b/docs/**"));
            List<PathPattern> root = List.of(PathPattern.of("*"));
            assertThat(PathPattern.selects(a, changed)).isTrue();
            assertThat(PathPattern.selects(b, changed)).isFalse();
            assertThat(PathPattern.selects(root, changed)).isFalse();
        }
    }

    @Test
    void between_revisions_acceptBranchesTagsAndAbbreviations() {
        try (GitFixture repo = GitFixture.init(tmp.resolve("repo"))) {
            repo.write("a", "1");
            RevCommit one = repo.commit("one");
            repo.annotatedTag("v1");
            repo.write("a", "2");
            repo.commit("two");

            assertThat(ChangedPaths.between(repo.root(), "v1", "master").paths()).containsExactly("a");
            assertThat(ChangedPaths.between(repo.root(), one.name().substring(0, 8), "HEAD").paths()).containsExactly("a");
            assertThat(ChangedPaths.between(repo.root(), "HEAD~1", "HEAD~1").paths()).isEmpty();
        }
    }

    @Test
    void between_unknownRevision_failsNamingItAndTheFix() {
        try (GitFixture repo = GitFixture.init(tmp.resolve("repo"))) {
            repo.write("a", "1");
            repo.commit("one");

            assertThatThrownBy(() -> ChangedPaths.between(repo.root(), "nope", "HEAD"))
                    .isInstanceOf(PipewrightException.class)
                    .hasMessageContaining("No commit 'nope' in the Git repository at " + repo.root())
                    .hasMessageContaining("fetch it first");
        }
    }

    @Test
    void between_outsideAnyRepository_failsNamingTheFolder() throws Exception {
        Path plain = Files.createDirectories(tmp.resolve("plain"));

        assertThatThrownBy(() -> ChangedPaths.between(plain, "a", "b")).isInstanceOf(PipewrightException.class)
                .hasMessageContaining(plain + " is not inside a Git repository");
    }

    @Test
    void between_agreesWithGitDiffNameOnly() {
        assumeTrue(GitFixture.gitInstalled(), "compares with the git command line");
        try (GitFixture repo = GitFixture.init(tmp.resolve("repo"))) {
            Random random = new Random(42);
            List<String> files = new java.util.ArrayList<>();
            for (int i = 0; i < 60; i++) {
                String path = "d" + random.nextInt(4) + "/e" + random.nextInt(3) + "/f" + i + ".txt";
                files.add(path);
                repo.write(path, "v0 " + i);
            }
            RevCommit base = repo.commit("base");
            for (int c = 0; c < 10; c++) {
                for (int k = 0; k < 4; k++) {
                    String path = files.get(random.nextInt(files.size()));
                    switch (random.nextInt(4)) {
                        case 0 -> repo.write(path, "v" + c + " " + random.nextInt());
                        case 1 -> {
                            if (Files.exists(repo.root().resolve(path))) {
                                repo.delete(path);
                            }
                        }
                        case 2 -> {
                            if (Files.exists(repo.root().resolve(path))) {
                                String moved = "moved/" + c + "-" + k + ".txt";
                                repo.move(path, moved);
                                files.add(moved);
                            }
                        }
                        default -> repo.write("new/" + c + "/" + k + ".txt", "n");
                    }
                }
                repo.commit("change " + c);
            }
            RevCommit head = repo.commit("last");

            String expected = GitFixture.cli(repo.root(), "diff", "--name-only", "--no-renames", base.name(), head.name());
            assertThat(new TreeSet<>(ChangedPaths.between(repo.root(), base.name(), head.name()).paths()))
                    .isEqualTo(new TreeSet<>(Arrays.asList(expected.strip().split("\n"))));
        }
    }

    @Test
    void sinceDefaultBranch_onAFeatureBranch_comparesWithTheMergeBase() {
        try (GitFixture repo = GitFixture.init(tmp.resolve("repo"))) {
            repo.write("a", "1").write("b", "1");
            RevCommit fork = repo.commit("base");
            repo.branch("feature").checkout("feature");
            repo.write("a", "2");
            repo.commit("feature");
            repo.checkout("master").write("b", "2");
            repo.commit("master moves on");

            ChangedPaths changes = ChangedPaths.sinceDefaultBranch(repo.root(), "feature");

            assertThat(changes.paths()).containsExactly("a");
            assertThat(changes.base()).contains(fork.name());
        }
    }

    @Test
    void sinceDefaultBranch_onTheDefaultBranch_comparesWithTheFirstParent() {
        try (GitFixture repo = GitFixture.init(tmp.resolve("repo"))) {
            repo.write("a", "1").write("b", "1");
            RevCommit root = repo.commit("root");
            assertThat(ChangedPaths.sinceDefaultBranch(repo.root(), "HEAD").paths()).containsExactly("a", "b");
            assertThat(ChangedPaths.sinceDefaultBranch(repo.root(), "HEAD").base()).isEmpty();

            repo.branch("feature").checkout("feature").write("a", "2");
            repo.commit("feature");
            repo.checkout("master").write("c", "1");
            RevCommit masterOnly = repo.commit("master");
            RevCommit merge = repo.merge("feature");

            ChangedPaths changes = ChangedPaths.sinceDefaultBranch(repo.root(), "HEAD");
            assertThat(changes.head()).isEqualTo(merge.name());
            assertThat(changes.base()).contains(masterOnly.name());
            assertThat(changes.paths()).containsExactly("a");
            assertThat(root).isNotNull();
        }
    }

    @Test
    void sinceDefaultBranch_withoutDefaultBranch_explainsHowToSetOne() {
        try (GitFixture repo = GitFixture.init(tmp.resolve("repo"), "trunk")) {
            repo.write("a", "1");
            repo.commit("one");

            assertThatThrownBy(() -> ChangedPaths.sinceDefaultBranch(repo.root(), "HEAD"))
                    .isInstanceOf(PipewrightException.class).hasMessageContaining("has no default branch")
                    .hasMessageContaining("git remote set-head origin --auto");
        }
    }

    @Test
    void equals_byValue() {
        try (GitFixture repo = GitFixture.init(tmp.resolve("repo"))) {
            repo.write("a", "1");
            RevCommit one = repo.commit("one");
            repo.write("a", "2");
            RevCommit two = repo.commit("two");

            ChangedPaths first = ChangedPaths.between(repo.root(), one.name(), two.name());
            assertThat(ChangedPaths.between(repo.root(), "HEAD~1", "HEAD")).isEqualTo(first)
                    .hasSameHashCodeAs(first);
            assertThat(ChangedPaths.between(repo.root(), "HEAD", "HEAD~1")).isNotEqualTo(first);
        }
    }
}
