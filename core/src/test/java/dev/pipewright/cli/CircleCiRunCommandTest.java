package dev.pipewright.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code circleci run}: real configs, real shells, a real journal, through the command line. */
class CircleCiRunCommandTest {
    @TempDir
    Path dir;

    private Path repo;
    private StringWriter out;
    private StringWriter err;

    @BeforeEach
    void folders() throws IOException {
        repo = Files.createDirectories(dir.resolve("repo"));
    }

    private int run(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        List<String> all = new ArrayList<>(List.of("circleci", "run"));
        all.addAll(List.of(args));
        all.addAll(List.of("--repo", repo.toString(), "--journal", dir.resolve("runs").toString()));
        return Pipewright.execute(all.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err), List.of());
    }

    private Path config(String yaml) throws IOException {
        return Files.writeString(dir.resolve("config.yml"), yaml);
    }

    private static final String BUILD_AND_DEPLOY = """
            version: 2.1
            jobs:
              build:
                docker: [{image: cimg/base:current}]
                steps: [{run: {name: Build, command: echo building && touch built}}]
              deploy:
                docker: [{image: cimg/base:current}]
                steps: [{run: touch deployed}]
            workflows:
              main:
                jobs:
                  - build
                  - hold: {type: approval, requires: [build]}
                  - deploy: {requires: [hold], filters: {branches: {only: main}}}
            """;

    @Test
    void run_approvedWorkflow_exit0WithOutputAndStates() throws IOException {
        Path file = config(BUILD_AND_DEPLOY);

        int code = run(file.toString(), "--branch", "main", "--approve", "all");

        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString())
                .contains("note: job 'build': docker image cimg/base:current is not used; the steps run on this host.")
                .containsPattern("build +started\n\\[build] > Build\n\\[build] building\n.*build +succeeded in ")
                .containsPattern("deploy +approved by --approve all")
                .containsPattern("deploy +succeeded")
                .containsPattern("Run \\S+ of main SUCCEEDED");
        assertThat(repo.resolve("deployed")).exists();
    }

    @Test
    void run_approveNone_stopsBeforeTheDeployAndExits1() throws IOException {
        Path file = config(BUILD_AND_DEPLOY);

        int code = run(file.toString(), "--branch", "main", "--approve", "none");

        assertThat(code).isEqualTo(1);
        assertThat(repo.resolve("built")).exists();
        assertThat(repo.resolve("deployed")).doesNotExist();
        assertThat(out.toString()).containsPattern("deploy +refused by policy")
                .contains("  with the same options: pipewright circleci run " + file + " --branch main");
    }

    @Test
    void run_approveAnUnknownName_exit2ListingTheApprovals() throws IOException {
        assertThat(run(config(BUILD_AND_DEPLOY).toString(), "--branch", "main", "--approve", "hodl")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("error: --approve names 'hodl', but the workflow has no such approval;"
                + " approval jobs and the jobs behind them: [hold, deploy]. Use one of them, all or none.\n");
        assertThat(repo.resolve("built")).doesNotExist();
    }

    @Test
    void run_cachesAFile_exit2BeforeAnythingRuns() throws IOException {
        Path file = config(BUILD_AND_DEPLOY);
        Path notAFolder = Files.writeString(repo.resolve("notes.txt"), "keep me");

        assertThat(run(file.toString(), "--branch", "main", "--approve", "all", "--caches", notAFolder.toString()))
                .isEqualTo(2);
        assertThat(run(file.toString(), "--branch", "main", "--approve", "all", "--caches",
                notAFolder.resolve("caches").toString())).isEqualTo(2);

        assertThat(err.toString()).isEqualTo("error: --caches " + notAFolder.resolve("caches") + " is not a folder: "
                + notAFolder + " is a file. Give a folder; it is created if missing.\n");
        assertThat(repo.resolve("built")).doesNotExist();
        assertThat(notAFolder).hasContent("keep me");
    }

    @Test
    void run_otherBranch_skipsTheFilteredJob() throws IOException {
        int code = run(config(BUILD_AND_DEPLOY).toString(), "--branch", "feature", "--approve", "all");

        assertThat(code).isZero();
        assertThat(out.toString()).containsPattern("deploy +skipped: its filter \\(branches only \\[main]\\) excludes"
                + " branch feature");
        assertThat(repo.resolve("deployed")).doesNotExist();
    }

    @Test
    void run_envFile_valuesReachEveryJobMasked() throws IOException {
        Path file = config("""
                version: 2.1
                jobs:
                  a:
                    docker: [{image: x}]
                    steps: [{run: 'echo "key $API_KEY" && printf %s "$API_KEY" > key.txt'}]
                workflows:
                  w: {jobs: [a]}
                """);
        Path env = Files.writeString(dir.resolve("local.env"), "# secrets\n\nexport API_KEY=\"k3y-value-123\"\nOTHER=1\n");

        int code = run(file.toString(), "--branch", "dev", "--env-file", env.toString());

        assertThat(code).as(err.toString()).isZero();
        assertThat(Files.readString(repo.resolve("key.txt"))).isEqualTo("k3y-value-123");
        assertThat(out.toString()).contains("[a] key ***").doesNotContain("k3y-value-123");
    }

    @Test
    void run_malformedEnvFile_exit2NamingFileAndLine() throws IOException {
        Path env = Files.writeString(dir.resolve("bad.env"), "A=1\n# fine\nnot an assignment\n");

        int code = run(config(BUILD_AND_DEPLOY).toString(), "--branch", "main", "--env-file", env.toString());

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("error: " + env + ":3: expected KEY=VALUE, with KEY made of letters, digits"
                + " and _ (not starting with a digit); found 'not' with no '='.\n");
    }

    @Test
    void run_orbStep_exit2NamingTheStepBeforeAnythingRuns() throws IOException {
        Path file = config("""
                version: 2.1
                orbs:
                  aws-cli: circleci/aws-cli@5.1.1
                jobs:
                  first: {docker: [{image: x}], steps: [{run: touch first}]}
                  deploy:
                    docker: [{image: x}]
                    steps: [checkout, {aws-cli/setup: {role_arn: arn}}]
                workflows:
                  w: {jobs: [first, {deploy: {requires: [first]}}]}
                """);

        int code = run(file.toString(), "--branch", "main");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("stage 'deploy' > step 2 (aws-cli/setup): no handler runs steps of type"
                + " 'circleci.orb.aws-cli.setup' on this machine. Put a plugin that runs them on the classpath");
        assertThat(repo.resolve("first")).doesNotExist();
    }

    @Test
    void run_resumeAfterAFailure_rerunsOnlyTheFailedJob() throws IOException {
        Path file = config("""
                version: 2.1
                jobs:
                  build: {docker: [{image: x}], steps: [{run: echo x >> builds.txt}]}
                  test: {docker: [{image: x}], steps: [{run: test -f fixed}]}
                workflows:
                  w: {jobs: [build, {test: {requires: [build]}}]}
                """);
        assertThat(run(file.toString(), "--branch", "main")).isEqualTo(1);
        Matcher id = Pattern.compile("--resume (\\S+)").matcher(out.toString());
        assertThat(id.find()).as(out.toString()).isTrue();
        Files.writeString(repo.resolve("fixed"), "");

        int code = run(file.toString(), "--branch", "main", "--resume", id.group(1));

        assertThat(code).as(out + "\n" + err).isZero();
        assertThat(Files.readString(repo.resolve("builds.txt"))).isEqualTo("x\n");
        assertThat(out.toString()).contains("resuming run " + id.group(1)).containsPattern("test +succeeded")
                .doesNotContainPattern("build +started");
    }

    @Test
    void run_severalWorkflows_exit2ListingThem() throws IOException {
        Path file = config("""
                version: 2.1
                jobs:
                  a: {docker: [{image: x}], steps: [{run: "true"}]}
                workflows:
                  one: {jobs: [a]}
                  two: {jobs: [a]}
                """);

        assertThat(run(file.toString(), "--branch", "main")).isEqualTo(2);
        assertThat(err.toString()).startsWith("error: " + file + ":4:1: workflows: the configuration has 2 workflows"
                + " [one, two]; name the one to run (circleci run --workflow NAME).\n");

        assertThat(run(file.toString(), "--branch", "main", "--workflow", "two")).isZero();
    }

    @Test
    void run_undeclaredParameter_exit2WithItsPosition() throws IOException {
        Path file = config("""
                version: 2.1
                jobs:
                  a:
                    docker: [{image: x}]
                    steps:
                      - run: echo << parameters.missing >>
                workflows:
                  w: {jobs: [a]}
                """);

        assertThat(run(file.toString(), "--branch", "main")).isEqualTo(2);
        assertThat(err.toString()).contains("error: " + file + ":6:")
                .contains("job 'a' declares no parameter 'missing'").contains("1 problem in " + file + "; nothing was run.");
    }

    @Test
    void run_pipelineParameter_isTypedAsDeclared() throws IOException {
        Path file = config("""
                version: 2.1
                parameters:
                  deploy: {type: boolean, default: false}
                jobs:
                  a:
                    docker: [{image: x}]
                    steps:
                      - when:
                          condition: << pipeline.parameters.deploy >>
                          steps: [{run: touch deployed}]
                      - run: echo done
                workflows:
                  w: {jobs: [a]}
                """);

        assertThat(run(file.toString(), "--branch", "main", "--parameter", "deploy=yes")).isEqualTo(2);
        assertThat(err.toString()).contains("--parameter deploy=yes: the parameter is a boolean. Give true or false.");
        assertThat(run(file.toString(), "--branch", "main", "--parameter", "deplyo=true")).isEqualTo(2);
        assertThat(err.toString()).contains("pipeline parameter 'deplyo' was given but is not declared; pipeline"
                + " parameters: [deploy]. Declare it under the top-level parameters or fix the name.");
        assertThat(run(file.toString(), "--branch", "main", "--parameter", "deploy=true")).isZero();
        assertThat(repo.resolve("deployed")).exists();
    }

    @Test
    void run_branchAndTag_exit2() throws IOException {
        assertThat(run(config(BUILD_AND_DEPLOY).toString(), "--branch", "main", "--tag", "v1")).isEqualTo(2);
        assertThat(err.toString()).contains("mutually exclusive");
    }

    @Test
    void run_noBranchOrTag_exit2AskingForOne() throws IOException {
        assertThat(run(config(BUILD_AND_DEPLOY).toString())).isEqualTo(2);
        assertThat(err.toString()).contains("Pass --branch NAME or --tag NAME.");
    }

    @Test
    void run_withoutJournal_journalsAndCachesInTheRepository() throws IOException {
        Path file = config("""
                version: 2.1
                jobs:
                  a:
                    docker: [{image: x}]
                    steps:
                      - run: mkdir -p deps && echo lib > deps/lib.txt
                      - save_cache: {key: deps-v1, paths: [deps]}
                workflows:
                  w: {jobs: [a]}
                """);
        out = new StringWriter();
        err = new StringWriter();

        int code = Pipewright.execute(new String[] {"circleci", "run", file.toString(), "--repo", repo.toString(),
                "--branch", "main"}, new PrintWriter(out), new PrintWriter(err), List.of());

        assertThat(code).as(out + "\n" + err).isZero();
        try (var runs = Files.list(repo.resolve(".pipewright/runs"))) {
            assertThat(runs.toList()).singleElement().satisfies(r -> assertThat(r.resolve("journal.jsonl")).exists());
        }
        try (var caches = Files.list(repo.resolve(".pipewright/caches"))) {
            assertThat(caches.toList()).hasSize(1);
        }
    }
}
