package dev.pipewright;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShellStepTest {

    @Test
    void of_command_namedAfterItsFirstLine() {
        ShellStep step = ShellStep.of("  ./mvnw -B verify\n./mvnw deploy");

        assertThat(step.type()).isEqualTo("shell");
        assertThat(step.name()).isEqualTo("./mvnw -B verify");
        assertThat(step.command()).isEqualTo("  ./mvnw -B verify\n./mvnw deploy");
        assertThat(step.parameters()).containsExactly(java.util.Map.entry("command", step.command()));
        assertThat(step.permissions()).isEmpty();
    }

    @Test
    void of_longCommand_nameShortenedWithEllipsis() {
        ShellStep step = ShellStep.of("echo " + "x".repeat(100));

        assertThat(step.name()).hasSize(60).endsWith("...");
    }

    @Test
    void builder_allDetails_keptAndListedAsParameters() {
        Permission put = Permission.of("s3:PutObject", "arn:aws:s3:::bucket/*");
        ShellStep step = ShellStep.builder("./publish.sh").name("publish").putEnvironment("BUCKET", "bucket")
                .workingDirectory("deploy").shell("/bin/bash -eo pipefail").timeout(Duration.ofMinutes(10))
                .permissions(put).build();

        assertThat(step.name()).isEqualTo("publish");
        assertThat(step.environment()).containsExactly(java.util.Map.entry("BUCKET", "bucket"));
        assertThat(step.workingDirectory()).contains("deploy");
        assertThat(step.shell()).contains("/bin/bash -eo pipefail");
        assertThat(step.timeout()).contains(Duration.ofMinutes(10));
        assertThat(step.permissions()).containsExactly(put);
        assertThat(step.parameters()).containsKeys("command", "environment.BUCKET", "working_directory", "shell",
                "timeout");
        assertThat(step).hasToString("shell 'publish'");
    }

    @Test
    void build_blankCommand_reportsCommand() {
        Problem blank = Rejected.problem(() -> ShellStep.of("  "));
        Problem missing = Rejected.problem(() -> ShellStep.of(null));

        assertThat(blank.path()).isEqualTo("command");
        assertThat(blank.message()).isEqualTo("the command is blank.");
        assertThat(blank.fix()).isEqualTo("Give the command to run.");
        assertThat(missing.message()).isEqualTo("the command is null.");
    }

    @Test
    void timeout_notPositive_reported() {
        Problem p = Rejected.problem(() -> ShellStep.builder("make").timeout(Duration.ofSeconds(-5)).build());

        assertThat(p.path()).isEqualTo("timeout");
        assertThat(p.message()).isEqualTo("must be positive but was PT-5S.");
    }

    @Test
    void putEnvironment_invalidOrReservedNames_reported() {
        List<Problem> problems = Rejected.problems(() -> ShellStep.builder("make")
                .putEnvironment("1ST", "x").putEnvironment("MY-VAR", "x").putEnvironment("CIRCLE_SHA1", "x")
                .build());

        assertThat(problems).extracting(Problem::path).containsOnly("environment");
        assertThat(problems).extracting(Problem::message).containsExactly(
                "'1ST' is not a valid environment variable name.",
                "'MY-VAR' is not a valid environment variable name.",
                "'CIRCLE_SHA1' starts with CIRCLE_, which CircleCI reserves for its own variables.");
    }

    @Test
    void build_nulls_reportedWithPathsNotThrown() {
        InvalidPipelineException e = Rejected.by(() -> ShellStep.builder("make").name(null)
                .putEnvironment(null, "x").putEnvironment("A", null).workingDirectory(null).shell(null).timeout(null)
                .permissions((Permission) null).build());

        assertThat(e.problems()).extracting(Problem::path).containsExactly("name", "environment", "environment.A",
                "working_directory", "shell", "timeout", "permissions");
        assertThat(e.subject()).isEqualTo("Shell step 'make'");
    }

    @Test
    void toBuilder_build_equalsOriginal() {
        ShellStep step = ShellStep.builder("./deploy.sh").putEnvironment("STAGE", "production").shell("/bin/sh")
                .workingDirectory("deploy").timeout(Duration.ofMinutes(3))
                .permissions(Permission.of("lambda:UpdateFunctionCode", "*")).build();

        assertThat(step.toBuilder().build()).isEqualTo(step).hasSameHashCodeAs(step);
        assertThat(ShellStep.of("make").toBuilder().build()).isEqualTo(ShellStep.of("make"));
    }
}
