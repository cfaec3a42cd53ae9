package dev.pipewright.git;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ScanSecretsCommandTest {
    @TempDir Path dir;
    private Git git;
    private final String npm = FakeSecrets.valid("npm-token", new Random(21)).value();
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

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

    private int run(String... args) {
        return ScanSecretsCommand.execute(args, new PrintWriter(out), new PrintWriter(err), dir);
    }

    private List<String> lines() {
        return List.of(out.toString().split("\\R"));
    }

    @Test
    void noArguments_scansTheWorkingTreeOfTheCurrentFolder_exit1() throws Exception {
        commit("app/.env", "# local\nNPM_TOKEN=" + npm + "\n");

        int code = run();

        assertThat(code).isEqualTo(1);
        assertThat(lines()).containsExactly(
                "app/.env:2:11: npm-token: npm_****\u2026" + npm.substring(npm.length() - 4),
                "1 secret found in 1 file.");
        assertThat(out.toString()).doesNotContain(npm.substring(4, npm.length() - 4));
    }

    @Test
    void cleanTree_exit0() throws Exception {
        commit("README.md", "shop\n");

        assertThat(run("--repo", dir.toString())).isZero();
        assertThat(lines()).containsExactly("No secrets found in 1 file.");
    }

    @Test
    void range_json_hasTheIssueShapeWithTheFullCommitId() throws Exception {
        RevCommit base = commit("README.md", "shop\n");
        RevCommit leak = commit("deploy/values.yaml", "image: shop\ntoken: " + npm + "\n");

        int code = run("--repo", dir.toString(), "--range", base.name() + "..HEAD", "--json");

        assertThat(code).isEqualTo(1);
        JsonNode json = JsonMapper.builder().build().readTree(out.toString());
        assertThat(names(json)).containsExactly("files_scanned", "findings");
        assertThat(json.get("files_scanned").asInt()).isEqualTo(1);
        JsonNode finding = json.get("findings").get(0);
        assertThat(names(finding)).startsWith("file", "line", "column", "rule", "commit");
        assertThat(finding.get("file").asString()).isEqualTo("deploy/values.yaml");
        assertThat(finding.get("line").asInt()).isEqualTo(2);
        assertThat(finding.get("column").asInt()).isEqualTo(8);
        assertThat(finding.get("rule").asString()).isEqualTo("npm-token");
        assertThat(finding.get("commit").asString()).isEqualTo(leak.name());
    }

    @Test
    void range_humanOutput_namesTheShortCommit() throws Exception {
        RevCommit base = commit("README.md", "shop\n");
        RevCommit leak = commit("deploy/values.yaml", "token: " + npm + "\n");

        run("--range", base.name() + "..HEAD");

        assertThat(lines().get(0)).startsWith("deploy/values.yaml:1:8: npm-token (commit "
                + leak.name().substring(0, 7) + "): npm_****");
        assertThat(lines().get(1)).isEqualTo("1 secret found in 1 file of 1 commit.");
    }

    @Test
    void path_scansAFolderRelativeToRepo_commitIsNull() throws Exception {
        Path folder = dir.resolve("plain/sub");
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("x.env"), "NPM_TOKEN=" + npm + "\n");

        int code = run("--repo", dir.resolve("plain").toString(), "--path", "sub", "--json");

        assertThat(code).isEqualTo(1);
        JsonNode finding = JsonMapper.builder().build().readTree(out.toString()).get("findings").get(0);
        assertThat(finding.get("file").asString()).isEqualTo("x.env");
        assertThat(finding.get("commit").isNull()).isTrue();
    }

    @Test
    void badRange_exit2NamingIt() throws Exception {
        commit("README.md", "shop\n");

        assertThat(run("--range", "HEAD")).isEqualTo(2);
        assertThat(err.toString()).contains("error: --range 'HEAD' is not A..B");
    }

    @Test
    void unknownRevision_exit2NamingIt() throws Exception {
        commit("README.md", "shop\n");

        assertThat(run("--range", "main..nope")).isEqualTo(2);
        assertThat(err.toString()).contains("error: Unknown revision 'nope' in main..nope")
                .doesNotContain("Exception");
    }

    @Test
    void unknownRepository_exit2NamingIt() {
        assertThat(run("--repo", "missing")).isEqualTo(2);
        assertThat(err.toString()).contains("error: There is no folder " + dir.resolve("missing"));
    }

    @Test
    void rangeAndPathTogether_exit2() {
        assertThat(run("--range", "a..b", "--path", ".")).isEqualTo(2);
        assertThat(err.toString()).contains("--range, --path and --history are alternatives");
    }

    @Test
    void unknownOption_exit2WithUsage() {
        assertThat(run("--nope")).isEqualTo(2);
        assertThat(err.toString()).contains("error: Unknown option: '--nope'").contains("Usage:");
    }

    @Test
    void invalidAllowlist_exit2NamingFileAndLine() throws Exception {
        commit("README.md", "shop\n");
        Files.writeString(dir.resolve(SecretScan.ALLOWLIST_FILE), "rule:nope\n");

        assertThat(run()).isEqualTo(2);
        assertThat(err.toString()).contains(SecretScan.ALLOWLIST_FILE + ":1: no rule 'nope'");
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.propertyNames().forEach(names::add);
        return names;
    }
}
