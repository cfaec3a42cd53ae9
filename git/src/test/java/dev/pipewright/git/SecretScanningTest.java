package dev.pipewright.git;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipewright.CheckResult;
import dev.pipewright.Environment;
import dev.pipewright.Gate;
import dev.pipewright.Pipeline;
import dev.pipewright.Ref;
import dev.pipewright.RunContext;
import dev.pipewright.run.LocalRunner;
import dev.pipewright.spi.Facts;
import dev.pipewright.spi.RunResult;
import dev.pipewright.spi.StageOutcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretScanningTest {
    @TempDir Path dir;
    private Git git;
    private final String npm = FakeSecrets.valid("npm-token", new Random(31)).value();

    /** The context a runner gives a check gate. */
    private record Context(Path workspace, @Nullable String sha) implements RunContext {
        @Override
        public String pipeline() {
            return "api";
        }

        @Override
        public String stage() {
            return "deploy-production";
        }

        @Override
        public Ref ref() {
            return Ref.branch("feature");
        }

        @Override
        public Optional<String> commit() {
            return Optional.ofNullable(sha);
        }

        @Override
        public Map<String, String> environment() {
            return Map.of();
        }

        @Override
        public void log(String line) {
        }
    }

    @BeforeEach
    void init() throws GitAPIException {
        git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call();
    }

    @AfterEach
    void close() {
        git.close();
    }

    private RevCommit commit(String path, String text) throws IOException, GitAPIException {
        Path file = dir.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
        git.add().addFilepattern(".").call();
        PersonIdent who = new PersonIdent("Dev", "dev@shop.io");
        return git.commit().setMessage(path).setAuthor(who).setCommitter(who).setSign(false).call();
    }

    private CheckResult evaluate(@Nullable String sha) throws Exception {
        return SecretScanning.gate().check().orElseThrow().evaluate(new Context(dir, sha));
    }

    @Test
    void check_featureBranchAddsASecret_failsListingItMasked() throws Exception {
        commit("README.md", "shop\n");
        git.checkout().setCreateBranch(true).setName("feature").call();
        commit("src/App.java", "class App {}\n");
        RevCommit leak = commit("app/.env", "NPM_TOKEN=" + npm + "\n");

        CheckResult result = evaluate(leak.name());

        assertThat(result.passed()).isFalse();
        assertThat(result.reason())
                .contains("1 secret in the commits from")
                .contains("(merge base with main)")
                .contains("app/.env:1:11: npm-token (commit " + leak.name().substring(0, 7) + "): npm_****")
                .contains(SecretScan.ALLOWLIST_FILE)
                .doesNotContain(npm.substring(4, npm.length() - 4));
    }

    @Test
    void check_secretOnlyBeforeTheMergeBase_passes() throws Exception {
        commit("app/.env", "NPM_TOKEN=" + npm + "\n");
        git.checkout().setCreateBranch(true).setName("feature").call();
        RevCommit clean = commit("src/App.java", "class App {}\n");

        CheckResult result = evaluate(clean.name());

        assertThat(result.passed()).as(result.reason()).isTrue();
        assertThat(result.reason()).contains("no secret in the commits from");
    }

    @Test
    void check_commitOnTheDefaultBranch_scansItsWholeTree() throws Exception {
        commit("app/.env", "NPM_TOKEN=" + npm + "\n");
        RevCommit head = commit("src/App.java", "class App {}\n");

        CheckResult result = evaluate(head.name());

        assertThat(result.passed()).isFalse();
        assertThat(result.reason()).contains("every file of commit " + head.name().substring(0, 12)
                + " (it is on the default branch main)").contains("app/.env:1:11");
    }

    @Test
    void check_noCommitKnown_scansTheWorkingTree() throws Exception {
        commit("README.md", "shop\n");
        Files.writeString(dir.resolve("local.env"), "NPM_TOKEN=" + npm + "\n");

        CheckResult result = evaluate(null);

        assertThat(result.passed()).isFalse();
        assertThat(result.reason()).contains("the working tree").contains("local.env:1:11");
    }

    @Test
    void check_unknownCommit_failsClosed() throws Exception {
        commit("README.md", "shop\n");

        CheckResult result = evaluate("0123456789abcdef0123456789abcdef01234567");

        assertThat(result.passed()).isFalse();
        assertThat(result.reason()).contains("could not run, so the stage is blocked")
                .contains("Unknown revision '0123456789abcdef0123456789abcdef01234567'");
    }

    @Test
    void check_workspaceOutsideAnyRepository_failsClosed(@TempDir Path plain) throws Exception {
        CheckResult result = SecretScanning.check().evaluate(new Context(plain, null));

        assertThat(result.passed()).isFalse();
        assertThat(result.reason()).contains("is not in a Git repository");
    }

    @Test
    void check_invalidAllowlist_failsClosedNamingTheLine() throws Exception {
        RevCommit head = commit("README.md", "shop\n");
        Files.writeString(dir.resolve(SecretScan.ALLOWLIST_FILE), "rule:nope\n");

        CheckResult result = evaluate(head.name());

        assertThat(result.passed()).isFalse();
        assertThat(result.reason()).contains(SecretScan.ALLOWLIST_FILE + ":1: no rule 'nope'");
    }

    @Test
    void gate_isNamedAndEqualToItself() {
        Gate gate = SecretScanning.gate();

        assertThat(gate.name()).isEqualTo(SecretScanning.GATE_NAME);
        assertThat(gate).isEqualTo(SecretScanning.gate());
    }

    @Test
    void unguardedStages_namesDeployStagesWithoutTheGate() {
        Environment staging = Environment.named("staging").build();
        Environment production = Environment.named("production").branches("main").build();
        Pipeline pipeline = Pipeline.named("api")
                .environments(staging, production)
                .stage("test", s -> s.run("./mvnw verify"))
                .deploy(staging, s -> s.needs("test").run("./deploy.sh staging"))
                .deploy(production, s -> s.needs("test")
                        .gate(Gate.check("secrets", SecretScanning.check())).run("./deploy.sh production"))
                .build();

        assertThat(SecretScanning.unguardedStages(pipeline)).containsExactly("deploy-staging");
    }

    @Test
    void localRun_deployGuardedByTheGate_isBlockedWhenTheBranchAddsASecret(@TempDir Path locks)
            throws Exception {
        commit("README.md", "shop\n");
        git.checkout().setCreateBranch(true).setName("feature").call();
        RevCommit leak = commit("deploy/values.yaml", "token: " + npm + "\n");
        Environment development = Environment.named("development").build();
        AtomicInteger deployed = new AtomicInteger();
        Pipeline pipeline = Pipeline.named("api")
                .environment(development)
                .stage("test", s -> s.java("test", c -> { }))
                .deploy(development, s -> s.needs("test").gate(SecretScanning.gate())
                        .java("deploy", c -> deployed.incrementAndGet()))
                .build();

        RunResult result = LocalRunner.builder()
                .workspace(dir)
                .locks(locks)
                .environment(Map.of())
                .facts(Facts.builder().ref(Ref.branch("feature")).commit(leak.name()).build())
                .discover(false)
                .build()
                .run(pipeline);

        assertThat(result.stage("test").orElseThrow().outcome()).isEqualTo(StageOutcome.SUCCEEDED);
        assertThat(result.stage("deploy-development").orElseThrow().outcome())
                .isEqualTo(StageOutcome.FAILED);
        assertThat(result.stage("deploy-development").orElseThrow().message()).hasValueSatisfying(m ->
                assertThat(m).contains("gate 'no-new-secrets' failed")
                        .contains("deploy/values.yaml:1:8: npm-token")
                        .doesNotContain(npm.substring(4, npm.length() - 4)));
        assertThat(deployed).hasValue(0);
    }
}
