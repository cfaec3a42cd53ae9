package dev.pipewright.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.MergeCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretGitScanTest {
    @TempDir Path dir;
    private Git git;
    private final SecretScan scan = SecretScan.defaults();
    private final String npm = FakeSecrets.valid("npm-token", new Random(11)).value();
    private final String github = FakeSecrets.valid("github-classic-pat", new Random(12)).value();
    private final String stripe = FakeSecrets.valid("stripe-secret-key", new Random(13)).value();

    @BeforeEach
    void init() throws GitAPIException {
        git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call();
    }

    @AfterEach
    void close() {
        git.close();
    }

    private void write(String path, String text) throws IOException {
        Path file = dir.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    private RevCommit commit(String message) throws GitAPIException {
        git.add().addFilepattern(".").call();
        git.add().addFilepattern(".").setUpdate(true).call();
        PersonIdent who = new PersonIdent("Dev", "dev@shop.io");
        return git.commit().setMessage(message).setAuthor(who).setCommitter(who).setSign(false).call();
    }

    private RevCommit commit(String message, String path, String text)
            throws IOException, GitAPIException {
        write(path, text);
        return commit(message);
    }

    @Test
    void scanWorkingTree_readsTrackedAndUntrackedButNotIgnoredFiles() throws Exception {
        write(".gitignore", "build/\n*.log\n");
        commit("tracked", "app/.env", "NPM_TOKEN=" + npm + "\n");
        write("app/.env", "# edited, not committed\nNPM_TOKEN=" + npm + "\n");
        write("notes/todo.txt", "token " + github + "\n");
        write("build/out/config.json", "{\"k\": \"" + github + "\"}\n");
        write("debug.log", "auth " + github + "\n");

        SecretScanReport report = scan.scanWorkingTree(dir);

        assertThat(report.findings()).extracting(SecretFinding::file, SecretFinding::line,
                        f -> f.commit().isPresent())
                .containsExactlyInAnyOrder(tuple("app/.env", 2, false), tuple("notes/todo.txt", 1, false));
        assertThat(report.filesScanned()).isEqualTo(3); // .gitignore, app/.env, notes/todo.txt
    }

    @Test
    void scanWorkingTree_fromASubfolder_namesFilesFromTheRoot() throws Exception {
        commit("one", "services/api/.env", "NPM_TOKEN=" + npm + "\n");

        SecretScanReport report = scan.scanWorkingTree(dir.resolve("services"));

        assertThat(report.findings()).extracting(SecretFinding::file)
                .containsExactly("services/api/.env");
    }

    @Test
    void scanRange_secretAddedThenDeleted_isFoundWithTheCommitThatAddedIt() throws Exception {
        RevCommit base = commit("base", "app/config.yml", "name: shop\n");
        RevCommit added = commit("add token", "app/config.yml", "name: shop\ntoken: " + github + "\n");
        RevCommit removed = commit("oops", "app/config.yml", "name: shop\n");

        SecretScanReport report = scan.scanRange(dir, base.name(), removed.name());

        assertThat(report.findings()).extracting(SecretFinding::file, SecretFinding::line,
                        SecretFinding::column, f -> f.commit().orElseThrow())
                .containsExactly(tuple("app/config.yml", 2, 8, added.name()));
        assertThat(report.commitsScanned()).isEqualTo(2);
        assertThat(scan.scanWorkingTree(dir).findings()).isEmpty();
    }

    @Test
    void scanRange_onlyLinesAddedByTheRange() throws Exception {
        commit("old secret", "app/.env", "NPM_TOKEN=" + npm + "\nPORT=80\n");
        RevCommit base = commit("unrelated", "README.md", "shop\n");
        commit("more config", "app/.env", "NPM_TOKEN=" + npm + "\nPORT=8080\nSTRIPE=" + stripe + "\n");

        SecretScanReport report = scan.scanRange(dir, base.name(), "HEAD");

        assertThat(report.findings()).extracting(SecretFinding::line, SecretFinding::rule)
                .containsExactly(tuple(3, "stripe-secret-key"));
    }

    @Test
    void scanRange_pureRenameAddsNothing_renameWithEditReportsOnlyTheEdit() throws Exception {
        StringBuilder body = new StringBuilder("NPM_TOKEN=" + npm + "\n");
        for (int i = 0; i < 40; i++) {
            body.append("SETTING_").append(i).append("=value ").append(i).append('\n');
        }
        RevCommit base = commit("old", "a/.env", body.toString());
        Files.createDirectories(dir.resolve("b"));
        Files.move(dir.resolve("a/.env"), dir.resolve("b/.env"));
        RevCommit renamed = commit("rename");

        assertThat(scan.scanRange(dir, base.name(), renamed.name()).findings()).isEmpty();

        Files.createDirectories(dir.resolve("c"));
        Files.move(dir.resolve("b/.env"), dir.resolve("c/app.env"));
        Files.writeString(dir.resolve("c/app.env"), body + "GITHUB=" + github + "\n");
        commit("rename and edit");

        assertThat(scan.scanRange(dir, renamed.name(), "HEAD").findings())
                .extracting(SecretFinding::file, SecretFinding::line)
                .containsExactly(tuple("c/app.env", 42));
    }

    @Test
    void scanRange_mergedBranch_reportsTheBranchCommitNotTheMerge() throws Exception {
        RevCommit base = commit("base", "README.md", "shop\n");
        git.checkout().setCreateBranch(true).setName("feature").call();
        RevCommit leak = commit("feature", "feature/.env", "NPM_TOKEN=" + npm + "\n");
        git.checkout().setName("main").call();
        commit("main moves on", "main.txt", "main\n");
        git.merge().include(leak).setFastForward(MergeCommand.FastForwardMode.NO_FF)
                .setMessage("merge feature").call();
        RevCommit merge = git.log().setMaxCount(1).call().iterator().next();

        SecretScanReport report = scan.scanRange(dir, base.name(), merge.name());

        assertThat(merge.getParentCount()).isEqualTo(2);
        assertThat(report.findings()).extracting(f -> f.commit().orElseThrow())
                .containsExactly(leak.name());
    }

    @Test
    void scanRange_mergeThatAddsItsOwnLine_reportsTheMerge() throws Exception {
        RevCommit base = commit("base", "app/.env", "A=1\n");
        git.checkout().setCreateBranch(true).setName("feature").call();
        RevCommit feature = commit("feature", "app/.env", "A=1\nB=2\n");
        git.checkout().setName("main").call();
        commit("main", "other.txt", "x\n");
        git.merge().include(feature).setFastForward(MergeCommand.FastForwardMode.NO_FF)
                .setCommit(false).call();
        write("app/.env", "A=1\nB=2\nSTRIPE=" + stripe + "\n");
        RevCommit evil = commit("merge feature, with an extra line");

        SecretScanReport report = scan.scanRange(dir, base.name(), evil.name());

        assertThat(evil.getParentCount()).isEqualTo(2);
        assertThat(report.findings()).extracting(SecretFinding::line, f -> f.commit().orElseThrow())
                .containsExactly(tuple(3, evil.name()));
    }

    @Test
    void scanRange_editInsideAPrivateKey_reportsTheKey() throws Exception {
        String pem = FakeSecrets.valid("private-key-rsa", new Random(14)).value();
        RevCommit base = commit("key", "keys/id_rsa.txt", "old\n");
        commit("replace", "keys/id_rsa.txt", "old\n" + pem + "\n");

        SecretScanReport report = scan.scanRange(dir, base.name(), "HEAD");

        assertThat(report.findings()).extracting(SecretFinding::line, SecretFinding::rule)
                .containsExactly(tuple(2, "private-key-rsa"));
        RevCommit before = git.log().setMaxCount(1).call().iterator().next();
        String[] lines = pem.split("\n");
        lines[3] = new StringBuilder(lines[3]).reverse().toString();
        commit("tweak a middle line", "keys/id_rsa.txt", "old\n" + String.join("\n", lines) + "\n");

        assertThat(scan.scanRange(dir, before.name(), "HEAD").findings())
                .extracting(SecretFinding::line).containsExactly(2);
    }

    @Test
    void scanRange_binaryFilesAreSkipped() throws Exception {
        RevCommit base = commit("base", "README.md", "shop\n");
        Files.write(dir.resolve("logo.png"), ("\u0000\u0001PNG " + github).getBytes(StandardCharsets.UTF_8));
        commit("binary");

        SecretScanReport report = scan.scanRange(dir, base.name(), "HEAD");

        assertThat(report.findings()).isEmpty();
        assertThat(report.filesScanned()).isZero();
    }

    @Test
    void scanRange_changedFileOverTheDiffLimit_isScannedWholeInWindows() throws Exception {
        RevCommit base = commit("base", "README.md", "shop\n");
        Path big = dir.resolve("data/big.csv");
        Files.createDirectories(big.getParent());
        try (OutputStream out = Files.newOutputStream(big)) {
            byte[] row = "id,name,comment,some filler to make the row longer than usual\n"
                    .getBytes(StandardCharsets.UTF_8);
            for (long written = 0; written <= SecretGitScan.DIFF_LIMIT; written += row.length) {
                out.write(row);
            }
            out.write(("NPM_TOKEN=" + npm + "\n").getBytes(StandardCharsets.UTF_8));
        }
        commit("big file");

        SecretScanReport report = scan.scanRange(dir, base.name(), "HEAD");

        assertThat(report.findings()).extracting(SecretFinding::file, SecretFinding::rule)
                .containsExactly(tuple("data/big.csv", "npm-token"));
        assertThat(report.findings().get(0).line()).isGreaterThan(250_000);
    }

    @Test
    void scanHistory_readsEveryRefIncludingBranchesNotCheckedOut() throws Exception {
        commit("root", "README.md", "shop\n");
        git.checkout().setCreateBranch(true).setName("experiment").call();
        RevCommit hidden = commit("experiment", "exp/.env", "NPM_TOKEN=" + npm + "\n");
        git.checkout().setName("main").call();
        RevCommit kept = commit("add and keep", "app.yml", "token: " + github + "\n");

        SecretScanReport report = scan.scanHistory(dir);

        assertThat(report.findings()).extracting(SecretFinding::file, f -> f.commit().orElseThrow())
                .containsExactlyInAnyOrder(tuple("exp/.env", hidden.name()),
                        tuple("app.yml", kept.name()));
        assertThat(report.commitsScanned()).isEqualTo(3);
    }

    @Test
    void scanRange_unknownRevision_namesItAndTheRange() throws Exception {
        commit("root", "README.md", "shop\n");

        assertThatThrownBy(() -> scan.scanRange(dir, "v9.9.9", "HEAD"))
                .isInstanceOf(SecretScanException.class)
                .hasMessageContaining("Unknown revision 'v9.9.9' in v9.9.9..HEAD");
    }

    @Test
    void scanWorkingTree_folderOutsideAnyRepository_saysSo(@TempDir Path plain) {
        assertThatThrownBy(() -> scan.scanWorkingTree(plain))
                .isInstanceOf(SecretScanException.class)
                .hasMessageContaining(plain + " is not in a Git repository");
    }

    @Test
    void allowlistInTheWorkingTree_appliesToRangeScans() throws Exception {
        RevCommit base = commit("base", "README.md", "shop\n");
        commit("fixture", "test/fixtures/tokens.env", "NPM_TOKEN=" + npm + "\n");
        write(SecretScan.ALLOWLIST_FILE, "test/fixtures/\n");

        assertThat(scan.scanRange(dir, base.name(), "HEAD").findings()).isEmpty();
    }
}
