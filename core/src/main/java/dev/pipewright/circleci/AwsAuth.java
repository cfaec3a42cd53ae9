package dev.pipewright.circleci;

import static com.google.common.base.Preconditions.checkNotNull;

import com.google.errorprone.annotations.CanIgnoreReturnValue;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A Docker image's credentials for Amazon ECR, {@code aws_auth}: access keys
 * ({@code aws_access_key_id}, {@code aws_secret_access_key}) or an OIDC role ({@code oidc_role_arn}).
 *
 * <p>Immutable and null-hostile: builder setters reject null, an absent key reads as an empty
 * {@code Optional} or an empty collection, and a list or map that was set (even empty) is written.
 * Keys the model does not know, and known keys whose values do not fit their field, are kept in
 * {@link #extra()} and written after the typed keys.
 *
 * <pre>{@code
 * AwsAuth.oidcRole("arn:aws:iam::123456789012:role/ecr-pull")
 * }</pre>
 *
 * @since 0.1
 */
public final class AwsAuth {
    private final @Nullable String accessKeyId;
    private final @Nullable String secretAccessKey;
    private final @Nullable String oidcRoleArn;
    private final Map<String, @Nullable Object> extra;
    private final Map<String, @Nullable Object> data;

    private AwsAuth(Builder b) {
        this.accessKeyId = b.accessKeyId;
        this.secretAccessKey = b.secretAccessKey;
        this.oidcRoleArn = b.oidcRoleArn;
        this.extra = Collections.unmodifiableMap(new LinkedHashMap<>(b.extra));
        this.data = new FieldWriter()
                .put("aws_access_key_id", accessKeyId)
                .put("aws_secret_access_key", secretAccessKey)
                .put("oidc_role_arn", oidcRoleArn)
                .build(extra);
    }

    /** {@code aws_auth: {aws_access_key_id, aws_secret_access_key}}. */
    public static AwsAuth accessKeys(String accessKeyId, String secretAccessKey) {
        return builder().accessKeyId(accessKeyId).secretAccessKey(secretAccessKey).build();
    }

    /** {@code aws_auth: {oidc_role_arn}}. */
    public static AwsAuth oidcRole(String roleArn) {
        return builder().oidcRoleArn(roleArn).build();
    }

    /** An empty builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this value's fields. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.accessKeyId = accessKeyId;
        b.secretAccessKey = secretAccessKey;
        b.oidcRoleArn = oidcRoleArn;
        b.extra.putAll(extra);
        return b;
    }

    /** {@code aws_access_key_id}: the access key id, usually a variable reference. */
    public Optional<String> accessKeyId() {
        return Optional.ofNullable(accessKeyId);
    }

    /** {@code aws_secret_access_key}: the secret access key, usually a variable reference. */
    public Optional<String> secretAccessKey() {
        return Optional.ofNullable(secretAccessKey);
    }

    /** {@code oidc_role_arn}: the role to assume with CircleCI's OIDC token. */
    public Optional<String> oidcRoleArn() {
        return Optional.ofNullable(oidcRoleArn);
    }

    /** Keys the model does not know, and known keys whose values did not fit, as written. */
    public Map<String, @Nullable Object> extra() {
        return extra;
    }

    /** The value as data: an ordered, unmodifiable mapping. */
    Map<String, @Nullable Object> toData() {
        return data;
    }

    /** Reads a mapping; keys that do not fit are kept in {@link #extra()} with a warning. */
    static AwsAuth fromData(Map<?, ?> map, String path, Warnings warnings) {
        FieldReader r = new FieldReader(map, path, warnings, "AWS credentials");
        Builder b = builder();
        r.read("aws_access_key_id", Shape.STRING, b::accessKeyId);
        r.read("aws_secret_access_key", Shape.STRING, b::secretAccessKey);
        r.read("oidc_role_arn", Shape.STRING, b::oidcRoleArn);
        return b.extra(r.extra()).build();
    }

    static final Shape<AwsAuth> SHAPE = Shape.mapping("a mapping (AWS credentials)", AwsAuth::fromData);

    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof AwsAuth o
                && Objects.equals(accessKeyId, o.accessKeyId)
                && Objects.equals(secretAccessKey, o.secretAccessKey)
                && Objects.equals(oidcRoleArn, o.oidcRoleArn)
                && extra.equals(o.extra);
    }

    @Override
    public int hashCode() {
        return Objects.hash(accessKeyId, secretAccessKey, oidcRoleArn, extra);
    }

    /** The data, for debugging. */
    @Override
    public String toString() {
        return "AwsAuth" + toData();
    }

    /** Builds {@link AwsAuth}; mutable, not thread-safe. */
    public static final class Builder {
        private @Nullable String accessKeyId;
        private @Nullable String secretAccessKey;
        private @Nullable String oidcRoleArn;
        private final Map<String, @Nullable Object> extra = new LinkedHashMap<>();

        private Builder() {
        }

        /** Sets {@code aws_access_key_id}: the access key id, usually a variable reference. */
        @CanIgnoreReturnValue
        public Builder accessKeyId(String accessKeyId) {
            this.accessKeyId = checkNotNull(accessKeyId, "accessKeyId");
            return this;
        }

        /** Sets {@code aws_secret_access_key}: the secret access key, usually a variable reference. */
        @CanIgnoreReturnValue
        public Builder secretAccessKey(String secretAccessKey) {
            this.secretAccessKey = checkNotNull(secretAccessKey, "secretAccessKey");
            return this;
        }

        /** Sets {@code oidc_role_arn}: the role to assume with CircleCI's OIDC token. */
        @CanIgnoreReturnValue
        public Builder oidcRoleArn(String oidcRoleArn) {
            this.oidcRoleArn = checkNotNull(oidcRoleArn, "oidcRoleArn");
            return this;
        }

        /** Replaces the kept keys; see {@link AwsAuth#extra()}. Values are copied as plain data. */
        @CanIgnoreReturnValue
        public Builder extra(Map<String, ?> extra) {
            this.extra.clear();
            this.extra.putAll(PlainData.copyMap(extra));
            return this;
        }

        /** Adds a kept key, written after the typed ones; the value is copied as plain data. */
        @CanIgnoreReturnValue
        public Builder putExtra(String key, @Nullable Object value) {
            this.extra.put(checkNotNull(key, "key"), PlainData.copy(value));
            return this;
        }

        /**
         * The value.
         *
         * @throws IllegalArgumentException when a kept key is also set as a typed field
         */
        public AwsAuth build() {
            return new AwsAuth(this);
        }
    }
}
