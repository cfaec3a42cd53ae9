package dev.pipewright.aws;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.base.Suppliers;
import com.google.errorprone.annotations.CanIgnoreReturnValue;
import dev.pipewright.PipewrightException;
import dev.pipewright.Role;
import dev.pipewright.spi.Credentials;
import dev.pipewright.spi.CredentialsProvider;
import dev.pipewright.spi.CredentialsRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;
import software.amazon.awssdk.services.sts.model.AssumeRoleWithWebIdentityRequest;
import software.amazon.awssdk.services.sts.model.Tag;

/**
 * Credentials for stages acting as a role whose {@link Role#assumes()} is an IAM role ARN,
 * through AWS STS: AssumeRole from the base credentials of the given {@link StsClient} (local
 * runs), or AssumeRoleWithWebIdentity with an OIDC token (CircleCI's
 * {@code CIRCLE_OIDC_TOKEN_V2}) when {@link Builder#webIdentity a token source} is set.
 *
 * <pre>{@code
 * LocalRunner runner = LocalRunner.builder()
 *     .addCredentialsProvider(StsCredentials.builder().sts(StsClient.create()).build())
 *     .build();
 * }</pre>
 *
 * <ul>
 *   <li><b>What a stage gets:</b> {@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY} and
 *       {@code AWS_SESSION_TOKEN}, which the runner masks everywhere, and nothing else (not the
 *       region: it would be masked too). Nothing is written to disk.
 *   <li><b>How:</b> each role as its {@link AwsRole} (given with {@link Builder#role}, else
 *       {@link AwsRole#of(Role)}): its session policy, external id and tags, a session name
 *       naming the pipeline, stage and run, and the {@linkplain AwsRole#sessionDuration shortest
 *       duration} covering the stage's remaining time. When the base credentials are themselves
 *       a role session (found once with GetCallerIdentity), sessions are chained and last at
 *       most an hour.
 *   <li><b>Cache:</b> per run, role and stage; reused while it has more than the
 *       {@link Builder#refreshMargin refresh margin} left and covers what the stage still needs
 *       (or as much as a new session could), refreshed otherwise, so a retry late in a stage
 *       never starts with credentials about to expire.
 *   <li><b>Errors</b> name the operation, the role ARN and the AWS error code, such as
 *       {@code AssumeRole of arn:aws:iam::123456789012:role/deployer failed: AccessDenied (403):
 *       ...}, with a hint for the usual causes.
 * </ul>
 *
 * <p>Thread-safe.
 *
 * @since 0.1
 */
public final class StsCredentials implements CredentialsProvider {
    private static final Logger LOG = LoggerFactory.getLogger(StsCredentials.class);
    /** CircleCI's OIDC token variables, the newer first. */
    static final String[] CIRCLECI_TOKENS = {"CIRCLE_OIDC_TOKEN_V2", "CIRCLE_OIDC_TOKEN"};

    private final Supplier<StsClient> sts;
    private final Map<String, AwsRole> roles;
    private final @Nullable Supplier<String> webIdentity;
    private final @Nullable String webIdentitySource;
    private final Clock clock;
    private final Duration margin;
    private final Map<CacheKey, Entry> cache = new ConcurrentHashMap<>();
    private final Set<String> warned = ConcurrentHashMap.newKeySet();
    private volatile @Nullable Boolean chainedCaller;

    private StsCredentials(Builder b) {
        this.sts = Suppliers.memoize(checkNotNull(b.sts, "sts")::get);
        this.roles = Map.copyOf(b.roles);
        this.webIdentity = b.webIdentity;
        this.webIdentitySource = b.webIdentitySource;
        this.clock = b.clock;
        this.margin = b.margin;
    }

    /** A builder; {@link Builder#sts} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** Whether {@code role} assumes an IAM role ARN. */
    @Override
    public boolean supports(Role role) {
        return role.assumes().map(a -> AwsRole.ROLE_ARN.matcher(a).matches()).orElse(false);
    }

