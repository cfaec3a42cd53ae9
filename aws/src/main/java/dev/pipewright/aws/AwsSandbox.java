package dev.pipewright.aws;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;
import static com.google.common.base.Preconditions.checkState;

import com.google.errorprone.annotations.CanIgnoreReturnValue;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClientBuilder;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.LambdaClientBuilder;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.SnsClientBuilder;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.StsClientBuilder;
import software.amazon.awssdk.services.synthetics.SyntheticsClient;
import software.amazon.awssdk.services.synthetics.SyntheticsClientBuilder;

/**
 * AWS on 127.0.0.1, for tests that run real AWS SDK v2 clients without an AWS account: STS,
 * Lambda's control plane, CloudWatch alarms, Synthetics canaries and SNS as protocol-level fakes
 * on the JDK's HTTP server, and S3 through s3proxy when it is on the classpath.
 *
 * <pre>{@code
 * try (AwsSandbox sandbox = AwsSandbox.start()) {
 *     FakeFunction api = sandbox.lambda().givenFunction("housing-api-staging");
 *     api.alias("live", api.publish());
 *     sandbox.cloudWatch().alarm("housing-api-errors", FakeCloudWatch.AlarmState.OK);
 *
 *     LambdaClient lambda = sandbox.lambdaClient(); // endpoint, region and credentials set
 *     // ... run the code under test with it ...
 *
 *     assertThat(api.aliasVersion("live")).contains("2");
 * }
 * }</pre>
 *
 * <h2>Faithful on the wire</h2>
 *
 * Each fake speaks its service's protocol as the SDK 2.57 clients expect it: awsQuery XML for STS
 * and SNS, restJson1 for Lambda and Synthetics, Smithy RPC v2 CBOR for CloudWatch. Response
 * bodies are written from the SDK's own model objects ({@code FunctionConfiguration},
 * {@code MetricAlarm}...) by walking their member descriptions, so member names, list and map
 * shapes and timestamp encodings are those the clients parse; the module's tests round-trip every
 * response through the real clients and compare whole objects. Requests are checked against the
 * services' documented constraints and refused with the error AWS would send (a
 * {@code ValidationError} for a bad RoleSessionName, {@code PreconditionFailedException} for a
 * stale RevisionId...). Each fake's Javadoc lists what it serves and checks.
 *
 * <h2>Credentials</h2>
 *
 * Every request must be signed, for the sandbox's {@link #region()}, with the sandbox's own
 * {@link #credentials()} or with a session its STS issued and that has not expired by the
 * sandbox's clock; other requests are refused as AWS refuses them ({@code InvalidClientTokenId},
 * {@code ExpiredToken}...). So a test proves which credentials the code under test used.
 * Signatures themselves are not recomputed, except by s3proxy.
 *
 * <h2>Faults</h2>
 *
 * {@link #failNext} answers the next calls of an operation with an error of your choice:
 * throttling ({@code 429 TooManyRequestsException}, {@code 400 Throttling}), a 5xx, an
 * {@code AccessDenied}; {@link FakeSts#expireSessions()} ends sessions early. The SDK retries
 * throttling and 5xx errors with its retry strategy; build clients with
 * {@code overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))} to see the
 * first error.
 *
 * <h2>S3</h2>
 *
 * S3 is s3proxy, a real S3 implementation that checks SigV4 signatures, started in this JVM on
 * first use. It is an optional dependency of this module; add it to your tests to use it:
 * <pre>{@code
 * <dependency>
 *   <groupId>org.gaul</groupId>
 *   <artifactId>s3proxy</artifactId>
 *   <version>4.1.0</version>
 *   <scope>test</scope>
 *   <exclusions>
 *     <exclusion> <!-- or every test prints its DEBUG log -->
 *       <groupId>ch.qos.logback</groupId>
 *       <artifactId>logback-classic</artifactId>
 *     </exclusion>
 *   </exclusions>
 * </dependency>
 * }</pre>
 * It accepts the sandbox's own credentials only, not STS sessions, and takes no injected faults.
 *
 * <h2>Lifecycle</h2>
 *
 * {@link #start()} opens the servers on random ports of 127.0.0.1; {@link #close()} stops them
 * and closes every client the sandbox built. A sandbox is thread-safe: concurrent requests are
 * served by a pool of daemon threads.
 *
 * @since 0.1
 */
