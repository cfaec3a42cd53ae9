package dev.pipewright.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipewright.Environment;
import dev.pipewright.Permission;
import dev.pipewright.Pipeline;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class PipewrightTest {
    private static final Environment PRODUCTION = Environment.named("production").branches("main")
            .approval(a -> a.approvers("leads")).protect().build();
    private static final Pipeline API = Pipeline.named("api")
            .environments(PRODUCTION)
            .stage("test", s -> s.run("make test"))
            .deploy(PRODUCTION, s -> s.needs("test").run("make deploy"))
            .build();
    private static final Pipeline DOCS = Pipeline.named("docs").stage("build", s -> s.run("make docs")).build();
    private static final Pipeline MONO = Pipeline.named("mono")
            .stage("payments", s -> s.whenChanged("services/payments/**").run("make -C payments"))
            .stage("lint", s -> s.run("make lint"))
            .build();

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Pipewright.execute(args, new PrintWriter(out), new PrintWriter(err), List.of(API, DOCS, MONO));
    }

    @Test
    void list_printsOneNameALine() {
        assertThat(run("list")).isZero();
        assertThat(out.toString().lines()).containsExactly("api", "docs", "mono");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void plan_onMain_showsOrderGatesAndRoles() {
        assertThat(run("plan", "api", "--branch", "main")).isZero();
        assertThat(out.toString())
                .contains("Plan of pipeline 'api' for branch main: 2 of 2 stages run.")
                .containsPattern("1\\. test")
                .containsPattern("2\\. deploy-production +after test")
                .contains("in production · gated by manual approval 'approve-production' by [leads]");
    }

    @Test
    void plan_printsEachStagesPermissions_fromItsSteps() {
        Pipeline p = Pipeline.named("fn")
                .stage("deploy", s -> s.run("./deploy.sh", r -> r.permissions(
                        Permission.of("lambda:UpdateFunctionCode", "arn:aws:lambda:eu-west-2:1:function:fn"),
                        Permission.of("lambda:PublishVersion", "arn:aws:lambda:eu-west-2:1:function:fn"))))
                .stage("notes", s -> s.needs("deploy").run("echo done"))
                .build();

        assertThat(Pipewright.execute(new String[] {"plan", "fn", "--branch", "main"}, new PrintWriter(out),
                new PrintWriter(err), List.of(p))).isZero();

        assertThat(out.toString().lines().map(String::strip)).containsSubsequence("1. deploy",
                "permissions: lambda:UpdateFunctionCode on arn:aws:lambda:eu-west-2:1:function:fn,"
                        + " lambda:PublishVersion on arn:aws:lambda:eu-west-2:1:function:fn",
                "2. notes   after deploy");
        assertThat(out.toString()).containsOnlyOnce("permissions:");
    }

    @Test
    void plan_onFeatureBranch_listsSkippedStagesWithReasons() {
        assertThat(run("plan", "api", "--branch", "feature/x")).isZero();
        assertThat(out.toString())
                .contains("1 of 2 stages run.")
                .contains("Skipped:")
                .contains("- deploy-production: environment 'production' (branches only [main]) excludes branch feature/x");
    }

    @Test
    void plan_onTag_explainsTagRule() {
        assertThat(run("plan", "api", "--tag", "v1.0.0")).isZero();
        assertThat(out.toString()).contains("0 of 2 stages run.").contains("(nothing runs)")
                .contains("- test: it has no tag filter, and tag pushes run only stages that have one");
    }

    @Test
    void plan_unknownPipeline_exits2NamingKnownOnes() {
        assertThat(run("plan", "apj", "--branch", "main")).isEqualTo(Pipewright.USAGE);
        assertThat(err.toString()).contains("error: no pipeline is called 'apj'; pipelines: [api, docs, mono].");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void plan_withChangedPaths_skipsPathFilteredStages() {
        assertThat(run("plan", "mono", "--branch", "main", "--changed", "docs/index.md", "README.md")).isZero();
        assertThat(out.toString()).contains("1 of 2 stages run")
                .contains("payments: none of the 2 changed paths matches its whenChanged [services/payments/**]");
    }

    @Test
    void plan_withoutBranchOrTag_andNoRepositoryReader_exits2() {
        assertThat(run("plan", "api")).isEqualTo(Pipewright.USAGE);
        assertThat(err.toString()).contains("error: give --branch B or --tag T: no repository reader is installed");
    }

    @Test
    void plan_withBothBranchAndTag_exits2() {
        assertThat(run("plan", "api", "--branch", "main", "--tag", "v1")).isEqualTo(Pipewright.USAGE);
        assertThat(err.toString()).contains("mutually exclusive");
    }

    @Test
    void plan_withBlankBranch_exits2() {
        assertThat(run("plan", "api", "--branch", " ")).isEqualTo(Pipewright.USAGE);
        assertThat(err.toString()).contains("error: the branch name is blank.");
    }

    @Test
    void noCommand_exits2WithUsage() {
        assertThat(run()).isEqualTo(Pipewright.USAGE);
        assertThat(err.toString()).contains("error: a command is required.").contains("Commands:");
    }

    @Test
    void unknownCommand_exits2() {
        assertThat(run("deploy", "api")).isEqualTo(Pipewright.USAGE);
        assertThat(err.toString()).contains("error: Unmatched arguments").contains("deploy");
    }

    @Test
    void help_exits0() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("Usage: pipewright").contains("list").contains("plan");
    }

    @Test
    void twoPipelinesWithOneName_exits2() {
        int code = Pipewright.execute(new String[] {"list"}, new PrintWriter(out), new PrintWriter(err),
                List.of(API, API));
        assertThat(code).isEqualTo(Pipewright.USAGE);
        assertThat(err.toString()).contains("two pipelines are named 'api'");
    }

    @Test
    void launchMechanism_linuxBeforeJdk25_vfork() {
        assertThat(Pipewright.launchMechanism("Linux", 17, null)).isEqualTo("VFORK");
        assertThat(Pipewright.launchMechanism("Linux", 24, null)).isEqualTo("VFORK");
    }

    @Test
    void launchMechanism_jdk25On_keepsTheDefault_vforkIsDeprecatedThere() {
        assertThat(Pipewright.launchMechanism("Linux", 25, null)).isNull();
        assertThat(Pipewright.launchMechanism("Linux", 27, null)).isNull();
    }

    @Test
    void launchMechanism_setByTheUserOrNotLinux_leftAlone() {
        assertThat(Pipewright.launchMechanism("Linux", 17, "POSIX_SPAWN")).isNull();
        assertThat(Pipewright.launchMechanism("Mac OS X", 17, null)).isNull();
    }
}
