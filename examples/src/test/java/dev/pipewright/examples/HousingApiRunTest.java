package dev.pipewright.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipewright.cli.Pipewright;
import dev.pipewright.git.GitPlugin;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's promise: the example pipeline runs on a machine with only a JDK. Runs the real
 * pipeline on a copy of the sample service: real shell steps, javac, java, the deploy tool.
 */
class HousingApiRunTest {
    private static final Path SAMPLE = Path.of("housing-api");

    @TempDir
    Path repo;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void copySample() throws IOException {
        try (Stream<Path> files = Files.walk(SAMPLE)) {
            for (Path p : files.toList()) {
                Path relative = SAMPLE.relativize(p);
                if (relative.startsWith(".pipewright") || relative.startsWith("build")) {
                    continue;
                }
                Path target = repo.resolve(relative.toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private int run(String... args) {
        return Pipewright.execute(args, new PrintWriter(out), new PrintWriter(err),
                List.of(new GitPlugin(), new SandboxCredentials()), List.of(HousingApi.pipeline()));
    }

    @Test
    void developmentBranch_buildsTestsAndDeploysToDevelopment() throws IOException {
        int code = run("run", "housing-api", "--repo", repo.toString(), "--branch", "development", "--approve", "all");

        assertThat(code).as(out + "\n" + err).isZero();
        assertThat(out.toString()).contains("formatting OK", "5 of 5 tests passed",
                "housing-api-development: published version 1");
        Path live = repo.resolve(".pipewright/sandbox/lambda/housing-api-development/live");
        assertThat(live).hasContent("1");
        assertThat(repo.resolve(".pipewright/sandbox/lambda/housing-api-staging")).doesNotExist();
        assertThat(out.toString()).doesNotContainPattern("ASIA[A-Z2-7]{16}"); // the role's key id is masked
    }

    @Test
    void masterBranch_withoutApproval_stopsBeforeStaging() {
        int code = run("run", "housing-api", "--repo", repo.toString(), "--branch", "master", "--approve", "none");

        assertThat(code).isEqualTo(1);
        assertThat(repo.resolve(".pipewright/sandbox/lambda/housing-api-staging")).doesNotExist();
        assertThat(out.toString()).contains("deploy-staging");
    }

    @Test
    void masterBranch_withApprovals_deploysStagingThenProduction_andPublishesTheDefinition() {
        int code = run("run", "housing-api", "--repo", repo.toString(), "--branch", "master", "--approve", "all");

        assertThat(code).as(out + "\n" + err).isZero();
        assertThat(repo.resolve(".pipewright/sandbox/lambda/housing-api-staging/live")).hasContent("1");
        assertThat(repo.resolve(".pipewright/sandbox/lambda/housing-api-production/live")).hasContent("1");
        assertThat(repo.resolve(".pipewright/sandbox/api-definitions/housing-api/latest.yaml")).exists();
    }
}
