package dev.pipewright.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretScanTest {
    @TempDir Path dir;

    private final String npm = FakeSecrets.valid("npm-token", new Random(1)).value();
    private final String github = FakeSecrets.valid("github-classic-pat", new Random(2)).value();

    private Path write(String path, String text) throws IOException {
        Path file = dir.resolve(path);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    @Test
    void scanFolder_findsSecretsWithRelativeSlashPathsLinesAndColumns() throws IOException {
        write("services/api/.env", "# local\nNPM_TOKEN=" + npm + "\n");
        write("deploy/ci.sh", "#!/bin/sh\n\ncurl -H \"Authorization: token " + github + "\"\n");
        write("src/Main.java", "class Main {}\n");

        SecretScanReport report = SecretScan.defaults().scanFolder(dir);

        assertThat(report.findings())
                .extracting(SecretFinding::file, SecretFinding::line, SecretFinding::column,
                        SecretFinding::rule)
                .containsExactlyInAnyOrder(
                        tuple("services/api/.env", 2, 11, "npm-token"),
                        tuple("deploy/ci.sh", 3, 31, "github-classic-pat"));
        assertThat(report.findings()).allSatisfy(f -> {
            assertThat(f.commit()).isEmpty();
            assertThat(f.masked()).contains("****").doesNotContain(npm.substring(4, 30));
        });
        assertThat(report.filesScanned()).isEqualTo(3);
        assertThat(report.isClean()).isFalse();
    }

    @Test
    void scanFolder_skipsGitFoldersBinaryAndLockFiles() throws IOException {
        write(".git/config", "token = " + github + "\n");
        write("web/package-lock.json", "{\"token\": \"" + github + "\"}\n");
        Files.write(write("img/logo.png", ""), ("\u0000PNG " + github).getBytes(StandardCharsets.UTF_8));
        write("README.md", "Nothing to see.\n");

        SecretScanReport report = SecretScan.defaults().scanFolder(dir);

        assertThat(report.findings()).isEmpty();
        assertThat(report.filesScanned()).isEqualTo(1);
    }

    @Test
    void scanFolder_allowlistInTheRoot_allowsByFingerprintGlobAndRule() throws IOException {
        write("app/.env", "NPM_TOKEN=" + npm + "\nGITHUB_TOKEN=" + github + "\n");
        write("test/fixtures/keys.txt", "NPM_TOKEN=" + npm + "\n");
        SecretFinding pinned = SecretScan.defaults().scanFolder(dir).findings().stream()
                .filter(f -> f.file().equals("app/.env") && f.rule().equals("npm-token"))
                .findFirst().orElseThrow();
        write(SecretScan.ALLOWLIST_FILE, "# reviewed 2026-11\n" + pinned.fingerprint() + "\n"
                + "test/fixtures/\n");

        SecretScanReport report = SecretScan.defaults().scanFolder(dir);

        assertThat(report.findings()).extracting(SecretFinding::file, SecretFinding::rule)
                .containsExactly(tuple("app/.env", "github-classic-pat"));
        assertThat(report.allowedCount()).isEqualTo(1);
    }

    @Test
    void build_invalidExplicitAllowlist_namesFileAndLine() throws IOException {
        Path allowlist = write("ci/allow", "ok/**\nrule:nope\n");

        assertThatThrownBy(() -> SecretScan.builder().allowlist(allowlist).build())
                .isInstanceOf(SecretScanException.class)
                .hasMessageContaining(allowlist + ":2: no rule 'nope'");
    }

    @Test
    void build_missingAllowlist_namesIt() {
        Path missing = dir.resolve("nope.txt");

        assertThatThrownBy(() -> SecretScan.builder().allowlist(missing).build())
                .isInstanceOf(SecretScanException.class)
                .hasMessageContaining("The allowlist " + missing + " does not exist");
    }

    @Test
    void scanFolder_explicitAllowlist_replacesTheOneInTheRoot() throws IOException {
        write("app/.env", "NPM_TOKEN=" + npm + "\n");
        write(SecretScan.ALLOWLIST_FILE, "app/\n");
        Path explicit = write("elsewhere.txt", "rule:github-classic-pat\n");

        SecretScanReport report = SecretScan.builder().allowlist(explicit).build().scanFolder(dir);

        assertThat(report.findings()).extracting(SecretFinding::rule).containsExactly("npm-token");
    }

    @Test
    void scanFolder_bareAllowComment_isReportedAndAllowsNothing() throws IOException {
        write("app/.env", "NPM_TOKEN=" + npm + " # pipewright:allow\n"
                + "# pipewright:allow fixture for the client tests\nOTHER=" + npm + "\n");

        SecretScanReport report = SecretScan.defaults().scanFolder(dir);

        assertThat(report.findings()).extracting(SecretFinding::line, SecretFinding::rule)
                .containsExactly(tuple(1, "npm-token"), tuple(1, "allow-without-reason"));
    }

    @Test
    void scanFolder_missingFolder_namesIt() {
        Path missing = dir.resolve("nowhere");

        assertThatThrownBy(() -> SecretScan.defaults().scanFolder(missing))
                .isInstanceOf(SecretScanException.class)
                .hasMessageContaining("There is no folder " + missing);
    }

    @Test
    void rules_listsEveryRuleAndTheAllowCommentCheck() {
        assertThat(SecretScan.defaults().rules())
                .hasSize(FakeSecrets.RULE_IDS.size() + 1)
                .contains("aws-access-key-id", "generic-secret", "allow-without-reason");
    }
}
