package dev.pipewright.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pipewright.CheckResult;
import dev.pipewright.Ref;
import dev.pipewright.Step;
import dev.pipewright.spi.Facts;
import dev.pipewright.spi.StepFailedException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckoutHandlerTest {
    @TempDir
    Path tmp;

    private final CheckoutHandler handler = new CheckoutHandler();

    /** A {@code checkout} step as the CircleCI import makes it. */
    private record Checkout(Optional<String> path) implements Step {
        static Checkout at(String path) {
            return new Checkout(Optional.of(path));
        }

        @Override
        public String type() {
            return "checkout";
        }

        @Override
        public String name() {
            return "checkout";
        }

        @Override
        public Map<String, String> parameters() {
            return path.map(p -> Map.of("path", p)).orElse(Map.of());
        }
    }

    private static Facts facts(RevCommit commit) {
        return Facts.builder().ref(Ref.branch("master")).commit(commit.name()).build();
    }

    private static String read(Path file) throws Exception {
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    @Test
    void checkout_ownWorkTreeAtTheRunsCommit_isOnlyVerifiedAndPinned() throws Exception {
        try (GitFixture repo = GitFixture.init(tmp.resolve("repo"))) {
            repo.write("a.txt", "1");
            RevCommit c = repo.commit("one");
            FixedStepContext context = FixedStepContext.of(repo.root(), facts(c));

            handler.run(new Checkout(Optional.empty()), context);

            assertThat(context.log).containsExactly("checkout: " + repo.root() + " verified: already at commit "
                    + c.name());
            assertThat(context.state(GitPlugin.PINNED_COMMIT, () -> "unset")).isEqualTo(c.name());
            assertThat(repo.root().resolve(".git/worktrees")).doesNotExist();
        }
    }

    @Test
    void checkout_ownWorkTreeAtAnotherCommit_failsNamingBoth() throws Exception {
        try (GitFixture repo = GitFixture.init(tmp.resolve("repo"))) {
            repo.write("a.txt", "1");
            RevCommit old = repo.commit("one");
            repo.write("a.txt", "2");
            RevCommit now = repo.commit("two");

            assertThatThrownBy(() -> handler.run(Checkout.at("."), FixedStepContext.of(repo.root(), facts(old))))
                    .isInstanceOf(StepFailedException.class)
                    .hasMessageContaining("is at commit " + now.name())
                    .hasMessageContaining("not at the run's commit " + old.name());
            assertThat(read(repo.root().resolve("a.txt"))).isEqualTo("2");
        }
    }

    @Test
    void checkout_ownWorkTreeWithChanges_reportsThemAndTouchesNothing() throws Exception {
        try (GitFixture repo = GitFixture.init(tmp.resolve("repo"))) {
            repo.write("a.txt", "1");
            RevCommit c = repo.commit("one");
            repo.write("a.txt", "edited");
            FixedStepContext context = FixedStepContext.of(repo.root(), facts(c));

            handler.run(Checkout.at("."), context);

            assertThat(context.log.get(0)).contains("verified (uncommitted changes: modified a.txt)");
            assertThat(read(repo.root().resolve("a.txt"))).isEqualTo("edited");
        }
    }

    @Test
    void checkout_workspaceInsideTheWorkTree_isVerified() throws Exception {
        try (GitFixture repo = GitFixture.init(tmp.resolve("repo"))) {
            repo.write("services/a/pom.xml", "a");
            RevCommit c = repo.commit("one");
            FixedStepContext context = FixedStepContext.of(repo.root().resolve("services/a"), facts(c));

            handler.run(Checkout.at("."), context);

            assertThat(context.log.get(0)).contains("verified: already at commit " + c.name());
        }
    }

    @Test
    void checkout_intoAMissingFolder_makesALinkedWorktreeAtTheCommit() throws Exception {
        try (GitFixture repo = GitFixture.init(tmp.resolve("repo"))) {
            repo.write(".gitignore", "/checkouts/\n").write("a.txt", "old").write("src/Main.java", "class Main {}\n")
                    .write("bin/data.bin", new byte[] {0, 1, 2, (byte) 0xFF});
            RevCommit pinned = repo.commit("pinned");
            repo.write("a.txt", "newer").write("later.txt", "x");
            repo.commit("later");
            FixedStepContext context = FixedStepContext.of(repo.root(), facts(pinned));

            handler.run(Checkout.at("checkouts/app"), context);

            Path target = repo.root().resolve("checkouts/app");
            assertThat(context.log).containsExactly("checkout: " + target + " created a worktree at commit "
                    + pinned.name());
            assertThat(read(target.resolve("a.txt"))).isEqualTo("old");
            assertThat(read(target.resolve("src/Main.java"))).isEqualTo("class Main {}\n");
            assertThat(Files.readAllBytes(target.resolve("bin/data.bin"))).containsExactly(0, 1, 2, 0xFF);
            assertThat(target.resolve("later.txt")).doesNotExist();
            try (GitRepository worktree = GitRepository.find(target).orElseThrow()) {
                assertThat(worktree.head()).contains(pinned.getId());
                assertThat(worktree.currentBranch()).isEmpty();
                assertThat(worktree.status().isClean()).isTrue();
                assertThat(worktree.commonDirectory()).isEqualTo(repo.root().resolve(".git"));
            }
            assertThat(read(repo.root().resolve("a.txt"))).as("the clone is untouched").isEqualTo("newer");
            assertThat(GitFacts.of(Map.of()).read(repo.root()).orElseThrow().dirty()).isFalse();
        }
    }

    @Test
    void checkout_madeWorktree_isOneGitItselfAccepts() throws Exception {
        assumeTrue(GitFixture.gitInstalled(), "compares with the git command line");
        try (GitFixture repo = GitFixture.init(tmp.resolve("repo"))) {
            repo.write(".gitignore", "/out/\n").write("a.txt", "1").write("dir/b.txt", "2");
            RevCommit c = repo.commit("one");

            handler.run(Checkout.at("out/wt"), FixedStepContext.of(repo.root(), facts(c)));

            Path target = repo.root().resolve("out/wt");
            assertThat(GitFixture.cli(target, "rev-parse", "HEAD").strip()).isEqualTo(c.name());
            assertThat(GitFixture.cli(target, "status", "--porcelain")).isEmpty();
            assertThat(GitFixture.cli(repo.root(), "worktree", "list", "--porcelain"))
                    .contains("worktree " + target).contains("HEAD " + c.name()).contains("detached");
        }
    }

    @Test
    void checkout_againForANewCommit_movesOnlyItsOwnWorktreeAndKeepsUntrackedFiles() throws Exception {
        try (GitFixture repo = GitFixture.init(tmp.resolve("repo"))) {
            repo.write(".gitignore", "/runs/\n").write("a.txt", "1").write("gone.txt", "x");
            RevCommit first = repo.commit("one");
            handler.run(Checkout.at("runs/src"), FixedStepContext.of(repo.root(), facts(first)));
            Path target = repo.root().resolve("runs/src");
            Files.writeString(target.resolve("a.txt"), "edited by a build");
            Files.writeString(target.resolve("build.log"), "untracked output");

            repo.write("a.txt", "2").delete("gone.txt").write("added.txt", "y");
            RevCommit second = repo.commit("two");
            FixedStepContext next = FixedStepContext.of(repo.root(), facts(second));
            handler.run(Checkout.at("runs/src"), next);

            assertThat(next.log).containsExactly("checkout: " + target + " moved to commit " + second.name());
            assertThat(read(target.resolve("a.txt"))).isEqualTo("2");
            assertThat(target.resolve("gone.txt")).doesNotExist();
            assertThat(read(target.resolve("added.txt"))).isEqualTo("y");
            assertThat(read(target.resolve("build.log"))).isEqualTo("untracked output");
            try (GitRepository worktree = GitRepository.find(target).orElseThrow()) {
                assertThat(worktree.head()).contains(second.getId());
            }

            FixedStepContext again = FixedStepContext.of(repo.root(), facts(second));
            handler.run(Checkout.at("runs/src"), again);
            assertThat(again.log.get(0)).contains("verified: already at commit " + second.name());
        }
    }

    @Test
    void checkout_twoTargetsOfOneName_getTheirOwnWorktrees() throws Exception {
        try (GitFixture repo = GitFixture.init(tmp.resolve("repo"))) {
            repo.write(".gitignore", "/x/\n/y/\n").write("a.txt", "1");
            RevCommit c = repo.commit("one");

            handler.run(Checkout.at("x/src"), FixedStepContext.of(repo.root(), facts(c)));
            handler.run(Checkout.at("y/src"), FixedStepContext.of(repo.root(), facts(c)));

            assertThat(repo.root().resolve(".git/worktrees/src")).isDirectory();
            assertThat(repo.root().resolve(".git/worktrees/src1")).isDirectory();
            assertThat(read(repo.root().resolve("y/src/a.txt"))).isEqualTo("1");
        }
    }

    @Test
    void checkout_nonEmptyFolderThatIsNoCheckout_isRefusedAndLeftAlone() throws Exception {
        try (GitFixture repo = GitFixture.init(tmp.resolve("repo"))) {
            repo.write("a.txt", "1").write("docs/guide.md", "guide");
            RevCommit c = repo.commit("one");
            repo.write("notes/mine.txt", "precious");

            for (String path : new String[] {"notes", "docs"}) {
                assertThatThrownBy(() -> handler.run(Checkout.at(path), FixedStepContext.of(repo.root(), facts(c))))
                        .isInstanceOf(StepFailedException.class)
                        .hasMessageContaining("refusing to write into " + repo.root().resolve(path))
                        .hasMessageContaining("not a checkout");
            }
            assertThat(read(repo.root().resolve("notes/mine.txt"))).isEqualTo("precious");
        }
    }

    @Test
    void checkout_folderHoldingAnotherRepository_isRefused() throws Exception {
        try (GitFixture repo = GitFixture.init(tmp.resolve("repo"));
                GitFixture other = GitFixture.init(tmp.resolve("repo/vendor/other"))) {
            repo.write(".gitignore", "/vendor/\n").write("a.txt", "1");
            RevCommit c = repo.commit("one");
            other.write("b.txt", "2");
            other.commit("other");

            assertThatThrownBy(() -> handler.run(Checkout.at("vendor/other"), FixedStepContext.of(repo.root(), facts(c))))
                    .isInstanceOf(StepFailedException.class).hasMessageContaining("a checkout of another repository");
        }
    }

    @Test
    void checkout_withoutTheRunsCommit_failsClearly() throws Exception {
        try (GitFixture repo = GitFixture.init(tmp.resolve("repo"))) {
            FixedStepContext context = FixedStepContext.of(repo.root(), Facts.builder().ref(Ref.branch("master")).build());

            assertThatThrownBy(() -> handler.run(Checkout.at("."), context)).isInstanceOf(StepFailedException.class)
                    .hasMessageContaining("checkout needs the run's commit, but the run has none");
        }
    }

    @Test
    void checkout_commitMissingFromTheRepository_failsNamingIt() throws Exception {
        try (GitFixture repo = GitFixture.init(tmp.resolve("repo"))) {
            repo.write("a", "1");
            repo.commit("one");
            String unknown = "0123456789abcdef0123456789abcdef01234567";
            Facts facts = Facts.builder().ref(Ref.branch("master")).commit(unknown).build();

            assertThatThrownBy(() -> handler.run(Checkout.at("x"), FixedStepContext.of(repo.root(), facts)))
                    .hasMessageContaining("No commit '" + unknown + "'");
        }
    }

    @Test
    void checkout_pathOutsideTheWorkspace_isRefused() throws Exception {
        try (GitFixture repo = GitFixture.init(tmp.resolve("repo"))) {
            repo.write("a", "1");
            RevCommit c = repo.commit("one");

            for (String path : new String[] {"../elsewhere", "/tmp/abs", "~/project", "a/../../x"}) {
                assertThatThrownBy(() -> handler.run(Checkout.at(path), FixedStepContext.of(repo.root(), facts(c))))
                        .as(path).isInstanceOf(StepFailedException.class)
                        .hasMessageContaining("path '" + path + "' is outside the stage's workspace");
            }
        }
    }

    @Test
    void checkout_workspaceOutsideAnyRepository_failsNamingIt() throws Exception {
        Path plain = Files.createDirectories(tmp.resolve("plain"));
        Facts facts = Facts.builder().ref(Ref.branch("master")).commit(ObjectId.zeroId().name()).build();

        assertThatThrownBy(() -> handler.run(Checkout.at("."), FixedStepContext.of(plain, facts)))
                .hasMessageContaining(plain + " is not inside a Git repository");
    }

    @Test
    void checkout_runPinnedToAnotherCommit_fails() throws Exception {
        try (GitFixture repo = GitFixture.init(tmp.resolve("repo"))) {
            repo.write("a", "1");
            RevCommit c = repo.commit("one");
            FixedStepContext context = FixedStepContext.of(repo.root(), facts(c));
            context.state(GitPlugin.PINNED_COMMIT, () -> ObjectId.zeroId().name());

            assertThatThrownBy(() -> handler.run(Checkout.at("."), context)).isInstanceOf(StepFailedException.class)
                    .hasMessageContaining("pinned to commit " + ObjectId.zeroId().name());
        }
    }

    @Test
    void refUnchanged_afterCheckout_abortsTheDeployWhenTheBranchMoved() throws Exception {
        try (GitFixture repo = GitFixture.init(tmp.resolve("repo"))) {
            repo.write(".gitignore", "/work/\n").write("app.txt", "v1");
            RevCommit scanned = repo.commit("release");
            FixedStepContext build = FixedStepContext.of(repo.root(), facts(scanned));
            handler.run(Checkout.at("work/build"), build);
            FixedStepContext deploy = build.next(repo.root().resolve("work/build"));
            assertThat(GitChecks.refUnchanged().evaluate(deploy).passed()).isTrue();

            repo.write("app.txt", "v2");
            repo.commit("pushed after the secret scan");
            CheckResult result = GitChecks.refUnchanged().evaluate(deploy);

            assertThat(result.passed()).isFalse();
            assertThat(result.reason()).startsWith("master moved").contains("pinned to " + scanned.name());
        }
    }
}
