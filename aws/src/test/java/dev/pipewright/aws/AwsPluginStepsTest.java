package dev.pipewright.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipewright.Pipeline;
import dev.pipewright.Ref;
import dev.pipewright.aws.FakeCloudWatch.AlarmState;
import dev.pipewright.run.LocalRunner;
import dev.pipewright.spi.RunResult;
import dev.pipewright.spi.RunStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plugin's step handlers, with the stage's credentials from STS role assumption, end to end. */
class AwsPluginStepsTest {
    @TempDir
    Path dir;

    @Test
    void lambdaDeploy_runsAsTheStagesAssumedRole() throws Exception {
        try (DeployFixture f = new DeployFixture()) {
            FakeFunction api = f.sandbox.lambda().givenFunction("housing-api-staging");
            api.alias("live", api.publish());
            f.sandbox.cloudWatch().alarm("housing-api-staging-5xx", AlarmState.OK);
            DeployFixture.writeZip(dir.resolve("build/fn.zip"), "v2");
            Pipeline p = Pipeline.named("housing-api").role(DeployFixture.DEPLOYER)
                    .stage("deploy", s -> s.as(DeployFixture.DEPLOYER).step(Lambda.deploy(api.arn())
                            .zip("build/fn.zip").canary(50, Duration.ofMillis(100)).alarmPrefix("housing-api-staging-")))
                    .build();

            RunResult result = LocalRunner.builder()
                    .workspace(dir)
                    .locks(dir.resolve(".locks"))
                    .environment(Map.of("PATH", System.getenv("PATH")))
                    .ref(Ref.branch("main"))
                    .discover(false)
                    .addPlugin(AwsPlugin.builder().sts(f.sandbox.stsClient()).lambda(f.lambda)
                            .cloudWatch(f.cloudWatch).pollInterval(Duration.ofMillis(20)).build())
                    .build()
                    .run(p);

            assertThat(result.status()).as(result.message().orElse("")).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(f.sandbox.sts().assumedRoles()).singleElement()
                    .satisfies(r -> assertThat(r.roleArn()).isEqualTo(DeployFixture.DEPLOYER.assumes().orElseThrow()));
            assertThat(api.aliasHistory("live")).containsExactly(new FakeLambda.Routing("1", Map.of()),
                    new FakeLambda.Routing("1", Map.of("2", 0.5)), new FakeLambda.Routing("2", Map.of()));
        }
    }
}
