package dev.pipewright.git;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipewright.Pipeline;
import dev.pipewright.run.LocalRunner;
import dev.pipewright.spi.RunResult;
import dev.pipewright.spi.RunStatus;
import dev.pipewright.spi.StageOutcome;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Path filters count changes since the pipeline's last successful run on the branch, from the journal. */
class LastSuccessfulRunTest {
    @TempDir
    Path dir;

    @Test
    void secondRun_countsChangesSinceTheLastSuccess_notSinceTheDefaultBranch() {
        GitFixture repo = GitFixture.init(dir.resolve("repo"), "main");
        repo.write("README.md", "hello\n").commit("start");
        repo.branch("feature").checkout("feature");
        repo.write("services/payments/Pay.java", "class Pay {}\n").commit("pay");
        List<String> ran = new CopyOnWriteArrayList<>();
        Pipeline p = Pipeline.named("mono")
                .stage("payments", s -> s.whenChanged("services/payments/**").java("build", c -> ran.add("payments")))
                .stage("lint", s -> s.java("lint", c -> ran.add("lint")))
                .build();
        LocalRunner runner = LocalRunner.builder().workspace(repo.root()).journal(dir.resolve("runs"))
                .locks(dir.resolve("locks")).environment(Map.of()).discover(false)
                .addPlugin(GitPlugin.of(Map.of())).build();

        RunResult first = runner.run(p);
        repo.write("docs/guide.md", "words\n").commit("docs");
        RunResult second = runner.run(p);

        assertThat(first.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(first.stage("payments").orElseThrow().outcome()).isEqualTo(StageOutcome.SUCCEEDED);
        assertThat(second.stage("payments").orElseThrow().outcome()).as("only docs changed since the last success")
                .isEqualTo(StageOutcome.SKIPPED);
        assertThat(second.facts().changedPaths()).contains(java.util.Set.of("docs/guide.md"));
        assertThat(ran).containsExactlyInAnyOrder("payments", "lint", "lint");
    }
}
