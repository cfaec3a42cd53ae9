package dev.pipewright.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pipewright.PipewrightException;
import dev.pipewright.Ref;
import dev.pipewright.spi.Facts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitFactsTest {
    @TempDir
    Path tmp;

    private static Facts read(Path folder, Map<String, String> env) throws Exception {
        return GitFacts.of(env).read(folder).orElseThrow();
    }

    private static Facts read(Path folder) throws Exception {
        return read(folder, Map.of());
    }

    @Test
    void facts_onBranch_readBranchCommitAuthorMessageAndState() throws Exception {
        try (GitFixture repo = GitFixture.init(tmp.resolve("repo"))) {
            repo.write("README.md", "hello\n");
            RevCommit first = repo.commit("Initial commit\n\nWith a body.\n");

            Facts facts = read(repo.root());

            assertThat(facts.ref()).contains(Ref.branch("master"));
            assertThat(facts.commit()).contains(first.name());
            assertThat(facts.author()).contains("Alice Example <alice@example.org>");
            assertThat(facts.message()).contains("Initial commit\n\nWith a body.");
            assertThat(facts.tags()).isEmpty();
            assertThat(facts.dirty()).isFalse();
            assertThat(facts.defaultBranch()).contains("master");
        }
    }

    @Test
    void facts_fromAFolderInside_findTheRepository() throws Exception {
        try (GitFixture repo = GitFixture.init(tmp.resolve("repo"))) {
            repo.write("services/a/src/Main.java", "class Main {}\n");
            RevCommit c = repo.commit("a");

            Facts facts = read(repo.root().resolve("services/a/src"));

            assertThat(facts.commit()).contains(c.name());
            assertThat(facts.ref()).contains(Ref.branch("master"));
        }
    }

    @Test
    void facts_onDetachedHead_takesCiBranch() throws Exception {
        try (GitFixture repo = GitFixture.init(tmp.resolve("repo"))) {
            repo.write("a", "1");
            RevCommit c = repo.commit("one");
            repo.detach(c);

            assertThat(read(repo.root(), Map.of("CIRCLE_BRANCH", "feature/x")).ref())
                    .contains(Ref.branch("feature/x"));
            assertThat(read(repo.root(), Map.of("GITHUB_HEAD_REF", "pr-branch", "GITHUB_REF_NAME", "12/merge")).ref())
                    .contains(Ref.branch("pr-branch"));
            assertThat(read(repo.root(), Map.of("GITHUB_HEAD_REF", "", "GITHUB_REF_NAME", "main",
                    "GITHUB_REF_TYPE", "branch")).ref()).contains(Ref.branch("main"));
            assertThat(read(repo.root(), Map.of("CI_COMMIT_REF_NAME", "develop")).ref())
                    .contains(Ref.branch("develop"));
            assertThat(read(repo.root(), Map.of("BRANCH_NAME", "jenkins-branch")).ref())
                    .contains(Ref.branch("jenkins-branch"));
            assertThat(read(repo.root(), Map.of("CIRCLE_BRANCH", "  ", "BRANCH_NAME", "second")).ref())
                    .contains(Ref.branch("second"));
            assertThat(read(repo.root(), Map.of("CIRCLE_BRANCH", "circle", "BRANCH_NAME", "jenkins")).ref())
                    .contains(Ref.branch("circle"));
        }
    }

    @Test
    void facts_onDetachedHeadOfATagBuild_takeTheCiTag() throws Exception {
        try (GitFixture repo = GitFixture.init(tmp.resolve("repo"))) {
            repo.write("a", "1");
            RevCommit c = repo.commit("one");
            repo.detach(c);

            assertThat(read(repo.root(), Map.of("CIRCLE_TAG", "v1.0.0")).ref()).contains(Ref.tag("v1.0.0"));
            assertThat(read(repo.root(), Map.of("GITHUB_REF_NAME", "v2.0.0", "GITHUB_REF_TYPE", "tag")).ref())
                    .contains(Ref.tag("v2.0.0"));
            assertThat(read(repo.root(), Map.of("GITHUB_REF_NAME", "v2.0.1", "GITHUB_REF", "refs/tags/v2.0.1")).ref())
                    .contains(Ref.tag("v2.0.1"));
            assertThat(read(repo.root(), Map.of("CI_COMMIT_REF_NAME", "v3", "CI_COMMIT_TAG", "v3")).ref())
                    .contains(Ref.tag("v3"));
            assertThat(read(repo.root(), Map.of("BRANCH_NAME", "v4", "TAG_NAME", "v4")).ref())
                    .contains(Ref.tag("v4"));
        }
    }

    @Test
    void facts_onDetachedHeadWithoutCiVariables_takeTheTagAtHeadElseNoRef() throws Exception {
        try (GitFixture repo = GitFixture.init(tmp.resolve("repo"))) {
            repo.write("a", "1");
            RevCommit one = repo.commit("one");
            repo.annotatedTag("v1.0.0");
            repo.write("a", "2");
            RevCommit two = repo.commit("two");

            repo.detach(one);
            assertThat(read(repo.root()).ref()).contains(Ref.tag("v1.0.0"));

            repo.detach(two);
            Facts untagged = read(repo.root());
            assertThat(untagged.ref()).isEmpty();
            assertThat(untagged.commit()).contains(two.name());
        }
    }

    @Test
    void facts_tagsAtHead_listAnnotatedAndLightweightTagsOnly() throws Exception {
        try (GitFixture repo = GitFixture.init(tmp.resolve("repo"))) {
            repo.write("a", "1");
            repo.commit("one");
            repo.tag("old");
            repo.write("a", "2");
            repo.commit("two");
            repo.annotatedTag("v1.2.0").tag("latest").annotatedTag("a-first");

            assertThat(read(repo.root()).tags()).containsExactly("a-first", "latest", "v1.2.0");
        }
    }

    @Test
    void facts_dirty_countsTrackedChangesAndUntrackedFilesButNotIgnoredOnes() throws Exception {
        try (GitFixture repo = GitFixture.init(tmp.resolve("repo"))) {
            repo.write(".gitignore", "target/\n").write("a.txt", "1");
            repo.commit("one");

            repo.write("target/out.class", "x");
            assertThat(read(repo.root()).dirty()).as("ignored file only").isFalse();

            repo.write("notes.txt", "new");
            assertThat(read(repo.root()).dirty()).as("untracked file").isTrue();

            repo.delete("notes.txt").write("a.txt", "2");
            assertThat(read(repo.root()).dirty()).as("modified tracked file").isTrue();
        }
    }

    @Test
    void facts_defaultBranch_followsOriginHead() throws Exception {
        try (GitFixture repo = GitFixture.init(tmp.resolve("repo"), "trunk")) {
            repo.write("a", "1");
            RevCommit c = repo.commit("one");
            repo.setRef("refs/remotes/origin/develop", c).originHead("develop");

            assertThat(read(repo.root()).defaultBranch()).contains("develop");
        }
    }

    @Test
    void facts_defaultBranch_fallsBackToInitDefaultBranchThenMainOrMaster() throws Exception {
        try (GitFixture repo = GitFixture.init(tmp.resolve("repo"), "trunk")) {
            repo.write("a", "1");
            RevCommit c = repo.commit("one");
            assertThat(read(repo.root()).defaultBranch()).as("no hint at all").isEmpty();

            repo.setRef("refs/heads/master", c);
            assertThat(read(repo.root()).defaultBranch()).contains("master");

            repo.setRef("refs/heads/main", c);
            assertThat(read(repo.root()).defaultBranch()).contains("main");

            StoredConfig config = repo.git().getRepository().getConfig();
            config.setString("init", null, "defaultBranch", "trunk");
            config.save();
            assertThat(read(repo.root()).defaultBranch()).contains("trunk");
        }
    }

    @Test
    void facts_emptyRepository_haveTheBranchAndNoCommit() throws Exception {
        try (GitFixture repo = GitFixture.init(tmp.resolve("repo"), "main")) {
            Facts facts = read(repo.root());

            assertThat(facts.ref()).contains(Ref.branch("main"));
            assertThat(facts.commit()).isEmpty();
            assertThat(facts.author()).isEmpty();
            assertThat(facts.tags()).isEmpty();
            assertThat(facts.changedPaths()).isEmpty();
            assertThat(facts.dirty()).isFalse();

            repo.write("new.txt", "x");
            assertThat(read(repo.root()).dirty()).isTrue();
        }
    }

    @Test
    void facts_outsideAnyRepository_areEmpty() throws Exception {
        Path plain = Files.createDirectories(tmp.resolve("plain/folder"));

        assertThat(GitFacts.of(Map.of()).read(plain)).isEmpty();
    }

    @Test
    void facts_missingFolder_failsNamingIt() {
        Path missing = tmp.resolve("missing");

        assertThatThrownBy(() -> GitFacts.of(Map.of()).read(missing)).isInstanceOf(PipewrightException.class)
                .hasMessageContaining(missing.toString()).hasMessageContaining("no such folder");
    }

    @Test
    void facts_changedPaths_areTheBranchChangesSinceTheDefaultBranch() throws Exception {
        try (GitFixture repo = GitFixture.init(tmp.resolve("repo"))) {
            repo.write("services/a/A.java", "a").write("services/b/B.java", "b");
            repo.commit("base");
            repo.branch("feature").checkout("feature");
            repo.write("services/a/A.java", "a2");
            repo.commit("change a");
            repo.checkout("master").write("services/b/B.java", "b2");
            repo.commit("master moves on");
            repo.checkout("feature");

            Facts facts = read(repo.root());

            assertThat(facts.changedPaths()).contains(java.util.Set.of("services/a/A.java"));
        }
    }

    @Test
    void facts_onTheDefaultBranch_changedPathsAreTheLastCommits() throws Exception {
        try (GitFixture repo = GitFixture.init(tmp.resolve("repo"))) {
            repo.write("a", "1");
            repo.commit("root");
            assertThat(read(repo.root()).changedPaths()).as("root commit: everything").contains(java.util.Set.of("a"));

            repo.write("b", "2");
            repo.commit("second");
            assertThat(read(repo.root()).changedPaths()).contains(java.util.Set.of("b"));
        }
    }

    @Test
    void facts_inALinkedWorktree_readTheWorktreesHeadAndTheSharedRefs() throws Exception {
        assumeTrue(GitFixture.gitInstalled(), "needs the git command line to make a linked worktree");
        try (GitFixture repo = GitFixture.init(tmp.resolve("repo"))) {
            repo.write("a", "1");
            RevCommit one = repo.commit("one");
            repo.annotatedTag("v1.0.0");
            repo.write("a", "2");
            repo.commit("two");
            Path worktree = tmp.resolve("wt");
            GitFixture.cli(repo.root(), "worktree", "add", "-b", "hotfix", worktree.toString(), one.name());
            Files.createDirectories(worktree.resolve("sub"));

            Facts facts = read(worktree.resolve("sub"));

            assertThat(facts.ref()).contains(Ref.branch("hotfix"));
            assertThat(facts.commit()).contains(one.name());
            assertThat(facts.tags()).containsExactly("v1.0.0");
            assertThat(facts.defaultBranch()).contains("master");
            assertThat(facts.dirty()).isFalse();
        }
    }
}
