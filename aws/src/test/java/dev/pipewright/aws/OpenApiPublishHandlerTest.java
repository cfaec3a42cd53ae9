package dev.pipewright.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pipewright.InvalidPipelineException;
import dev.pipewright.Permission;
import dev.pipewright.Pipeline;
import dev.pipewright.Ref;
import dev.pipewright.run.LocalRunner;
import dev.pipewright.spi.Facts;
import dev.pipewright.spi.RunResult;
import dev.pipewright.spi.RunStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/** Publishes API definitions through the local runner to S3, served by s3proxy, which checks signatures. */
class OpenApiPublishHandlerTest {
    private static final String COMMIT = "4f1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c";
    private static final String DEFINITION = """
            openapi: 3.0.3
            info:
              title: Housing API
              version: 1.4.0
            paths:
              /tenancies: {}
            """;

    private static DeployFixture f;
    private static S3Client s3;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        f = new DeployFixture();
        s3 = f.sandbox.s3Client();
        s3.createBucket(r -> r.bucket("housing-api-definitions"));
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    @BeforeEach
    void writeDefinition() throws Exception {
        Files.createDirectories(dir.resolve("api"));
        Files.writeString(dir.resolve("api/openapi.yaml"), DEFINITION);
    }

    private LocalRunner runner(String commit) {
        return f.runner(dir).facts(Facts.builder().ref(Ref.branch("master")).commit(commit).build())
                .addStepHandler(new OpenApiPublishHandler(s3)).build();
    }

    private static Pipeline pipeline(String prefix) {
        return Pipeline.named("housing-api").role(DeployFixture.DEPLOYER)
                .stage("publish", s -> s.as(DeployFixture.DEPLOYER)
                        .step(OpenApi.publish("api/openapi.yaml").to("housing-api-definitions", prefix)))
                .build();
    }

    private static ResponseBytes<GetObjectResponse> get(String key) {
        return s3.getObjectAsBytes(r -> r.bucket("housing-api-definitions").key(key));
    }

    @Test
    void publish_uploadsVersionedAndLatest_withCommitAsMetadata() {
        RunResult result = runner(COMMIT).run(pipeline("housing-api/"));

        assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
        for (String key : new String[] {"housing-api/1.4.0/openapi.yaml", "housing-api/latest/openapi.yaml"}) {
            ResponseBytes<GetObjectResponse> object = get(key);
            assertThat(object.asUtf8String()).isEqualTo(DEFINITION);
            assertThat(object.response().contentType()).isEqualTo("application/yaml");
            assertThat(object.response().metadata()).containsEntry("commit-sha", COMMIT)
                    .containsEntry("api-version", "1.4.0")
                    .containsEntry("sha256", OpenApiPublishHandler.sha256(DEFINITION.getBytes()));
        }
        assertThat(f.output).contains("Published Housing API 1.4.0 (commit " + COMMIT + ") to"
                + " s3://housing-api-definitions/housing-api/1.4.0/openapi.yaml and"
                + " s3://housing-api-definitions/housing-api/latest/openapi.yaml.");
    }

