package dev.pipewright.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipewright.aws.AwsSandbox.Service;
import dev.pipewright.aws.FakeLambda.Routing;
import dev.pipewright.spi.RunResult;
import dev.pipewright.spi.RunStatus;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsCredentials;

/**
 * A runner killed in the middle of a canary leaves the alias split between two versions; resuming
 * the run from its journal leaves the alias on the new version, with no split, whatever the kill
 * interrupted.
 */
class LambdaDeployCrashTest {
    @TempDir
    Path dir;

    @Test
    void killedMidShift_thenResumedFromTheJournal_leavesTheAliasConsistent() throws Exception {
        try (DeployFixture f = new DeployFixture()) {
            FakeFunction api = f.sandbox.lambda().givenFunction("housing-api-staging");
            api.alias("live", api.publish());
            DeployFixture.writeZip(dir.resolve("build/housing-api.zip"), "exports.handler = async () => 'v2';");
            Path runs = dir.resolve("runs");
            AwsCredentials c = f.sandbox.credentials().resolveCredentials();
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process child = new ProcessBuilder(java, "-Daws.disableEc2Metadata=true", "-cp",
                    System.getProperty("java.class.path"), LambdaDeployCrashChild.class.getName(), runs.toString(),
                    dir.toString(), f.sandbox.endpoint(Service.LAMBDA).toString(),
                    f.sandbox.endpoint(Service.CLOUDWATCH).toString(), f.sandbox.region(), c.accessKeyId(),
                    c.secretAccessKey())
                    .redirectError(dir.resolve("child.err").toFile())
                    .start();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line = out.readLine();
                assertThat(line).as("the child's stderr: %s", Files.readString(dir.resolve("child.err")))
                        .isEqualTo(LambdaDeployCrashChild.MID_SHIFT);
                assertThat(api.aliasWeights("live")).containsExactly(Map.entry("2", 0.1));

                child.destroyForcibly(); // SIGKILL: no rollback, no journal line
                assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            } finally {
                child.destroyForcibly();
            }
            String runId;
            try (Stream<Path> folders = Files.list(runs)) {
                runId = folders.findFirst().orElseThrow().getFileName().toString();
            }
            assertThat(Files.readString(runs.resolve(runId).resolve("journal.jsonl"))).doesNotContain("StageFinished");

            RunResult resumed = f.runner(dir).journal(runs).build().resume(LambdaDeployCrashChild.pipeline(), runId);

            assertThat(resumed.status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(api.aliasVersion("live")).contains("2");
            assertThat(api.aliasWeights("live")).isEmpty();
            assertThat(api.versions()).containsExactly("1", "2");
            assertThat(api.aliasHistory("live")).containsExactly(new Routing("1", Map.of()),
                    new Routing("1", Map.of("2", 0.1)), // the killed run
                    new Routing("1", Map.of()), new Routing("1", Map.of("2", 0.1)), new Routing("2", Map.of()));
            List<String> journal = Files.readAllLines(runs.resolve(runId).resolve("journal.jsonl"));
            assertThat(journal.get(journal.size() - 1)).contains("\"status\":\"SUCCEEDED\"");
        }
    }
}
