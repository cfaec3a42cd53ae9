package dev.pipewright.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipewright.Environment;
import dev.pipewright.Pipeline;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code run} through the command line, on real processes in a temporary folder. */
class RunCommandTest {
    private static final Environment STAGING = Environment.named("staging").branches("main").approval().build();
    private static final Pipeline API = Pipeline.named("api")
            .environments(STAGING)
            .stage("test", s -> s.run("test -e ok && echo tested"))
            .deploy(STAGING, s -> s.needs("test").run("echo deployed > deployed.txt"))
            .build();

    private static final dev.pipewright.Role DEPLOYER = dev.pipewright.Role.named("deployer").build();
    private static final Pipeline ROLES = Pipeline.named("roles").role(DEPLOYER)
            .stage("deploy", s -> s.as(DEPLOYER).run("echo key=$AWS_ACCESS_KEY_ID"))
            .build();

    @TempDir
    Path repo;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        Map<String, String> env = Map.of("PATH", System.getenv("PATH"), "HOME", repo.toString());
        return Pipewright.execute(args, new PrintWriter(out), new PrintWriter(err), List.of(API, ROLES), () -> env);
    }

    @Test
    void run_withApproval_runsEveryStage_andJournalsInTheRepository() throws IOException {
        Files.createFile(repo.resolve("ok"));

        int code = run("run", "api", "--repo", repo.toString(), "--branch", "main", "--approve", "approve-staging");

        assertThat(code).as(err.toString()).isZero();
        assertThat(repo.resolve("deployed.txt")).hasContent("deployed");
        assertThat(out.toString()).contains("tested");
        try (Stream<Path> runs = Files.list(repo.resolve(".pipewright/runs"))) {
            assertThat(runs).singleElement().satisfies(r -> assertThat(r.resolve("journal.jsonl")).exists());
        }
    }

    @Test
    void run_journalAFile_exit2BeforeAnythingRuns() throws IOException {
        Files.createFile(repo.resolve("ok"));
        Path notAFolder = Files.writeString(repo.resolve("notes.txt"), "keep me");

        assertThat(run("run", "api", "--repo", repo.toString(), "--branch", "main", "--approve", "all", "--journal",
                notAFolder.toString())).isEqualTo(2);

        assertThat(err.toString()).isEqualTo("error: Could not create a run journal in " + notAFolder + ": "
                + notAFolder + " is a file, not a folder. Give the runner a journal folder it can write to.\n");
        assertThat(repo.resolve("deployed.txt")).doesNotExist();
        assertThat(notAFolder).hasContent("keep me");
    }

    @Test
    void run_withoutApproval_stopsBeforeTheDeploy_exit1() throws IOException {
        Files.createFile(repo.resolve("ok"));

        assertThat(run("run", "api", "--repo", repo.toString(), "--branch", "main", "--approve", "none")).isEqualTo(1);
        assertThat(repo.resolve("deployed.txt")).doesNotExist();
    }

    @Test
    void failedRun_exit1_thenResume_finishesIt() throws IOException {
        assertThat(run("run", "api", "--repo", repo.toString(), "--branch", "main", "--approve", "all")).isEqualTo(1);
        String runId;
        try (Stream<Path> runs = Files.list(repo.resolve(".pipewright/runs"))) {
            runId = runs.findFirst().orElseThrow().getFileName().toString();
        }
        Files.createFile(repo.resolve("ok"));

        assertThat(run("run", "api", "--repo", repo.toString(), "--approve", "all", "--resume", runId)).isZero();
        assertThat(repo.resolve("deployed.txt")).exists();
    }

    @Test
    void unknownApproval_isAUsageError_namingTheKnownOnes() {
        assertThat(run("run", "api", "--repo", repo.toString(), "--branch", "main", "--approve", "approve-prod"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("--approve names 'approve-prod'", "[approve-staging, deploy-staging]");
    }

    @Test
    void unknownBranch_withoutARepositoryReader_isAUsageError() {
        assertThat(run("run", "api", "--repo", repo.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("Pass --branch NAME or --tag NAME");
    }

    @Test
    void badTimeout_andMissingRepo_areUsageErrors() {
        assertThat(run("run", "api", "--repo", repo.toString(), "--branch", "main", "--timeout", "soon")).isEqualTo(2);
        assertThat(err.toString()).contains("--timeout 'soon' is not a duration");
        assertThat(run("run", "api", "--repo", repo.resolve("nowhere").toString(), "--branch", "main")).isEqualTo(2);
        assertThat(err.toString()).contains("is not a folder");
    }

    @Test
    void credentialsFile_givesTheRoleItsVariables_masked_andAMissingFileIsAUsageError() throws IOException {
        Path file = Files.writeString(repo.resolve("creds"), "[deployer]\nAWS_ACCESS_KEY_ID=AKIAFILEFILEFILE1\n");

        assertThat(run("run", "roles", "--repo", repo.toString(), "--branch", "main", "--credentials",
                file.toString())).as(err.toString()).isZero();
        assertThat(out.toString()).contains("key=***").doesNotContain("AKIAFILEFILEFILE1");
        assertThat(run("run", "roles", "--repo", repo.toString(), "--branch", "main", "--credentials",
                repo.resolve("none").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--credentials " + repo.resolve("none") + " is not a file.");
    }

    @Test
    void duration_acceptsShortAndIsoForms() {
        assertThat(RunCommand.duration("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(RunCommand.duration("30m")).isEqualTo(Duration.ofMinutes(30));
        assertThat(RunCommand.duration("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(RunCommand.duration("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(RunCommand.duration("PT1H30M")).isEqualTo(Duration.ofMinutes(90));
    }
}
