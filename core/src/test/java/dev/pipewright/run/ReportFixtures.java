package dev.pipewright.run;

import dev.pipewright.Gate;
import dev.pipewright.Pipeline;
import dev.pipewright.Ref;
import dev.pipewright.spi.Approval;
import dev.pipewright.spi.ApprovalRequest;
import dev.pipewright.spi.Facts;
import dev.pipewright.spi.RunInfo;
import dev.pipewright.spi.RunResult;
import dev.pipewright.spi.RunStatus;
import dev.pipewright.spi.StageOutcome;
import dev.pipewright.spi.StageResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** A pipeline, and the values a runner would pass the run's listeners, for the report tests. */
final class ReportFixtures {
    static final String RUN_ID = "20261126T101500Z-1a2b3c";
    static final String PIPELINE = "housing-api";
    /** A message with every character XML and JSON must escape, and some they must drop. */
    static final String NASTY = "<&\"]]> 'quoted' \u0001bell\u0007 \u001B[31mred\u001B[0m café ✓ 😀 \uD800 end";
    static final Facts FACTS = Facts.builder().ref(Ref.branch("master")).commit("4f1c2d3e4f5a6b7c8d9e")
            .changedPaths(List.of("src/B.java", "src/A.java")).build();
    static final Gate GATE = Gate.manualApproval(a -> a.name("approve-staging").message("Deploy to staging?")
            .approvers("leads").timeout(Duration.ofHours(8)));

    private ReportFixtures() { }

    /** Stages build, test, deploy-staging (behind an approval), deploy-production. */
    static Pipeline pipeline() {
        return Pipeline.named(PIPELINE)
                .stage("build", s -> s.run("make"))
                .stage("test", s -> s.needs("build").run("make test"))
                .stage("deploy-staging", s -> s.needs("test").gate(GATE).run("./deploy.sh staging"))
                .stage("deploy-production", s -> s.needs("deploy-staging").run("./deploy.sh production"))
                .build();
    }

    static RunInfo runInfo(Optional<Path> runDirectory) {
        return new RunInfo(RUN_ID, pipeline(), FACTS, runDirectory, 4, false);
    }

    static ApprovalRequest approvalRequest() {
        return new ApprovalRequest(RUN_ID, PIPELINE, "deploy-staging", Optional.empty(), GATE, FACTS);
    }

    static Approval approval() {
        return Approval.approve("ana", "tests are green");
    }

    static StageResult result(String stage, StageOutcome outcome, int attempts, Integer exitCode, long millis,
            String message) {
        return new StageResult(stage, outcome, attempts,
                exitCode == null ? OptionalInt.empty() : OptionalInt.of(exitCode), Duration.ofMillis(millis),
                Optional.ofNullable(message));
    }

    /** One of each kind: succeeded, failed after a retry, refused, skipped; and one hook. */
    static List<StageResult> stages() {
        return List.of(
                result("build", StageOutcome.SUCCEEDED, 1, 0, 3400, null),
                result("test", StageOutcome.FAILED, 2, 1, 8123, NASTY),
                result("deploy-staging", StageOutcome.REFUSED, 0, null, 0, "approval 'approve-staging' refused"),
                result("deploy-production", StageOutcome.SKIPPED, 0, null, 0, "needs deploy-staging"));
    }

    static List<StageResult> hooks() {
        return List.of(result("pipeline:always", StageOutcome.SUCCEEDED, 1, 0, 100, null));
    }

    static RunResult runResult(RunStatus status, Optional<Path> runDirectory) {
        return new RunResult(RUN_ID, PIPELINE, status, FACTS, stages(), hooks(), Duration.ofMillis(62_000),
                runDirectory, status == RunStatus.SUCCEEDED ? Optional.empty() : Optional.of("stage 'test' failed"));
    }
}
