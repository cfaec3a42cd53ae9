package dev.pipewright.aws;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.errorprone.annotations.CanIgnoreReturnValue;
import dev.pipewright.PipewrightException;
import dev.pipewright.Role;
import dev.pipewright.spi.Credentials;
import dev.pipewright.spi.CredentialsProvider;
import dev.pipewright.spi.CredentialsRequest;
import dev.pipewright.spi.Plugin;
import dev.pipewright.spi.StepHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.StsClientBuilder;

/**
 * The AWS module's contributions to the local executor: {@link StsCredentials} for roles that
 * assume an IAM role ARN, and the handlers of {@link LambdaDeploy} and {@link OpenApiPublish}
 * steps, which sign every request with the stage's own credentials.
 *
 * <p>Register it explicitly, with the clients you built:
 * <pre>{@code
 * LocalRunner runner = LocalRunner.builder()
 *     .addPlugin(AwsPlugin.create(StsClient.create()))
 *     .build();
 * }</pre>
 *
 * <p>or, to choose the step handlers' clients too (each built with the SDK's standard retry
 * strategy; a client not given is built on first use from the default region chain):
 * <pre>{@code
 * AwsPlugin.builder().sts(sts).lambda(lambda).cloudWatch(cloudWatch).s3(s3).build()
 * }</pre>
 *
 * <p>Or let {@link java.util.ServiceLoader} find it (the module lists it in
 * {@code META-INF/services}): the no-argument constructor builds nothing until a stage needs a
 * role, and then an STS client from the default credentials and region chains with the SDK's
 * standard retry strategy; on CircleCI (where {@code CIRCLE_OIDC_TOKEN_V2} or
 * {@code CIRCLE_OIDC_TOKEN} is set) it assumes roles with that OIDC token instead. So that a
 * machine without AWS credentials keeps the runner's clear "no credentials provider supports
 * role" error rather than failing mid-run, the discovered plugin supports roles only where
 * credentials are configured: AWS variables ({@code AWS_ACCESS_KEY_ID},
 * {@code AWS_PROFILE}, {@code AWS_WEB_IDENTITY_TOKEN_FILE}, container credentials), a CircleCI
 * OIDC token, or a non-empty AWS config or credentials file. On EC2 or other hosts whose
 * credentials come from instance metadata, register it explicitly.
 *
 * @since 0.1
 */
public final class AwsPlugin implements Plugin {
    private final CredentialsProvider credentials;
    private final List<StepHandler> handlers;

    /**
     * The plugin for {@link java.util.ServiceLoader}: clients from the default chains, built on
     * first use. Prefer {@link #create(StsClient)} in code.
     */
    public AwsPlugin() {
        this(discovered(System.getenv(), Path.of(System.getProperty("user.home"))), new Builder());
    }

    private AwsPlugin(CredentialsProvider credentials, Builder b) {
        this.credentials = credentials;
        this.handlers = handlers(b);
    }

    /** The plugin assuming roles with AssumeRole through {@code sts}, whose credentials are the base ones. */
    public static AwsPlugin create(StsClient sts) {
        return builder().sts(sts).build();
    }

    /** The plugin with {@code credentials}, for example assuming roles through CircleCI's OIDC token. */
    public static AwsPlugin create(StsCredentials credentials) {
        return builder().credentials(credentials).build();
    }

    /** A builder, for plugins with several clients. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return "aws";
    }

    @Override
    public List<CredentialsProvider> credentialsProviders() {
        return List.of(credentials);
    }

    @Override
    public List<StepHandler> stepHandlers() {
        return handlers;
    }

    /** Every step handler of the module, built in this one place. */
    private static List<StepHandler> handlers(Builder b) {
        LambdaClient lambda = b.lambda;
        CloudWatchClient cloudWatch = b.cloudWatch;
        S3Client s3 = b.s3;
        return List.of(
                new LambdaDeployHandler(lambda != null ? () -> lambda : () -> standard(LambdaClient.builder()),
                        cloudWatch != null ? () -> cloudWatch : () -> standard(CloudWatchClient.builder()),
                        b.pollInterval.compareTo(LambdaDeployHandler.DEFAULT_UPDATE_POLL) < 0 ? b.pollInterval
                                : LambdaDeployHandler.DEFAULT_UPDATE_POLL, b.pollInterval),
                new OpenApiPublishHandler(s3 != null ? () -> s3 : () -> standard(S3Client.builder())));
    }

