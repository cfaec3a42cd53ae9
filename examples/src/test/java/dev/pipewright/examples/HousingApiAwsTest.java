package dev.pipewright.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pipewright.Environment;
import dev.pipewright.Gate;
import dev.pipewright.Permission;
import dev.pipewright.Pipeline;
import dev.pipewright.Ref;
import dev.pipewright.Role;
import dev.pipewright.aws.AwsPlugin;
import dev.pipewright.aws.AwsSandbox;
import dev.pipewright.aws.AwsSandbox.Service;
import dev.pipewright.aws.CloudWatchAlarms;
import dev.pipewright.aws.FakeCloudWatch.AlarmState;
import dev.pipewright.aws.FakeFunction;
import dev.pipewright.aws.FakeSns;
import dev.pipewright.aws.Lambda;
import dev.pipewright.aws.LambdaDeploy;
import dev.pipewright.aws.LeastPrivilege;
import dev.pipewright.aws.OpenApi;
import dev.pipewright.aws.OpenApiPublish;
import dev.pipewright.aws.SnsNotifications;
import dev.pipewright.run.Approvers;
import dev.pipewright.run.LocalRunner;
import dev.pipewright.spi.Credentials;
import dev.pipewright.spi.CredentialsProvider;
import dev.pipewright.spi.CredentialsRequest;
import dev.pipewright.spi.Facts;
import dev.pipewright.spi.RunListener;
import dev.pipewright.spi.RunResult;
import dev.pipewright.spi.RunStatus;
import dev.pipewright.spi.StageOutcome;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * The housing API's production path with the aws module's steps instead of shell scripts, run by
 * the local runner end to end against {@link AwsSandbox}, with real AWS SDK clients and no AWS
 * account: the deploy role is assumed through STS, the function deployed as a canary watched by
 * its alarms, behind an alarms gate, the API definition published to S3 (s3proxy), and the team
 * told through SNS.
 */
class HousingApiAwsTest {
    private static final String ACCOUNT = "123456789012";
    private static final String REGION = "eu-west-2";
    private static final String FUNCTION = "arn:aws:lambda:" + REGION + ":" + ACCOUNT + ":function:housing-api-production";
    private static final String BUCKET = "housing-api-definitions";
    private static final String COMMIT = "9d2e4c6a8b0f1e3d5c7b9a1f3e5d7c9b1a3f5e7d";
    private static final String DEFINITION = """
            openapi: 3.0.3
            info:
              title: Housing API
              version: 2.1.0
            paths:
              /tenancies: {}
              /repairs: {}
            """;

    @TempDir
    Path repo;