    @Test
    void republish_sameDefinition_keepsTheVersionsProvenance_movesLatest() {
        runner(COMMIT).run(pipeline("again"));
        RunResult second = runner("aaaabbbbccccddddeeeeffff0000111122223333").run(pipeline("again"));

        assertThat(second.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(get("again/1.4.0/openapi.yaml").response().metadata()).containsEntry("commit-sha", COMMIT);
        assertThat(get("again/latest/openapi.yaml").response().metadata()).containsEntry("commit-sha",
                "aaaabbbbccccddddeeeeffff0000111122223333");
    }

    @Test
    void changedDefinition_underTheSameVersion_failsAndLeavesLatestAlone() throws Exception {
        runner(COMMIT).run(pipeline("changed"));
        Files.writeString(dir.resolve("api/openapi.yaml"), DEFINITION + "  /repairs: {}\n");

        RunResult second = runner("aaaabbbbccccddddeeeeffff0000111122223333").run(pipeline("changed"));

        assertThat(second.status()).isEqualTo(RunStatus.FAILED);
        assertThat(second.stage("publish").orElseThrow().message()).hasValueSatisfying(m -> assertThat(m).contains(
                "s3://housing-api-definitions/changed/1.4.0/openapi.yaml already holds another definition of version"
                + " 1.4.0 (SHA-256 " + OpenApiPublishHandler.sha256(DEFINITION.getBytes()) + ", from commit " + COMMIT
                + "): the API changed without a new version. Raise info.version in api/openapi.yaml."));
        assertThat(get("changed/latest/openapi.yaml").asUtf8String()).isEqualTo(DEFINITION);
    }

    @Test
    void invalidDefinition_failsTheStageWithPositionedProblems_uploadingNothing() throws Exception {
        Files.writeString(dir.resolve("api/openapi.yaml"), "openapi: 3.0.3\ninfo: {title: Housing}\npaths: {}\n");

        RunResult result = runner(COMMIT).run(pipeline("invalid"));

        assertThat(result.stage("publish").orElseThrow().message()).hasValueSatisfying(m -> assertThat(m)
                .contains("api/openapi.yaml is not a valid API definition (2 problems):")
                .contains("2:7: info.version is missing.").contains("3:8: paths is empty."));
        assertThat(s3.listObjectsV2(r -> r.bucket("housing-api-definitions").prefix("invalid/")).contents()).isEmpty();
    }

    @Test
    void missingBucket_isAClearFailureNamingOperationKeyAndCode() {
        Pipeline p = Pipeline.named("housing-api").role(DeployFixture.DEPLOYER)
                .stage("publish", s -> s.as(DeployFixture.DEPLOYER)
                        .step(OpenApi.publish("api/openapi.yaml").to("no-such-bucket")))
                .build();

        RunResult result = runner(COMMIT).run(p);

        assertThat(result.stage("publish").orElseThrow().message()).hasValueSatisfying(m -> assertThat(m)
                .isEqualTo("step 1 'publish api/openapi.yaml to s3://no-such-bucket' failed: S3 PutObject on"
                        + " s3://no-such-bucket/1.4.0/openapi.yaml failed: NoSuchBucket (HTTP 404) after 1 attempt:"
                        + " The specified bucket does not exist" + m.substring(m.indexOf(" (request id"))));
    }

    @Test
    void unknownCommit_failsBeforeUploading() {
        RunResult result = f.runner(dir).addStepHandler(new OpenApiPublishHandler(s3)).build().run(pipeline("x"));

        assertThat(result.stage("publish").orElseThrow().message()).hasValueSatisfying(m -> assertThat(m)
                .contains("The run's commit is unknown"));
    }

    @Test
    void step_parametersPermissionsAndValidation() {
        OpenApiPublish step = OpenApi.publish("api/openapi.yaml").to("housing-api-definitions", "housing-api/");

        assertThat(step.type()).isEqualTo("aws.openapi.publish");
        assertThat(step.name()).isEqualTo("publish api/openapi.yaml to s3://housing-api-definitions/housing-api");
        assertThat(step.parameters()).containsExactly(Map.entry("definition", "api/openapi.yaml"),
                Map.entry("bucket", "housing-api-definitions"), Map.entry("prefix", "housing-api"));
        assertThat(step.permissions()).containsExactly(
                Permission.of("s3:GetObject", "arn:aws:s3:::housing-api-definitions/housing-api/*"),
                Permission.of("s3:PutObject", "arn:aws:s3:::housing-api-definitions/housing-api/*"),
                Permission.of("s3:ListBucket", "arn:aws:s3:::housing-api-definitions"));
        assertThat(step).isEqualTo(OpenApi.publish("api/openapi.yaml").to("housing-api-definitions", "housing-api"));
        assertThat(step.key("1.4.0 beta/2")).isEqualTo("housing-api/1.4.0-beta-2/openapi.yaml");
        assertThatThrownBy(() -> OpenApi.publish("api/openapi.yaml").to("Housing_Definitions"))
                .isInstanceOf(InvalidPipelineException.class)
                .hasMessage("OpenAPI publication of 'api/openapi.yaml' is invalid (1 problem):\n 1. bucket:"
                        + " 'Housing_Definitions' is not an S3 bucket name. Give 3 to 63 lower-case letters, digits,"
                        + " dots and hyphens.");
        assertThatThrownBy(() -> OpenApi.publish(" ")).isInstanceOf(InvalidPipelineException.class);
        assertThatThrownBy(() -> OpenApi.publish("a.yaml").to("bucket", "/root"))
                .hasMessageContaining("prefix: '/root' is not a key prefix.");
    }
}