    /**
     * Credentials of a session of {@code role}'s IAM role, for the stage {@code request}
     * describes, from the cache when they still do.
     *
     * @throws PipewrightException naming the operation, the role ARN and the AWS error code if
     *     STS refuses or cannot be reached, or if no web identity token can be read
     * @throws dev.pipewright.InvalidPipelineException if the role's AWS options are invalid
     */
    @Override
    public Credentials credentials(Role role, CredentialsRequest request) {
        checkNotNull(role, "role");
        checkNotNull(request, "request");
        AwsRole aws = roles.containsKey(role.name()) ? roles.get(role.name()) : AwsRole.of(role);
        Instant now = clock.instant();
        cache.values().removeIf(e -> e.expired(now));
        Entry entry = cache.computeIfAbsent(new CacheKey(request.runId(), role.name(), request.stage()),
                k -> new Entry());
        synchronized (entry) {
            boolean chained = aws.chained() || (webIdentity == null && chainedCaller());
            Duration duration = aws.sessionDuration(request.duration(), chained);
            Credentials current = entry.credentials;
            if (current != null && usable(current, request.duration(), duration, clock.instant())) {
                LOG.debug("Reusing the session of {} for stage {} of run {}", aws.roleArn(), request.stage(),
                        request.runId());
                return current;
            }
            if (duration.compareTo(request.duration()) < 0 && warned.add(aws.name())) {
                LOG.warn("Stage '{}' may run for {} but sessions of {} last at most {}: its credentials may expire"
                        + " before it ends. Raise the role's maxSessionDuration or shorten the stage's timeout.",
                        request.stage(), request.duration(), aws.roleArn(), duration);
            }
            Credentials fresh = assume(aws, aws.sessionName(request.pipeline(), request.stage(), request.runId()),
                    duration);
            entry.credentials = fresh;
            return fresh;
        }
    }

    /**
     * Whether credentials expiring at {@code c.expiresAt()} still serve: more than the margin
     * left, and enough for what the stage still needs, or for as much as a new session would give
     * less the margin.
     */
    private boolean usable(Credentials c, Duration needed, Duration fresh, Instant now) {
        Duration left = Duration.between(now, c.expiresAt().orElse(Instant.MAX));
        Duration enough = fresh.minus(margin).compareTo(needed) < 0 ? fresh.minus(margin) : needed;
        return left.compareTo(margin) > 0 && left.compareTo(enough) >= 0;
    }

    private boolean chainedCaller() {
        Boolean known = chainedCaller;
        if (known == null) {
            try {
                known = sts.get().getCallerIdentity().arn().contains(":assumed-role/");
            } catch (AwsServiceException e) {
                throw failure("GetCallerIdentity", "the base credentials", e);
            } catch (SdkException e) {
                throw new PipewrightException("GetCallerIdentity with the base credentials failed: " + e.getMessage()
                        + ". Check that AWS credentials and a region are configured.", e);
            }
            chainedCaller = known;
        }
        return known;
    }

