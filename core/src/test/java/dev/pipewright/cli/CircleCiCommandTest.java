package dev.pipewright.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CircleCiCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Pipewright.execute(args, new PrintWriter(out), new PrintWriter(err), List.of());
    }

    private Path file(String name, String yaml) throws IOException {
        return Files.writeString(dir.resolve(name), yaml);
    }

    @Test
    void validate_validFiles_exit0() throws IOException {
        Path a = file("a.yml", "version: 2.1\njobs:\n  t: {docker: [{image: x}], steps: [checkout]}\n"
                + "workflows:\n  w:\n    jobs: [t]\n");
        assertThat(run("circleci", "validate", a.toString())).isZero();
        assertThat(out.toString()).isEqualTo("OK " + a + "\n");
    }

    @Test
    void validate_invalidFile_exit1WithPositionedProblems() throws IOException {
        Path good = file("good.yml", "version: 2.1\n");
        Path bad = file("bad.yml", "version: 2.1\nworkflows:\n  w:\n    jobs: [nope]\n");
        Path broken = file("broken.yml", "jobs: [a\n");
        assertThat(run("circleci", "validate", good.toString(), bad.toString(), broken.toString())).isEqualTo(1);
        assertThat(out.toString()).contains("OK " + good + "\n")
                .contains("FAIL " + bad + ":4:12: workflows.w.jobs[0]: job 'nope' is not defined; there are no jobs.")
                .containsPattern("FAIL " + java.util.regex.Pattern.quote(broken.toString()) + ":\\d+:\\d+: invalid YAML: ")
                .endsWith("1 valid, 2 invalid\n");
    }

    @Test
    void validate_unknownKeys_warnedButValid() throws IOException {
        Path f = file("w.yml", "version: 2.1\nreferences:\n  a: &a 1\n");
        assertThat(run("circleci", "validate", f.toString())).isZero();
        assertThat(out.toString()).isEqualTo("WARN " + f + ":2:1: references: 'references' is not a key of a configuration"
                + " that the model knows; kept as written.\nOK " + f + "\n");
    }

    @Test
    void validate_missingFile_exit2() {
        assertThat(run("circleci", "validate", dir.resolve("none.yml").toString())).isEqualTo(Pipewright.USAGE);
        assertThat(err.toString()).contains("error: no such file: ");
    }

    @Test
    void validate_noFile_exit2WithUsage() {
        assertThat(run("circleci", "validate")).isEqualTo(Pipewright.USAGE);
        assertThat(err.toString()).contains("Missing required parameter");
    }

    @Test
    void roundtrip_invalidYaml_exit2WithPosition() throws IOException {
        Path broken = file("broken.yml", "a: 1\na: 2\n");
        assertThat(run("circleci", "roundtrip", broken.toString())).isEqualTo(Pipewright.USAGE);
        assertThat(err.toString()).isEqualTo("error: " + broken + ":2:1: a: duplicate key 'a' (first at line 1, column 1)."
                + " Keep one of them.\n");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void roundtrip_writesCanonicalYaml() throws IOException {
        Path f = file("c.yml", "version: 2.1\njobs:\n  t:\n    docker: [{image: x}]\n    steps: [checkout, {run: make}]\n");
        assertThat(run("circleci", "roundtrip", f.toString())).isZero();
        assertThat(out.toString()).startsWith("# Read from c.yml and written again by Pipewright.\n")
                .contains("- checkout\n").doesNotContain("checkout: {}").contains("- run: make\n");
    }

    @Test
    void circleci_withoutSubcommand_exit2() {
        assertThat(run("circleci")).isEqualTo(Pipewright.USAGE);
        assertThat(err.toString()).contains("a circleci command is required");
    }
}
