package dev.pipewright.aws;

import dev.pipewright.Ref;
import dev.pipewright.Role;
import dev.pipewright.run.LocalRunner;
import dev.pipewright.spi.Credentials;
import dev.pipewright.spi.CredentialsProvider;
import dev.pipewright.spi.CredentialsRequest;
import dev.pipewright.spi.RunListener;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * What the aws module's run tests share: a sandbox, clients that do not retry, a role whose
 * credentials are the sandbox's, zip files, and a runner that records the stages' output.
 */
final class DeployFixture implements AutoCloseable {
    static final Role DEPLOYER = Role.named("deployer").assumes("arn:aws:iam::123456789012:role/deployer").build();
    static final Duration POLL = Duration.ofMillis(20);

    final AwsSandbox sandbox = AwsSandbox.start();
    final LambdaClient lambda = sandbox.lambdaClientBuilder().overrideConfiguration(o -> o.retryStrategy(
            AwsRetryStrategy.doNotRetry())).build();
    final CloudWatchClient cloudWatch = sandbox.cloudWatchClientBuilder().overrideConfiguration(o -> o.retryStrategy(
            AwsRetryStrategy.doNotRetry())).build();
    final List<String> output = new CopyOnWriteArrayList<>();

    /** The standard retry strategy, with a backoff short enough for tests. */
    static RetryStrategy quickStandardRetries() {
        return AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .backoffStrategy(BackoffStrategy.exponentialDelay(
                        Duration.ofMillis(5), Duration.ofMillis(20)))
                .throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(
                        Duration.ofMillis(5), Duration.ofMillis(20)))
                .build();
    }

    /** Gives the deployer role the sandbox's own credentials. */
    CredentialsProvider credentials() {
        AwsCredentials c = sandbox.credentials().resolveCredentials();
        return credentials(c.accessKeyId(), c.secretAccessKey());
    }

    /** Gives the deployer role these credentials. */
    static CredentialsProvider credentials(String accessKeyId, String secretAccessKey) {
        return new CredentialsProvider() {
            @Override
            public boolean supports(Role role) {
                return role.name().equals(DEPLOYER.name());
            }

            @Override
            public Credentials credentials(Role role, CredentialsRequest request) {
                return Credentials.of(Map.of("AWS_ACCESS_KEY_ID", accessKeyId,
                        "AWS_SECRET_ACCESS_KEY", secretAccessKey));
            }
        };
    }

    LambdaDeployHandler handler() {
        return new LambdaDeployHandler(lambda, cloudWatch, POLL, POLL);
    }

    /** A runner in {@code workspace} with the deploy handler and the deployer's credentials. */
    LocalRunner.Builder runner(Path workspace) {
        return runner(workspace, line -> { });
    }

    /** {@link #runner(Path)}, calling {@code onLine} with every output line on the stage's thread. */
    LocalRunner.Builder runner(Path workspace, Consumer<String> onLine) {
        return LocalRunner.builder()
                .workspace(workspace)
                .locks(workspace.resolve(".locks"))
                .environment(Map.of("PATH", System.getenv("PATH")))
                .ref(Ref.branch("main"))
                .gracePeriod(Duration.ofMillis(200))
                .discover(false)
                .addStepHandler(handler())
                .addCredentialsProvider(credentials())
                .addListener(recorder(onLine));
    }

    /** A listener recording output lines and calling {@code onLine} with each, on the stage's thread. */
    RunListener recorder(Consumer<String> onLine) {
        return new RunListener() {
            @Override
            public void stageOutput(String stage, String line) {
                output.add(line);
                onLine.accept(line);
            }
        };
    }

    /** A zip holding one file, {@code index.js}, with {@code body}. */
    static byte[] zip(String body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            ZipEntry e = new ZipEntry("index.js");
            e.setTime(0);
            zip.putNextEntry(e);
            zip.write(body.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Writes {@link #zip(String)} to {@code file}. */
    static byte[] writeZip(Path file, String body) throws IOException {
        byte[] zip = zip(body);
        Files.createDirectories(file.getParent());
        Files.write(file, zip);
        return zip;
    }

    @Override
    public void close() {
        lambda.close();
        cloudWatch.close();
        sandbox.close();
    }
}