public final class AwsSandbox implements AutoCloseable {
    /**
     * A service the sandbox serves.
     *
     * @since 0.1
     */
    public enum Service {
        /** STS: AssumeRole, AssumeRoleWithWebIdentity, GetCallerIdentity. */
        STS("STS"),
        /** Lambda's control plane: functions, versions, aliases. */
        LAMBDA("Lambda"),
        /** CloudWatch: DescribeAlarms. */
        CLOUDWATCH("CloudWatch"),
        /** CloudWatch Synthetics: GetCanary, GetCanaryRuns. */
        SYNTHETICS("Synthetics"),
        /** SNS: Publish. */
        SNS("SNS"),
        /** S3, through s3proxy when it is on the classpath. */
        S3("S3");

        private final String displayName;

        Service(String displayName) {
            this.displayName = displayName;
        }

        /** The service's name, for messages. */
        public String displayName() {
            return displayName;
        }
    }

    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d");
    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final String region;
    private final String account;
    private final ExecutorService executor;
    private final FakeSts sts;
    private final FakeLambda lambda;
    private final FakeCloudWatch cloudWatch;
    private final FakeSynthetics synthetics;
    private final FakeSns sns;
    private final SandboxFaults faults = new SandboxFaults();
    private final Map<Service, SandboxServer> servers = new EnumMap<>(Service.class);
    private final Map<Service, SandboxService> services = new EnumMap<>(Service.class);
    private final List<AutoCloseable> clients = new ArrayList<>(); // guarded by this
    private @Nullable SandboxS3 s3; // guarded by this
    private boolean closed; // guarded by this

    private AwsSandbox(Builder b) {
        this.region = b.region;
        this.account = b.account;
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "aws-sandbox-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.sts = new FakeSts(account, region, b.clock);
        this.lambda = new FakeLambda(account, region, b.clock);
        this.cloudWatch = new FakeCloudWatch(account, region, b.clock);
        this.synthetics = new FakeSynthetics(account, region, b.clock);
        this.sns = new FakeSns(account, region);
        List<SandboxService> all = List.of(sts.service(), lambda.service(), cloudWatch.service(),
                synthetics.service(), sns.service());
        try {
            for (SandboxService s : all) {
                services.put(s.service(), s);
                servers.put(s.service(), SandboxServer.start(s, sts, faults, executor));
            }
        } catch (RuntimeException e) {
            servers.values().forEach(SandboxServer::stop);
            executor.shutdownNow();
            throw e;
        }
    }

    /** Starts a sandbox for region {@code eu-west-2}, account {@code 123456789012}, on the system clock. */
    public static AwsSandbox start() {
        return builder().start();
    }

    /** A builder to choose the region, account or clock. */
    public static Builder builder() {
        return new Builder();
    }

    /** The region clients must sign for, such as {@code eu-west-2}. */
    public String region() {
        return region;
    }

    /** The account id in every ARN the sandbox makes. */
    public String accountId() {
        return account;
    }

    /**
     * The endpoint of {@code service}, {@code http://127.0.0.1:<port>}, for a client's
     * {@code endpointOverride}. For S3, starts s3proxy if it is not running yet.
     *
     * @throws IllegalStateException for S3 when s3proxy is not on the classpath, or when the
     *     sandbox is closed
     */
    public URI endpoint(Service service) {
        checkNotNull(service, "service");
        if (service == Service.S3) {
            return s3().endpoint();
        }
        synchronized (this) {
            checkState(!closed, "the sandbox is closed");
        }
        return checkNotNull(servers.get(service)).endpoint();
    }

    /** Whether the sandbox can serve S3: s3proxy is on the classpath. */
    public boolean s3Available() {
        return SandboxS3.available();
    }