    private AwsSandbox sandbox;
    private LambdaClient lambda;
    private CloudWatchClient cloudWatch;
    private S3Client s3;
    private SnsClient sns;
    private FakeFunction function;
    private String topic;
    private final List<String> output = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        sandbox = AwsSandbox.start();
        lambda = sandbox.lambdaClientBuilder().overrideConfiguration(o -> o.retryStrategy(
                AwsRetryStrategy.doNotRetry())).build();
        cloudWatch = sandbox.cloudWatchClientBuilder().overrideConfiguration(o -> o.retryStrategy(
                AwsRetryStrategy.doNotRetry())).build();
        s3 = sandbox.s3Client();
        sns = sandbox.snsClient();
        s3.createBucket(r -> r.bucket(BUCKET));
        topic = sandbox.sns().givenTopic("housing-api-deploys");
        function = sandbox.lambda().givenFunction("housing-api-production");
        function.alias("live", function.publish());
        sandbox.cloudWatch().alarm("housing-api-production-5xx", AlarmState.OK)
                .alarm("housing-api-production-latency", AlarmState.OK);
        Files.createDirectories(repo.resolve("api"));
        Files.writeString(repo.resolve("api/openapi.yaml"), DEFINITION);
    }

    @AfterEach
    void tearDown() {
        lambda.close();
        cloudWatch.close();
        sandbox.close();
    }

    // ---------------------------------------------------------------- the pipeline

    private static LambdaDeploy deployStep() {
        return Lambda.deploy(FUNCTION).zip("build/housing-api.zip").alias("live")
                .canary(10, Duration.ofMillis(200)).alarmPrefix("housing-api-production-");
    }

    private static OpenApiPublish publishStep() {
        return OpenApi.publish("api/openapi.yaml").to(BUCKET, "housing-api");
    }

    /** A role granting exactly what {@code permissions} are: what its stage needs, no more. */
    private static Role role(String name, List<Permission> permissions) {
        Role.Builder b = Role.named(name).assumes("arn:aws:iam::" + ACCOUNT + ":role/housing-api-" + name);
        permissions.forEach(p -> b.grant(p.action(), p.resource()));
        return b.build();
    }

    /** The housing API from master: build, then production behind an approval, then the API definition. */
    private Pipeline pipeline() {
        CloudWatchAlarms alarms = CloudWatchAlarms.prefixed("housing-api-production-");
        Role deployer = role("deploy-production", union(deployStep().permissions(), alarms.permissions()));
        Role publisher = role("publish-definition", publishStep().permissions());
        Environment production = Environment.named("production")
                .branches("master")
                .role(deployer)
                .approval(a -> a.message("Deploy housing-api to production?").approvers("housing-leads"))
                .circleci(c -> c.context("housing-api-production"))
                .build();
        return Pipeline.named("housing-api")
                .environments(production)
                .role(publisher)
                .stage("build-and-test", s -> s.java("package-function", ctx -> writeZip(
                        ctx.workspace().resolve("build/housing-api.zip"), "exports.handler = async () => 'v2';")))
                .deploy(production, s -> s.needs("build-and-test")
                        .gate(Gate.check("alarms-ok", alarms.ok(cloudWatch)))
                        .step(deployStep()))
                .stage("publish-api-definition", s -> s.needs("deploy-production").as(publisher)
                        .step(publishStep()))
                .build();
    }

    private static List<Permission> union(List<Permission> a, List<Permission> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).distinct().toList();
    }

    /**
     * The runner: the aws plugin assumes the deploy role through the sandbox's STS; the publisher's
     * credentials are the sandbox's own, as s3proxy takes no STS session.
     */
    private LocalRunner runner(Consumer<String> onOutput) {
        AwsCredentials own = sandbox.credentials().resolveCredentials();
        CredentialsProvider publisherKeys = new CredentialsProvider() {
            @Override
            public boolean supports(Role role) {
                return role.name().equals("publish-definition");
            }

            @Override
            public Credentials credentials(Role role, CredentialsRequest request) {
                return Credentials.of(Map.of("AWS_ACCESS_KEY_ID", own.accessKeyId(),
                        "AWS_SECRET_ACCESS_KEY", own.secretAccessKey()));
            }
        };
        return LocalRunner.builder()
                .workspace(repo)
                .locks(repo.resolve(".locks"))
                .environment(Map.of("PATH", System.getenv("PATH")))
                .facts(Facts.builder().ref(Ref.branch("master")).commit(COMMIT).build())
                .discover(false)
                .approver(Approvers.all("housing-leads"))
                .addPlugin(AwsPlugin.builder().sts(sandbox.stsClient()).lambda(lambda).cloudWatch(cloudWatch).s3(s3)
                        .pollInterval(Duration.ofMillis(20)).build())
                .addCredentialsProvider(publisherKeys)
                .addListener(SnsNotifications.to(topic, sns))
                .addListener(new RunListener() {
                    @Override
                    public void stageOutput(String stage, String line) {
                        output.add(line);
                        onOutput.accept(line);
                    }
                })
                .build();
    }

    private List<FakeSns.Message> notified(String event) {
        return sandbox.sns().published().stream().filter(m -> event.equals(m.attributes().get("event"))).toList();
    }

    private static void writeZip(Path file, String handler) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("index.js"));
            zip.write(handler.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        Files.createDirectories(file.getParent());
        Files.write(file, bytes.toByteArray());
    }

    // ---------------------------------------------------------------- the runs

    @Test
    void theRolesGrantExactlyWhatTheirStagesUse() {
        assertThat(LeastPrivilege.problems(pipeline())).isEmpty();
    }

    @Test
    void master_deploysACanaryAsTheAssumedRole_thenPublishesTheDefinition() {
        RunResult result = runner(line -> { }).run(pipeline());

        assertThat(result.status()).as(result.message().orElse("")).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(sandbox.sts().assumedRoles()).singleElement().satisfies(r -> {
            assertThat(r.roleArn()).isEqualTo("arn:aws:iam::" + ACCOUNT + ":role/housing-api-deploy-production");
            assertThat(r.policy()).hasValueSatisfying(p -> assertThat(p).contains("lambda:UpdateAlias"));
        });
        assertThat(function.aliasVersion("live")).contains("2");
        assertThat(function.aliasHistory("live")).extracting(r -> r.weights().isEmpty() ? r.version()
                : r.version() + "+" + r.weights()).containsExactly("1", "1+{2=0.1}", "2");
        ResponseBytes<GetObjectResponse> latest = s3.getObjectAsBytes(r -> r.bucket(BUCKET)
                .key("housing-api/latest/openapi.yaml"));
        assertThat(latest.asUtf8String()).isEqualTo(DEFINITION);
        assertThat(latest.response().metadata()).containsEntry("commit-sha", COMMIT);
        assertThat(s3.headObject(r -> r.bucket(BUCKET).key("housing-api/2.1.0/openapi.yaml")).metadata())
                .containsEntry("api-version", "2.1.0");
        assertThat(notified("approval")).singleElement().satisfies(m -> assertThat(m.message())
                .contains("waits for manual approval 'approve-production': Deploy housing-api to production?"));
        assertThat(notified("failure")).isEmpty();
        assertThat(String.join("\n", output)).doesNotContainPattern("ASIA[A-Z0-9]{12,}");
    }

    @Test
    void anAlarmFiringMidCanary_rollsBack_skipsThePublication_andTellsTheTeam() {
        RunResult result = runner(line -> {
            if (line.startsWith("Alias 'live' sends 10%")) {
                sandbox.cloudWatch().alarm("housing-api-production-5xx", AlarmState.ALARM, "5xx rate 4% > 1%");
            }
        }).run(pipeline());

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.stage("deploy-production").orElseThrow().outcome()).isEqualTo(StageOutcome.ROLLED_BACK);
        assertThat(result.stage("publish-api-definition").orElseThrow().outcome()).isNotEqualTo(StageOutcome.SUCCEEDED);
        assertThat(function.aliasVersion("live")).contains("1");
        assertThat(function.aliasWeights("live")).isEmpty();
        assertThat(s3.listObjectsV2(r -> r.bucket(BUCKET)).contents()).isEmpty();
        assertThat(notified("rollback")).singleElement().satisfies(m -> {
            assertThat(m.subject()).contains("[housing-api] deploy-production rolled back");
            assertThat(m.message()).contains("alarm 'housing-api-production-5xx' is ALARM (5xx rate 4% > 1%) with"
                    + " version 2 at 10% of the traffic. Alias 'live' of function '" + FUNCTION + "' is back on version 1.");
        });
        assertThat(notified("failure")).singleElement().satisfies(m -> assertThat(m.subject())
                .contains("[housing-api] run failed: deploy-production rolled back"));
    }

    @Test
    void accessDenied_failsTheDeployClearly_leavingTheAliasAlone() {
        sandbox.failNext(Service.LAMBDA, "UpdateFunctionCode", 403, "AccessDeniedException", 1);

        RunResult result = runner(line -> { }).run(pipeline());

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.stage("deploy-production").orElseThrow().outcome()).isEqualTo(StageOutcome.FAILED);
        assertThat(result.message()).hasValueSatisfying(m -> assertThat(m).startsWith("stage 'deploy-production'"
                + " failed: step 1 'deploy housing-api-production (alias live)' failed: Lambda UpdateFunctionCode on"
                + " function '" + FUNCTION + "' failed: AccessDeniedException (HTTP 403) after 1 attempt:"));
        assertThat(function.aliasHistory("live")).hasSize(1);
        assertThat(notified("failure")).singleElement().satisfies(m -> assertThat(m.message())
                .contains("AccessDeniedException (HTTP 403)"));
    }
}