    private Credentials assume(AwsRole role, String sessionName, Duration duration) {
        String operation = webIdentity == null ? "AssumeRole" : "AssumeRoleWithWebIdentity";
        software.amazon.awssdk.services.sts.model.Credentials c;
        try {
            if (webIdentity == null) {
                AssumeRoleRequest.Builder r = AssumeRoleRequest.builder().roleArn(role.roleArn())
                        .roleSessionName(sessionName).durationSeconds((int) duration.getSeconds());
                role.sessionPolicy().ifPresent(r::policy);
                role.externalId().ifPresent(r::externalId);
                if (!role.sessionTags().isEmpty()) {
                    r.tags(role.sessionTags().entrySet().stream()
                            .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList());
                }
                c = sts.get().assumeRole(r.build()).credentials();
            } else {
                if ((role.externalId().isPresent() || !role.sessionTags().isEmpty()) && warned.add("web:" + role.name())) {
                    LOG.warn("{}: external id and session tags do not apply to AssumeRoleWithWebIdentity; the OIDC"
                            + " token's claims stand for them", role);
                }
                AssumeRoleWithWebIdentityRequest.Builder r = AssumeRoleWithWebIdentityRequest.builder()
                        .roleArn(role.roleArn()).roleSessionName(sessionName)
                        .durationSeconds((int) duration.getSeconds()).webIdentityToken(token());
                role.sessionPolicy().ifPresent(r::policy);
                c = sts.get().assumeRoleWithWebIdentity(r.build()).credentials();
            }
        } catch (AwsServiceException e) {
            throw failure(operation, role.roleArn(), e);
        } catch (SdkException e) {
            throw new PipewrightException(operation + " of " + role.roleArn() + " failed: " + e.getMessage()
                    + ". Check that AWS credentials and a region are configured and STS can be reached.", e);
        }
        LOG.debug("{} of {} as session {} for {}", operation, role.roleArn(), sessionName, duration);
        Map<String, String> env = new LinkedHashMap<>();
        env.put("AWS_ACCESS_KEY_ID", c.accessKeyId());
        env.put("AWS_SECRET_ACCESS_KEY", c.secretAccessKey());
        env.put("AWS_SESSION_TOKEN", c.sessionToken());
        return new Credentials(env, Optional.of(c.expiration()));
    }

    private String token() {
        String token;
        try {
            token = checkNotNull(webIdentity).get();
        } catch (RuntimeException e) {
            throw new PipewrightException("AssumeRoleWithWebIdentity needs an OIDC token, but " + webIdentitySource
                    + " could not be read: " + e.getMessage(), e);
        }
        if (token == null || token.isBlank()) {
            throw new PipewrightException("AssumeRoleWithWebIdentity needs an OIDC token, but " + webIdentitySource
                    + " is empty. On CircleCI, run the job in a context so that CIRCLE_OIDC_TOKEN_V2 is set.");
        }
        return token.strip();
    }

    private static PipewrightException failure(String operation, String target, AwsServiceException e) {
        String code = e.awsErrorDetails() == null ? "unknown" : e.awsErrorDetails().errorCode();
        String message = e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage();
        boolean web = operation.equals("AssumeRoleWithWebIdentity");
        String hint = switch (code == null ? "" : code) {
            case "AccessDenied" -> " Check that the role's trust policy lets the caller assume it"
                    + (web ? " (its conditions on the token's aud and sub claims)" : " (and the external id, if any),"
                    + " and that the caller may call sts:" + operation) + ".";
            case "ExpiredToken", "ExpiredTokenException", "InvalidClientTokenId" -> web
                    ? " The OIDC token has expired: tokens last an hour; rerun the job."
                    : " The base credentials are expired or invalid: refresh them (for example aws sso login).";
            case "InvalidIdentityToken", "IDPRejectedClaim" -> " Check the role's OIDC identity provider and its"
                    + " trust policy conditions on the token's claims.";
            case "Throttling", "ThrottlingException" -> " STS kept throttling after the retries; try again later.";
            default -> "";
        };
        return new PipewrightException(operation + " of " + target + " failed: " + code + " (" + e.statusCode()
                + "): " + message + "." + hint, e);
    }

    @Override
    public String toString() {
        return "STS " + (webIdentity == null ? "AssumeRole" : "AssumeRoleWithWebIdentity (" + webIdentitySource + ")");
    }

    private record CacheKey(String runId, String role, String stage) { }

    private static final class Entry {
        // Written under the entry's lock; read without it by the eviction of expired entries.
        volatile @Nullable Credentials credentials;

        boolean expired(Instant now) {
            Credentials credentials = this.credentials;
            return credentials != null && credentials.expiresAt().map(e -> !e.isAfter(now)).orElse(false);
        }
    }

