package dev.pipewright.aws;

import com.google.common.collect.ImmutableMap;
import dev.pipewright.InvalidPipelineException;
import dev.pipewright.Permission;
import dev.pipewright.Problem;
import dev.pipewright.Step;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Checks an OpenAPI or Swagger definition and publishes it to S3 (type {@value #TYPE}), made by
 * {@link OpenApi#publish(String)}. Immutable.
 *
 * <p>When it runs, as the stage's role, the step reads the definition and checks it (see {@link
 * OpenApiDefinition}), failing the stage with every problem and its line and column; then it
 * uploads it twice, with the run's commit, the API version and the content's SHA-256 as object
 * metadata ({@code commit-sha}, {@code api-version}, {@code sha256}):
 *
 * <ul>
 *   <li>under a versioned key, {@code <prefix>/<info.version>/<file name>}, written once: if it
 *       already holds this very definition it is left alone (a re-run changes nothing), and if it
 *       holds another one the step fails, since the API changed without a new version;
 *   <li>under the stable key {@code <prefix>/latest/<file name>}, replaced every time.
 * </ul>
 *
 * <p>The run's commit must be known (a run in a Git repository, with the git module).
 *
 * @since 0.1
 */
public final class OpenApiPublish implements Step {
    /** The type id of OpenAPI publishing steps. */
    public static final String TYPE = "aws.openapi.publish";
    /** The folder of the stable key, under the prefix. */
    public static final String LATEST = "latest";

    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

    private final String definition;
    private final String bucket;
    private final String prefix;

    private OpenApiPublish(String definition, String bucket, String prefix) {
        this.definition = definition;
        this.bucket = bucket;
        this.prefix = prefix;
    }

    /**
     * The mandatory part of a publication: where to.
     *
     * @since 0.1
     */
    public interface BucketStep {
        /**
         * Publishes into {@code bucket}, under {@code prefix} (no leading slash; empty for the
         * bucket's top).
         *
         * @throws InvalidPipelineException if {@code bucket} is not a bucket name or {@code prefix}
         *     is null or starts with a slash
         */
        OpenApiPublish to(String bucket, String prefix);

        /**
         * Publishes at the top of {@code bucket}.
         *
         * @throws InvalidPipelineException if {@code bucket} is not a bucket name
         */
        default OpenApiPublish to(String bucket) {
            return to(bucket, "");
        }
    }

    static BucketStep start(String definition) {
        if (definition == null || definition.isBlank()) {
            throw invalid(String.valueOf(definition), "definition", "no definition file was given.",
                    "Give the definition's path, relative to the workspace, such as api/openapi.yaml.");
        }
        return (bucket, prefix) -> {
            if (bucket == null || !BUCKET.matcher(bucket).matches()) {
                throw invalid(definition, "bucket", "'" + bucket + "' is not an S3 bucket name.",
                        "Give 3 to 63 lower-case letters, digits, dots and hyphens.");
            }
            if (prefix == null || prefix.startsWith("/")) {
                throw invalid(definition, "prefix", "'" + prefix + "' is not a key prefix.",
                        "Give a prefix without a leading slash, such as housing-api, or \"\" for none.");
            }
            String trimmed = prefix;
            while (trimmed.endsWith("/")) {
                trimmed = trimmed.substring(0, trimmed.length() - 1);
            }
            return new OpenApiPublish(definition, bucket, trimmed);
        };
    }

    private static InvalidPipelineException invalid(String definition, String path, String message, String fix) {
        return new InvalidPipelineException("OpenAPI publication of '" + definition + "'",
                List.of(new Problem(path, message, fix)));
    }

    @Override
    public String type() {
        return TYPE;
    }

    /** {@code publish api/openapi.yaml to s3://bucket/prefix}. */
    @Override
    public String name() {
        return "publish " + definition + " to s3://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix);
    }

    /** The step's configuration: {@code definition}, {@code bucket}, {@code prefix}. */
    @Override
    public Map<String, String> parameters() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("definition", definition);
        p.put("bucket", bucket);
        p.put("prefix", prefix);
        return ImmutableMap.copyOf(p);
    }

    /**
     * What the stage's role must allow: {@code s3:GetObject} (to compare with what a version
     * holds) and {@code s3:PutObject} under the prefix, and {@code s3:ListBucket} on the bucket,
     * without which S3 answers 403 rather than 404 for a version not yet published.
     */
    @Override
    public List<Permission> permissions() {
        String objects = "arn:aws:s3:::" + bucket + "/" + (prefix.isEmpty() ? "" : prefix + "/") + "*";
        return List.of(Permission.of("s3:GetObject", objects), Permission.of("s3:PutObject", objects),
                Permission.of("s3:ListBucket", "arn:aws:s3:::" + bucket));
    }

    /** The definition's path, relative to the workspace. */
    public String definition() {
        return definition;
    }

    /** The bucket published into. */
    public String bucket() {
        return bucket;
    }

    /** The key prefix, without a trailing slash; empty for none. */
    public String prefix() {
        return prefix;
    }

    /** The versioned key of {@code version}'s definition. */
    String key(String folder) {
        String name = Path.of(definition).getFileName().toString();
        String safe = folder.replaceAll("[^A-Za-z0-9._+-]", "-");
        return (prefix.isEmpty() ? "" : prefix + "/") + safe + "/" + name;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof OpenApiPublish p && definition.equals(p.definition) && bucket.equals(p.bucket)
                && prefix.equals(p.prefix);
    }

    @Override
    public int hashCode() {
        return Objects.hash(definition, bucket, prefix);
    }

    @Override
    public String toString() {
        return "OpenAPI publication " + parameters();
    }
}
