package dev.pipewright.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.pipewright.Check;
import dev.pipewright.CheckResult;
import dev.pipewright.Gate;
import dev.pipewright.Ref;
import dev.pipewright.RunContext;
import dev.pipewright.spi.Facts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitChecksTest {
    @TempDir
    Path tmp;

    /** A plain run context, not a step context: what a check sees from a runner that gives no facts. */
    private record Context(Path workspace, Ref ref, Optional<String> commit) implements RunContext {
        @Override
        public String pipeline() {
            return "p";
        }

        @Override
        public String stage() {
            return "deploy";
        }

        @Override
        public Map<String, String> environment() {
            return Map.of();
        }

        @Override
        public void log(String line) {
        }
    }

    private static CheckResult evaluate(Check check, RunContext context) throws Exception {
        return check.evaluate(context);
    }

    private static Context on(Path workspace, Ref ref, RevCommit commit) {
        return new Context(workspace, ref, Optional.of(commit.name()));
    }

    @Test
    void onBranch_exactNameOrWholeRegex() throws Exception {
        Context master = new Context(tmp, Ref.branch("master"), Optional.empty());
        Context release = new Context(tmp, Ref.branch("release-1.2"), Optional.empty());
        Context tag = new Context(tmp, Ref.tag("master"), Optional.empty());

        assertThat(evaluate(GitChecks.onBranch("master"), master).passed()).isTrue();
        assertThat(evaluate(GitChecks.onBranch("master"), release))
                .isEqualTo(CheckResult.fail("the run is for branch 'release-1.2', expected a branch matching master."));
        assertThat(evaluate(GitChecks.onBranch("/release-.*/"), release).passed()).isTrue();
        assertThat(evaluate(GitChecks.onBranch("/release/"), release).passed()).as("whole name").isFalse();
        assertThat(evaluate(GitChecks.onBranch("master"), tag).reason()).contains("tag master").contains("not a branch");
    }

    @Test
    void onBranch_invalidPattern_isRejectedAtOnce() {
        assertThatIllegalArgumentException().isThrownBy(() -> GitChecks.onBranch("/release-[/"))
                .withMessageContaining("/release-[/").withMessageContaining("invalid regular expression");
        assertThatIllegalArgumentException().isThrownBy(() -> GitChecks.onBranch(" "));
    }

    @Test
    void checks_areValuesSoGatesCompareEqual() {
        assertThat(GitChecks.onBranch("master")).isEqualTo(GitChecks.onBranch("master"))
                .isNotEqualTo(GitChecks.onBranch("main"));
        assertThat(GitChecks.changedTogether("src/**", "api.yaml")).isEqualTo(GitChecks.changedTogether("src/**",
                "api.yaml"));
        assertThat(Gate.check("merged", GitChecks.mergedIntoDefaultBranch()))
                .isEqualTo(Gate.check("merged", GitChecks.mergedIntoDefaultBranch()));
    }

    @Test
    void mergedIntoDefaultBranch_passesForMergedCommitsAndFailsForOthers() throws Exception {
        try (GitFixture repo = GitFixture.init(tmp.resolve("repo"))) {
            repo.write("a", "1");
            RevCommit base = repo.commit("base");
            repo.branch("feature").checkout("feature");
            repo.write("b", "1");
            RevCommit feature = repo.commit("feature");

            CheckResult before = evaluate(GitChecks.mergedIntoDefaultBranch(), on(repo.root(), Ref.branch("feature"),
                    feature));
            assertThat(before.passed()).isFalse();
            assertThat(before.reason()).contains(feature.name().substring(0, 12)).contains("not merged")
                    .contains("master is at " + base.name().substring(0, 12));

            repo.checkout("master");
            repo.merge("feature");
            assertThat(evaluate(GitChecks.mergedIntoDefaultBranch(), on(repo.root(), Ref.branch("feature"), feature))
                    .passed()).isTrue();
            assertThat(evaluate(GitChecks.mergedIntoDefaultBranch(), on(repo.root(), Ref.branch("master"), base))
                    .reason()).contains("is in master");
        }
    }

    @Test
    void mergedIntoDefaultBranch_prefersTheRemoteTrackingBranch() throws Exception {
        try (GitFixture repo = GitFixture.init(tmp.resolve("repo"))) {
            repo.write("a", "1");
            RevCommit pushed = repo.commit("pushed");
            repo.setRef("refs/remotes/origin/master", pushed).originHead("master");
            repo.write("a", "2");
            RevCommit local = repo.commit("not pushed");

            CheckResult result = evaluate(GitChecks.mergedIntoDefaultBranch(), on(repo.root(), Ref.branch("master"),
                    local));

            assertThat(result.passed()).isFalse();
            assertThat(result.reason()).contains("origin/master is at " + pushed.name().substring(0, 12));
        }
    }

    @Test
    void mergedIntoDefaultBranch_withoutDefaultBranch_failsClosed() throws Exception {
        try (GitFixture repo = GitFixture.init(tmp.resolve("repo"), "trunk")) {
            repo.write("a", "1");
            RevCommit c = repo.commit("one");

            CheckResult result = evaluate(GitChecks.mergedIntoDefaultBranch(), on(repo.root(), Ref.branch("trunk"), c));

            assertThat(result.passed()).isFalse();
            assertThat(result.reason()).contains("no default branch");
        }
    }

    @Test
    void checks_outsideAnyRepository_failClosedNamingTheFolder() throws Exception {
        Path plain = Files.createDirectories(tmp.resolve("plain"));
        Context context = new Context(plain, Ref.branch("master"), Optional.of("0".repeat(40)));

        for (Check check : new Check[] {GitChecks.mergedIntoDefaultBranch(), GitChecks.cleanWorkingTree(),
            GitChecks.semanticVersionTag(), GitChecks.changedTogether("a/**", "b"), GitChecks.refUnchanged()}) {
            CheckResult result = evaluate(check, context);
            assertThat(result.passed()).as("%s", check).isFalse();
            assertThat(result.reason()).as("%s", check).contains(plain.toString()).contains("not inside a Git repository");
        }
    }

    @Test
    void cleanWorkingTree_listsWhatIsUncommitted() throws Exception {
        try (GitFixture repo = GitFixture.init(tmp.resolve("repo"))) {
            repo.write(".gitignore", "*.log\n").write("a.txt", "1").write("b.txt", "1");
            RevCommit c = repo.commit("one");
            Context context = on(repo.root(), Ref.branch("master"), c);
            repo.write("debug.log", "ignored");
            assertThat(evaluate(GitChecks.cleanWorkingTree(), context).passed()).isTrue();

            repo.write("a.txt", "2").write("new.txt", "x").delete("b.txt");
            CheckResult dirty = evaluate(GitChecks.cleanWorkingTree(), context);

            assertThat(dirty.passed()).isFalse();
            assertThat(dirty.reason()).contains("missing b.txt", "modified a.txt", "untracked new.txt")
                    .doesNotContain("debug.log");
        }
    }

    @Test
    void semanticVersionTag_acceptsSemVerWithOptionalV() throws Exception {
        try (GitFixture repo = GitFixture.init(tmp.resolve("repo"))) {
            repo.write("a", "1");
            RevCommit c = repo.commit("one");
            Context context = on(repo.root(), Ref.branch("master"), c);

            assertThat(evaluate(GitChecks.semanticVersionTag(), context).reason()).contains("has no tag");
            repo.tag("release-1.2.3").tag("1.2").tag("01.2.3").tag("v1.2.3-01");
            CheckResult none = evaluate(GitChecks.semanticVersionTag(), context);
            assertThat(none.passed()).isFalse();
            assertThat(none.reason()).contains("[01.2.3, 1.2, release-1.2.3, v1.2.3-01]").contains("SemVer 2.0.0");

            repo.annotatedTag("v1.2.3-rc.1+build.5");
            assertThat(evaluate(GitChecks.semanticVersionTag(), context).reason()).contains("'v1.2.3-rc.1+build.5'");
        }
    }

    @Test
    void semanticVersionTag_examples() throws Exception {
        try (GitFixture repo = GitFixture.init(tmp.resolve("repo"))) {
            repo.write("a", "1");
            int i = 0;
            for (String tag : new String[] {"0.0.0", "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-0.3.7", "1.0.0-x.7.z.92",
                "1.0.0+20130313144700", "1.0.0-beta+exp.sha.5114f85", "v10.20.30", "1.0.0-x-y-z.--"}) {
                repo.write("a", String.valueOf(i++));
                RevCommit c = repo.commit(tag);
                repo.tag(tag);
                assertThat(evaluate(GitChecks.semanticVersionTag(), on(repo.root(), Ref.tag(tag), c)).passed()).as(tag)
                        .isTrue();
            }
            for (String tag : new String[] {"1.2.3.4", "1.2.3-", "1.2.3+", "V1.2.3", "1.2.3-0123", "+1.2.3",
                "1.2.3-beta.01"}) {
                repo.write("a", String.valueOf(i++));
                RevCommit c = repo.commit(tag);
                repo.tag(tag);
                assertThat(evaluate(GitChecks.semanticVersionTag(), on(repo.root(), Ref.tag(tag), c)).passed()).as(tag)
                        .isFalse();
            }
        }
    }

    @Test
    void changedTogether_requiresTheCompanionWhenTheTriggerChanged() throws Exception {
        try (GitFixture repo = GitFixture.init(tmp.resolve("repo"))) {
            repo.write("src/main/java/dev/api/Users.java", "1").write("api/openapi.yaml", "1").write("README.md", "1");
            repo.commit("base");
            repo.branch("feature").checkout("feature");
            Check check = GitChecks.changedTogether("src/main/java/**/api/**", "api/openapi.yaml");

            repo.write("README.md", "2");
            RevCommit docs = repo.commit("docs only");
            assertThat(evaluate(check, on(repo.root(), Ref.branch("feature"), docs)).reason())
                    .isEqualTo("no changed path matches src/main/java/**/api/**.");

            repo.write("src/main/java/dev/api/Users.java", "2");
            RevCommit api = repo.commit("api without spec");
            CheckResult failed = evaluate(check, on(repo.root(), Ref.branch("feature"), api));
            assertThat(failed.passed()).isFalse();
            assertThat(failed.reason()).isEqualTo("src/main/java/dev/api/Users.java changed (matching"
                    + " src/main/java/**/api/**), but no path matching api/openapi.yaml did; expected both to change"
                    + " together. Update api/openapi.yaml in the same change.");

            repo.write("api/openapi.yaml", "2");
            RevCommit both = repo.commit("spec too");
            assertThat(evaluate(check, on(repo.root(), Ref.branch("feature"), both)).passed()).isTrue();
        }
    }

    @Test
    void changedTogether_usesTheRunsChangedPathsWhenGiven() throws Exception {
        try (GitFixture repo = GitFixture.init(tmp.resolve("repo"))) {
            repo.write("a", "1");
            RevCommit c = repo.commit("one");
            Facts facts = Facts.builder().ref(Ref.branch("master")).commit(c.name())
                    .changedPaths(Set.of("src/api/A.java")).build();

            CheckResult result = evaluate(GitChecks.changedTogether("src/api/**", "api.yaml"),
                    FixedStepContext.of(repo.root(), facts));

            assertThat(result.passed()).isFalse();
            assertThat(result.reason()).startsWith("src/api/A.java changed");
        }
    }

    @Test
    void changedTogether_negatedOrInvalidGlobs_areRejectedAtOnce() {
        assertThatIllegalArgumentException().isThrownBy(() -> GitChecks.changedTogether("!a", "b"))
                .withMessageContaining("not negations");
        assertThatIllegalArgumentException().isThrownBy(() -> GitChecks.changedTogether("a/", "b"))
                .withMessageContaining("'a/'");
    }

    @Test
    void refUnchanged_failsWhenTheBranchMovedAfterThePin() throws Exception {
        try (GitFixture repo = GitFixture.init(tmp.resolve("repo"))) {
            repo.write("a", "1");
            RevCommit scanned = repo.commit("scanned");
            Facts facts = GitFacts.of(Map.of()).read(repo.root()).orElseThrow();
            FixedStepContext scan = FixedStepContext.of(repo.root(), facts);

            CheckResult atScan = evaluate(GitChecks.refUnchanged(), scan);
            assertThat(atScan.passed()).isTrue();
            assertThat(scan.state(GitPlugin.PINNED_COMMIT, () -> "unset")).isEqualTo(scanned.name());

            repo.write("a", "2");
            RevCommit sneaked = repo.commit("pushed between the scan and the deploy");
            CheckResult atDeploy = evaluate(GitChecks.refUnchanged(), scan.next(repo.root()));

            assertThat(atDeploy.passed()).isFalse();
            assertThat(atDeploy.reason()).contains("master moved").contains(sneaked.name())
                    .contains("pinned to " + scanned.name());
        }
    }

    @Test
    void refUnchanged_checksTagsAndOriginBranchesAndFailsForMissingRefs() throws Exception {
        try (GitFixture repo = GitFixture.init(tmp.resolve("repo"))) {
            repo.write("a", "1");
            RevCommit one = repo.commit("one");
            repo.annotatedTag("v1");
            repo.setRef("refs/remotes/origin/ci-only", one);

            assertThat(evaluate(GitChecks.refUnchanged(), on(repo.root(), Ref.tag("v1"), one)).passed()).isTrue();
            assertThat(evaluate(GitChecks.refUnchanged(), on(repo.root(), Ref.branch("ci-only"), one)).reason())
                    .contains("origin/ci-only is still at");
            assertThat(evaluate(GitChecks.refUnchanged(), on(repo.root(), Ref.branch("gone"), one)).reason())
                    .contains("branch gone is not in the repository");

            repo.write("a", "2");
            RevCommit two = repo.commit("two");
            repo.setRef("refs/tags/v1", two);
            assertThat(evaluate(GitChecks.refUnchanged(), on(repo.root(), Ref.tag("v1"), one)).passed()).isFalse();
        }
    }
}