    /**
     * Builds {@link StsCredentials}. Not thread-safe.
     *
     * @since 0.1
     */
    public static final class Builder {
        private @Nullable Supplier<StsClient> sts;
        private final Map<String, AwsRole> roles = new LinkedHashMap<>();
        private @Nullable Supplier<String> webIdentity;
        private @Nullable String webIdentitySource;
        private Clock clock = Clock.systemUTC();
        private Duration margin = Duration.ofMinutes(5);

        private Builder() { }

        /**
         * The STS client: its credentials are the base credentials AssumeRole uses (not used by
         * AssumeRoleWithWebIdentity, which is unsigned). Its retry strategy applies; the SDK's
         * standard one retries throttling and 5xx errors.
         */
        @CanIgnoreReturnValue
        public Builder sts(StsClient sts) {
            checkNotNull(sts, "sts");
            this.sts = () -> sts;
            return this;
        }

        /** An STS client made on first use, so that nothing is built for runs without AWS roles. */
        @CanIgnoreReturnValue
        Builder sts(Supplier<StsClient> sts) {
            this.sts = checkNotNull(sts, "sts");
            return this;
        }

        /** How to assume pipeline role {@link AwsRole#name()}; replaces an earlier one of that name. */
        @CanIgnoreReturnValue
        public Builder role(AwsRole role) {
            checkNotNull(role, "role");
            roles.put(role.name(), role);
            return this;
        }

        /**
         * Assumes roles with AssumeRoleWithWebIdentity, with the OIDC token {@code token} gives
         * (read for every session, since tokens expire); {@code source} names it in messages.
         */
        @CanIgnoreReturnValue
        public Builder webIdentity(Supplier<String> token, String source) {
            this.webIdentity = checkNotNull(token, "token");
            this.webIdentitySource = checkNotNull(source, "source");
            return this;
        }

        /** Assumes roles with AssumeRoleWithWebIdentity, reading the OIDC token from {@code file} each time. */
        @CanIgnoreReturnValue
        public Builder webIdentityTokenFile(Path file) {
            checkNotNull(file, "file");
            return webIdentity(() -> {
                try {
                    return Files.readString(file, StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, "the token file " + file);
        }

        /**
         * Assumes roles with AssumeRoleWithWebIdentity, with CircleCI's OIDC token from
         * {@code environment}: {@code CIRCLE_OIDC_TOKEN_V2}, else {@code CIRCLE_OIDC_TOKEN}.
         *
         * @throws IllegalArgumentException if neither is set
         */
        @CanIgnoreReturnValue
        public Builder circleCiOidc(Map<String, String> environment) {
            checkNotNull(environment, "environment");
            for (String name : CIRCLECI_TOKENS) {
                String token = environment.get(name);
                if (token != null && !token.isBlank()) {
                    return webIdentity(() -> token, "$" + name);
                }
            }
            throw new IllegalArgumentException("Neither CIRCLE_OIDC_TOKEN_V2 nor CIRCLE_OIDC_TOKEN is set: run the"
                    + " CircleCI job in a context, which gives it an OIDC token.");
        }

        /** The clock deciding when cached credentials are too close to expiry; the system clock by default. */
        @CanIgnoreReturnValue
        public Builder clock(Clock clock) {
            this.clock = checkNotNull(clock, "clock");
            return this;
        }

        /**
         * How long before expiry cached credentials are replaced; five minutes by default, less
         * than STS's shortest session (15 minutes).
         */
        @CanIgnoreReturnValue
        public Builder refreshMargin(Duration margin) {
            checkNotNull(margin, "margin");
            checkArgument(!margin.isNegative() && margin.compareTo(Duration.ofMinutes(15)) < 0,
                    "the refresh margin must lie in [0, 15 min) but was %s", margin);
            this.margin = margin;
            return this;
        }

        /**
         * The provider.
         *
         * @throws IllegalStateException if no STS client was given
         */
        public StsCredentials build() {
            if (sts == null) {
                throw new IllegalStateException("StsCredentials needs an STS client: builder().sts(StsClient)");
            }
            return new StsCredentials(this);
        }
    }
}
