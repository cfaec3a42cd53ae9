package dev.pipewright.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipewright.Environment;
import dev.pipewright.Pipeline;
import dev.pipewright.circleci.CircleCiCompiler;
import dev.pipewright.circleci.CircleCiDrift;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerateAndCheckTest {
    private static final Environment PRODUCTION = Environment.named("production").branches("main")
            .approval(a -> a.approvers("leads")).protect().build();
    private static final Pipeline API = Pipeline.named("api")
            .environments(PRODUCTION)
            .stage("test", s -> s.run("make test"))
            .deploy(PRODUCTION, s -> s.needs("test").run("make deploy"))
            .build();

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private static final Pipeline MONO = Pipeline.named("mono")
            .stage("payments", s -> s.whenChanged("services/payments/**").run("make -C payments"))
            .stage("lint", s -> s.run("make lint"))
            .build();

    private int run(String... args) {
        return Pipewright.execute(args, new PrintWriter(out), new PrintWriter(err), List.of(API, MONO));
    }

    @Test
    void pathFilters_twoFiles_writtenSideBySide_andBothChecked() throws IOException {
        assertThat(run("generate", "mono")).isEqualTo(2);
        assertThat(err.toString()).contains("two files", "-o .circleci/config.yml");

        Path config = dir.resolve(".circleci/config.yml");
        assertThat(run("generate", "mono", "-o", config.toString())).isZero();
        Path continuation = dir.resolve(".circleci/continue_config.yml");
        assertThat(config).content().contains("setup: true");
        assertThat(continuation).exists();
        assertThat(run("check", "mono", config.toString())).isZero();

        Files.writeString(continuation, "version: 2.1\n");
        assertThat(run("check", "mono", config.toString())).isEqualTo(1);
        assertThat(out.toString()).contains("continue_config.yml");
    }

    @Test
    void generate_printsTheConfig() {
        assertThat(run("generate", "api")).isZero();
        assertThat(out.toString()).isEqualTo(CircleCiCompiler.generate(API))
                .contains("approve-production:").contains("type: approval");
    }

    @Test
    void generate_toFile_createsFoldersAndReplacesWholeFile() throws IOException {
        Path file = dir.resolve(".circleci/config.yml");
        assertThat(run("generate", "api", "-o", file.toString())).isZero();
        assertThat(Files.readString(file)).isEqualTo(CircleCiCompiler.generate(API));
        assertThat(out.toString()).isEqualTo("wrote " + file + "\n");
        try (var files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void check_upToDate_exit0() throws IOException {
        Path file = Files.writeString(dir.resolve("config.yml"), CircleCiCompiler.generate(API));
        assertThat(run("check", "api", file.toString())).isZero();
        assertThat(out.toString()).contains("is up to date with pipeline 'api'");
    }

    @Test
    void check_drifted_exit1WithUnifiedDiff() throws IOException {
        String edited = CircleCiCompiler.generate(API).replace("run: make test\n", "run: make tests\n");
        Path file = Files.writeString(dir.resolve("config.yml"), edited);
        assertThat(run("check", "api", file.toString())).isEqualTo(Pipewright.NOT_OK);
        assertThat(out.toString()).startsWith("--- " + file + "\n+++ generated from pipeline 'api'\n")
                .contains("-      - run: make tests\n+      - run: make test\n");
        assertThat(err.toString()).contains("Regenerate it with: generate api -o " + file);
    }

    @Test
    void check_missingFile_exit2() {
        assertThat(run("check", "api", dir.resolve("nope.yml").toString())).isEqualTo(Pipewright.USAGE);
        assertThat(err.toString()).contains("no such file").contains("generate api -o");
    }

    @Test
    void drift_forUsersTests_assertUpToDateThrowsWithDiff() throws IOException {
        Path file = Files.writeString(dir.resolve("config.yml"), "version: 2.1\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CircleCiDrift.assertUpToDate(API, file))
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith(file + " is not what pipeline 'api' generates. Regenerate it with")
                .hasMessageContaining("+++ generated from pipeline 'api'");
        Files.writeString(file, CircleCiCompiler.generate(API));
        CircleCiDrift.assertUpToDate(API, file);
        assertThat(CircleCiDrift.check(API, dir.resolve("missing.yml"))).isPresent();
    }
}
