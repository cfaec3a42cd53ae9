package dev.pipewright.aws;

import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.base.Suppliers;
import dev.pipewright.PipewrightException;
import dev.pipewright.Step;
import dev.pipewright.spi.StepContext;
import dev.pipewright.spi.StepFailedException;
import dev.pipewright.spi.StepHandler;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Runs {@link OpenApiPublish} steps: checks the definition, then uploads it under its versioned and
 * its stable key, signing with the stage's credentials. Thread-safe.
 */
final class OpenApiPublishHandler implements StepHandler {
    static final String COMMIT = "commit-sha";
    static final String API_VERSION = "api-version";
    static final String SHA256 = "sha256";

    private final Supplier<S3Client> client;

    /** A handler using the client {@code s3} gives on first use. */
    OpenApiPublishHandler(Supplier<S3Client> s3) {
        this.client = Suppliers.memoize(checkNotNull(s3, "s3")::get);
    }

    OpenApiPublishHandler(S3Client s3) {
        this(() -> s3);
    }

    @Override
    public String type() {
        return OpenApiPublish.TYPE;
    }

    @Override
    public void run(Step step, StepContext context) {
        OpenApiPublish publish = (OpenApiPublish) step;
        AwsRequestOverrideConfiguration auth = StageCredentials.of(context, "step '" + publish.name() + "'");
        String commit = context.commit().orElseThrow(() -> new StepFailedException("The run's commit is unknown,"
                + " and every published definition carries the commit it came from. Run in a Git repository with"
                + " the git module, or give the runner facts with a commit."));
        OpenApiDefinition definition;
        try {
            definition = OpenApiDefinition.read(context.workspace().resolve(publish.definition()));
        } catch (PipewrightException e) {
            throw new StepFailedException(e.getMessage());
        }
        context.log("Checked " + definition + ".");
        byte[] content = definition.content();
        String sha = sha256(content);
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put(COMMIT, commit);
        metadata.put(API_VERSION, definition.version());
        metadata.put(SHA256, sha);
        metadata.put("pipeline", context.pipeline());
        metadata.put("run-id", context.runId());

        String versioned = publish.key(definition.version());
        Optional<HeadObjectResponse> existing = head(publish.bucket(), versioned, auth);
        if (existing.isEmpty()) {
            put(publish.bucket(), versioned, definition, content, metadata, auth);
        } else if (sha.equals(existing.get().metadata().get(SHA256))) {
            context.log("s3://" + publish.bucket() + "/" + versioned + " already holds this definition (from commit "
                    + existing.get().metadata().getOrDefault(COMMIT, "unknown") + "); left as it is.");
        } else {
            throw new StepFailedException("s3://" + publish.bucket() + "/" + versioned + " already holds another"
                    + " definition of version " + definition.version() + " (SHA-256 "
                    + existing.get().metadata().getOrDefault(SHA256, "unknown") + ", from commit "
                    + existing.get().metadata().getOrDefault(COMMIT, "unknown") + "): the API changed without a new"
                    + " version. Raise info.version in " + publish.definition() + ".");
        }
        String latest = publish.key(OpenApiPublish.LATEST);
        put(publish.bucket(), latest, definition, content, metadata, auth);
        context.log("Published " + definition.title() + " " + definition.version() + " (commit " + commit + ") to s3://"
                + publish.bucket() + "/" + versioned + " and s3://" + publish.bucket() + "/" + latest + ".");
    }

    private Optional<HeadObjectResponse> head(String bucket, String key, AwsRequestOverrideConfiguration auth) {
        try {
            return Optional.of(client.get().headObject(r -> r.bucket(bucket).key(key).overrideConfiguration(auth)));
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw AwsCall.failure("S3 HeadObject", "s3://" + bucket + "/" + key, e);
        } catch (SdkException e) {
            throw AwsCall.failure("S3 HeadObject", "s3://" + bucket + "/" + key, e);
        }
    }

    private void put(String bucket, String key, OpenApiDefinition definition, byte[] content,
            Map<String, String> metadata, AwsRequestOverrideConfiguration auth) {
        AwsCall.run("S3 PutObject", "s3://" + bucket + "/" + key, () -> client.get().putObject(r -> r.bucket(bucket).key(key)
                .contentType(definition.mediaType()).metadata(metadata).overrideConfiguration(auth),
                RequestBody.fromBytes(content)));
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "the OpenAPI publishing handler";
    }
}