    /** A client with the standard retry strategy, in the default chain's region. */
    private static <B extends AwsClientBuilder<B, C>, C> C standard(B builder) {
        Region region;
        try {
            region = DefaultAwsRegionProviderChain.builder().build().getRegion();
        } catch (SdkClientException e) {
            throw new PipewrightException("No AWS region is configured for the aws module's steps: set AWS_REGION,"
                    + " or give the plugin its clients (AwsPlugin.builder().lambda(...).cloudWatch(...).s3(...)).", e);
        }
        return builder.region(region)
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.standardRetryStrategy())).build();
    }

    @Override
    public String toString() {
        return "AWS plugin (" + credentials + ")";
    }

    // ------------------------------------------------------------------ discovery

    /**
     * The provider of the discovered plugin: STS from the default chains, or with CircleCI's OIDC
     * token, supporting roles only where credentials are configured.
     */
    static CredentialsProvider discovered(Map<String, String> env, Path home) {
        boolean circleCi = java.util.Arrays.stream(StsCredentials.CIRCLECI_TOKENS)
                .anyMatch(n -> env.get(n) != null && !env.get(n).isBlank());
        StsCredentials.Builder b = StsCredentials.builder();
        if (circleCi) {
            b.circleCiOidc(env).sts(lazyClient(true));
        } else {
            b.sts(lazyClient(false));
        }
        StsCredentials sts = b.build();
        boolean configured = circleCi || credentialsConfigured(env, home);
        return new CredentialsProvider() {
            @Override
            public boolean supports(Role role) {
                return configured && sts.supports(role);
            }

            @Override
            public Credentials credentials(Role role, CredentialsRequest request) {
                return sts.credentials(role, request);
            }

            @Override
            public String toString() {
                return sts.toString();
            }
        };
    }

    /** Whether AWS credentials are configured without asking the network (instance metadata). */
    static boolean credentialsConfigured(Map<String, String> env, Path home) {
        if (env.containsKey("AWS_ACCESS_KEY_ID") && env.containsKey("AWS_SECRET_ACCESS_KEY")
                || env.containsKey("AWS_PROFILE") || env.containsKey("AWS_WEB_IDENTITY_TOKEN_FILE")
                || env.containsKey("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")
                || env.containsKey("AWS_CONTAINER_CREDENTIALS_FULL_URI")) {
            return true;
        }
        return nonEmpty(env.containsKey("AWS_SHARED_CREDENTIALS_FILE") ? Path.of(env.get("AWS_SHARED_CREDENTIALS_FILE"))
                : home.resolve(".aws").resolve("credentials"))
                || nonEmpty(env.containsKey("AWS_CONFIG_FILE") ? Path.of(env.get("AWS_CONFIG_FILE"))
                : home.resolve(".aws").resolve("config"));
    }

    private static boolean nonEmpty(Path file) {
        try {
            return Files.isRegularFile(file) && Files.size(file) > 0;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static Supplier<StsClient> lazyClient(boolean anonymous) {
        return () -> {
            StsClientBuilder b = StsClient.builder()
                    .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.standardRetryStrategy()));
            Region region;
            try {
                region = DefaultAwsRegionProviderChain.builder().build().getRegion();
            } catch (SdkClientException e) {
                region = Region.US_EAST_1; // STS answers in every region; the role's own region does not matter
            }
            b.region(region);
            if (anonymous) {
                b.credentialsProvider(AnonymousCredentialsProvider.create()); // web identity calls are unsigned
            }
            return b.build();
        };
    }

    /**
     * Builds an {@link AwsPlugin}. Not thread-safe.
     *
     * @since 0.1
     */
    public static final class Builder {
        private @Nullable CredentialsProvider credentials;
        private @Nullable LambdaClient lambda;
        private @Nullable CloudWatchClient cloudWatch;
        private @Nullable S3Client s3;
        private Duration pollInterval = LambdaDeployHandler.DEFAULT_ALARM_POLL;

        private Builder() { }

        /** The client of {@link LambdaDeploy} steps; build it with the standard retry strategy. */
        @CanIgnoreReturnValue
        public Builder lambda(LambdaClient lambda) {
            this.lambda = checkNotNull(lambda, "lambda");
            return this;
        }

        /** The client reading the alarms {@link LambdaDeploy} steps watch. */
        @CanIgnoreReturnValue
        public Builder cloudWatch(CloudWatchClient cloudWatch) {
            this.cloudWatch = checkNotNull(cloudWatch, "cloudWatch");
            return this;
        }

        /** The client of {@link OpenApiPublish} steps. */
        @CanIgnoreReturnValue
        public Builder s3(S3Client s3) {
            this.s3 = checkNotNull(s3, "s3");
            return this;
        }

        /**
         * How often a Lambda deploy reads the watched alarms while it bakes, and at most how often
         * it reads a code update's status; 10 s by default. Shorter suits tests against
         * {@link AwsSandbox}.
         *
         * @throws IllegalArgumentException if {@code interval} is not positive
         */
        @CanIgnoreReturnValue
        public Builder pollInterval(Duration interval) {
            checkNotNull(interval, "interval");
            checkArgument(!interval.isNegative() && !interval.isZero(), "interval must be positive but was %s",
                    interval);
            this.pollInterval = interval;
            return this;
        }

        /** Assumes roles with AssumeRole through {@code sts}; replaces {@link #credentials}. */
        @CanIgnoreReturnValue
        public Builder sts(StsClient sts) {
            this.credentials = StsCredentials.builder().sts(checkNotNull(sts, "sts")).build();
            return this;
        }

        /** The roles' credentials provider; replaces {@link #sts}. */
        @CanIgnoreReturnValue
        public Builder credentials(StsCredentials credentials) {
            this.credentials = checkNotNull(credentials, "credentials");
            return this;
        }

        /**
         * The plugin.
         *
         * @throws IllegalStateException if neither an STS client nor credentials were given
         */
        public AwsPlugin build() {
            if (credentials == null) {
                throw new IllegalStateException("AwsPlugin needs an STS client or StsCredentials:"
                        + " AwsPlugin.builder().sts(StsClient.create())");
            }
            return new AwsPlugin(credentials, this);
        }
    }
}