    /**
     * The sandbox's own static credentials: they sign every request the test makes itself, and
     * the AssumeRole calls whose sessions then sign the rest.
     */
    public AwsCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(sts.baseAccessKeyId(),
                sts.baseSecretAccessKey()));
    }

    /** The sandbox's STS and every credential it issued. */
    public FakeSts sts() {
        return sts;
    }

    /** The sandbox's Lambda functions. */
    public FakeLambda lambda() {
        return lambda;
    }

    /** The sandbox's CloudWatch alarms. */
    public FakeCloudWatch cloudWatch() {
        return cloudWatch;
    }

    /** The sandbox's Synthetics canaries. */
    public FakeSynthetics synthetics() {
        return synthetics;
    }

    /** The sandbox's SNS topics and the messages published to them. */
    public FakeSns sns() {
        return sns;
    }

    /**
     * Answers the next {@code times} calls of {@code operation} on {@code service} with an AWS
     * error, before anything else is checked; later calls are served normally again. Faults for
     * one operation queue up in the order given.
     *
     * <pre>{@code
     * sandbox.failNext(Service.LAMBDA, "UpdateAlias", 429, "TooManyRequestsException", 2);
     * sandbox.failNext(Service.STS, "AssumeRole", 403, "AccessDenied", 1);
     * sandbox.failNext(Service.CLOUDWATCH, "DescribeAlarms", 503, "ServiceUnavailable", 1);
     * }</pre>
     *
     * @param status the HTTP status, 400 to 599
     * @param errorCode the AWS error code the client sees, such as {@code Throttling}
     * @param times how many calls fail, at least 1
     * @throws IllegalArgumentException if the service does not serve the operation, the status is
     *     not an error, or the service is S3 (served by s3proxy)
     */
    public void failNext(Service service, String operation, int status, String errorCode, int times) {
        checkNotNull(service, "service");
        checkNotNull(operation, "operation");
        checkNotNull(errorCode, "errorCode");
        checkArgument(service != Service.S3, "faults cannot be injected into S3, which s3proxy serves");
        SandboxService s = checkNotNull(services.get(service));
        checkArgument(s.operations().contains(operation), "the sandbox's %s does not serve %s; it serves %s",
                service.displayName(), operation, new java.util.TreeSet<>(s.operations()));
        checkArgument(status >= 400 && status <= 599, "status must be an error, 400 to 599, but was %s", status);
        checkArgument(!errorCode.isBlank(), "errorCode must not be blank");
        checkArgument(times >= 1, "times must be at least 1 but was %s", times);
        faults.add(service, operation, SandboxError.of(status, errorCode, errorCode + ": injected by the AWS sandbox"
                + " (failNext)", Map.of()), times);
    }

    /** How many requests for {@code operation} of {@code service} arrived, failed ones included. */
    public int requests(Service service, String operation) {
        checkNotNull(service, "service");
        checkArgument(service != Service.S3, "the sandbox does not count S3 requests, which s3proxy serves");
        return checkNotNull(servers.get(service)).requests(operation);
    }

    /** The model object of the sandbox's last successful answer to {@code operation}. */
    Optional<SdkPojo> lastResponse(Service service, String operation) {
        return checkNotNull(servers.get(service)).lastResponse(operation);
    }

    // ------------------------------------------------------------------ clients

    /** A builder for an STS client of this sandbox: endpoint, region and credentials set. */
    public StsClientBuilder stsClientBuilder() {
        return StsClient.builder().endpointOverride(endpoint(Service.STS)).region(Region.of(region))
                .credentialsProvider(credentials());
    }

    /** A builder for a Lambda client of this sandbox: endpoint, region and credentials set. */
    public LambdaClientBuilder lambdaClientBuilder() {
        return LambdaClient.builder().endpointOverride(endpoint(Service.LAMBDA)).region(Region.of(region))
                .credentialsProvider(credentials());
    }

    /** A builder for a CloudWatch client of this sandbox: endpoint, region and credentials set. */
    public CloudWatchClientBuilder cloudWatchClientBuilder() {
        return CloudWatchClient.builder().endpointOverride(endpoint(Service.CLOUDWATCH)).region(Region.of(region))
                .credentialsProvider(credentials());
    }

    /** A builder for a Synthetics client of this sandbox: endpoint, region and credentials set. */
    public SyntheticsClientBuilder syntheticsClientBuilder() {
        return SyntheticsClient.builder().endpointOverride(endpoint(Service.SYNTHETICS)).region(Region.of(region))
                .credentialsProvider(credentials());
    }

    /** A builder for an SNS client of this sandbox: endpoint, region and credentials set. */
    public SnsClientBuilder snsClientBuilder() {
        return SnsClient.builder().endpointOverride(endpoint(Service.SNS)).region(Region.of(region))
                .credentialsProvider(credentials());
    }

    /**
     * A builder for an S3 client of this sandbox's s3proxy: endpoint, region, credentials and
     * path-style addressing set.
     *
     * @throws IllegalStateException if s3proxy is not on the classpath
     */
    public S3ClientBuilder s3ClientBuilder() {
        return S3Client.builder().endpointOverride(endpoint(Service.S3)).region(Region.of(region))
                .credentialsProvider(credentials()).forcePathStyle(true);
    }

    /** An STS client of this sandbox, closed with it. */
    public StsClient stsClient() {
        return track(stsClientBuilder().build());
    }

    /** A Lambda client of this sandbox, closed with it. */
    public LambdaClient lambdaClient() {
        return track(lambdaClientBuilder().build());
    }

    /** A CloudWatch client of this sandbox, closed with it. */
    public CloudWatchClient cloudWatchClient() {
        return track(cloudWatchClientBuilder().build());
    }

    /** A Synthetics client of this sandbox, closed with it. */
    public SyntheticsClient syntheticsClient() {
        return track(syntheticsClientBuilder().build());
    }

    /** An SNS client of this sandbox, closed with it. */
    public SnsClient snsClient() {
        return track(snsClientBuilder().build());
    }

    /**
     * An S3 client of this sandbox's s3proxy, closed with it.
     *
     * @throws IllegalStateException if s3proxy is not on the classpath
     */
    public S3Client s3Client() {
        return track(s3ClientBuilder().build());
    }

    private synchronized <C extends AutoCloseable> C track(C client) {
        if (closed) {
            try {
                client.close();
            } catch (Exception e) {
                // Closing an SDK client does not fail; the state check below is what matters.
            }
            checkState(false, "the sandbox is closed");
        }
        clients.add(client);
        return client;
    }

    private synchronized SandboxS3 s3() {
        checkState(!closed, "the sandbox is closed");
        if (s3 == null) {
            if (!SandboxS3.available()) {
                throw new IllegalStateException("The AWS sandbox serves S3 through s3proxy, which is not on the"
                        + " classpath. Add the test dependency org.gaul:s3proxy:4.1.0 (excluding"
                        + " ch.qos.logback:logback-classic); see AwsSandbox's documentation.");
            }
            s3 = SandboxS3.start(sts.baseAccessKeyId(), sts.baseSecretAccessKey());
        }
        return s3;
    }

    /** Stops every server and closes every client the sandbox built. Idempotent. */
    @Override
    public void close() {
        List<AutoCloseable> toClose;
        SandboxS3 proxy;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            toClose = new ArrayList<>(clients);
            clients.clear();
            proxy = s3;
        }
        for (AutoCloseable c : toClose) {
            try {
                c.close();
            } catch (Exception e) {
                // An SDK client's close releases connections; nothing to report to a test.
            }
        }
        servers.values().forEach(SandboxServer::stop);
        if (proxy != null) {
            proxy.stop();
        }
        executor.shutdownNow();
    }

    @Override
    public String toString() {
        return "AWS sandbox for " + account + " in " + region;
    }

    /**
     * Builds an {@link AwsSandbox}. Not thread-safe.
     *
     * @since 0.1
     */
    public static final class Builder {
        private String region = "eu-west-2";
        private String account = "123456789012";
        private Clock clock = Clock.systemUTC();

        private Builder() { }

        /** The region clients sign for and ARNs hold; {@code eu-west-2} by default. */
        @CanIgnoreReturnValue
        public Builder region(String region) {
            checkNotNull(region, "region");
            checkArgument(REGION.matcher(region).matches(), "'%s' is not a region name such as eu-west-2", region);
            this.region = region;
            return this;
        }

        /** The account id in ARNs; {@code 123456789012} by default. */
        @CanIgnoreReturnValue
        public Builder account(String account) {
            checkNotNull(account, "account");
            checkArgument(ACCOUNT.matcher(account).matches(), "an account id has 12 digits, but was '%s'", account);
            this.account = account;
            return this;
        }

        /**
         * The clock that dates alarms and canary runs and decides when STS sessions expire; the
         * system clock by default. A test that moves it forward sees sessions expire.
         */
        @CanIgnoreReturnValue
        public Builder clock(Clock clock) {
            this.clock = checkNotNull(clock, "clock");
            return this;
        }

        /**
         * Starts the sandbox.
         *
         * @throws java.io.UncheckedIOException if a loopback port cannot be opened
         */
        public AwsSandbox start() {
            return new AwsSandbox(this);
        }
    }
}
