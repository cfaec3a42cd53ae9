package dev.pipewright.aws;

import dev.pipewright.Pipeline;
import dev.pipewright.Ref;
import dev.pipewright.run.LocalRunner;
import dev.pipewright.spi.RunListener;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * The process {@link LambdaDeployCrashTest} kills: it runs {@link #pipeline()} against the test's
 * sandbox and, once the canary has 10% of the alias, says so and hangs until killed.
 *
 * <p>Arguments: journal folder, workspace, Lambda endpoint, CloudWatch endpoint, region, access
 * key id, secret key.
 */
final class LambdaDeployCrashChild {
    static final String MID_SHIFT = "MID-SHIFT";

    private LambdaDeployCrashChild() { }

    /** The pipeline both processes run, so that the journal's digest matches on resume. */
    static Pipeline pipeline() {
        return Pipeline.named("housing-api").role(DeployFixture.DEPLOYER)
                .stage("deploy", s -> s.as(DeployFixture.DEPLOYER).step(Lambda.deploy("housing-api-staging")
                        .zip("build/housing-api.zip").canary(10, Duration.ofMillis(50))))
                .build();
    }

    public static void main(String[] args) throws Exception {
        StaticCredentialsProvider credentials = StaticCredentialsProvider.create(
                AwsBasicCredentials.create(args[5], args[6]));
        LambdaClient lambda = LambdaClient.builder().endpointOverride(URI.create(args[2])).region(Region.of(args[4]))
                .credentialsProvider(credentials)
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build();
        CloudWatchClient cloudWatch = CloudWatchClient.builder().endpointOverride(URI.create(args[3]))
                .region(Region.of(args[4])).credentialsProvider(credentials)
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build();
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        LocalRunner runner = LocalRunner.builder()
                .journal(Path.of(args[0]))
                .workspace(Path.of(args[1]))
                .locks(Path.of(args[1], ".locks"))
                .environment(Map.of("PATH", System.getenv("PATH")))
                .ref(Ref.branch("main"))
                .discover(false)
                .addStepHandler(new LambdaDeployHandler(lambda, cloudWatch, DeployFixture.POLL, DeployFixture.POLL))
                .addCredentialsProvider(DeployFixture.credentials(args[5], args[6]))
                .addListener(new RunListener() {
                    @Override
                    public void stageOutput(String stage, String line) {
                        if (line.startsWith("Alias 'live' sends 10%")) {
                            out.println(MID_SHIFT);
                            try {
                                Thread.sleep(Long.MAX_VALUE);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        }
                    }
                })
                .build();
        runner.run(pipeline());
        out.println("the run ended without being killed");
    }
}
