package dev.pipewright.aws;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;
import software.amazon.awssdk.services.sts.model.AssumeRoleWithWebIdentityResponse;
import software.amazon.awssdk.services.sts.model.AssumedRoleUser;
import software.amazon.awssdk.services.sts.model.Credentials;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The sandbox's STS: AssumeRole, AssumeRoleWithWebIdentity and GetCallerIdentity, and the
 * keeper of every credential the sandbox accepts. Requests to any fake service must be signed
 * with the sandbox's own credentials or with a session this STS issued and that has not
 * expired (by the sandbox's clock); anything else gets the service's
 * {@code InvalidClientTokenId}/{@code UnrecognizedClientException} or
 * {@code ExpiredToken}/{@code ExpiredTokenException}.
 *
 * <p>Requests are checked as STS checks them: RoleArn and RoleSessionName are required, the
 * session name matches {@code [\w+=,.@-]*} with 2 to 64 characters, DurationSeconds lies in
 * 900..43200 and within the role's maximum session duration (one hour unless {@link
 * #maxSessionDuration} says otherwise), at most one hour when the caller is itself a role
 * session (role chaining), the session policy is JSON of at most 2048 characters; violations
 * are answered with {@code ValidationError} or {@code MalformedPolicyDocument}.
 *
 * <pre>{@code
 * sandbox.sts().maxSessionDuration(deployerArn, Duration.ofHours(2)).denyAssume(adminArn);
 * // ... run the code under test ...
 * assertThat(sandbox.sts().assumedRoles()).extracting(AssumedRole::roleArn).containsExactly(deployerArn);
 * }</pre>
 *
 * <p>Thread-safe.
 *
 * @since 0.1
 */
public final class FakeSts {
    static final String NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/";
    private static final Set<String> OPERATIONS = Set.of("AssumeRole", "AssumeRoleWithWebIdentity", "GetCallerIdentity");
    private static final Pattern ROLE_ARN = Pattern.compile("arn:aws[a-z-]*:iam::(\\d{12}):role/(?:[\\w+=,.@-]+/)*([\\w+=,.@-]+)");
    private static final Pattern SESSION_NAME = Pattern.compile("[\\w+=,.@-]*");
    private static final Pattern EXTERNAL_ID = Pattern.compile("[\\w+=,.@:/-]*");
    private static final Pattern TAG_KEY = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+");
    private static final Duration CHAINED_LIMIT = Duration.ofHours(1);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String account;
    private final Clock clock;
    private final String region;
    private final String baseAccessKeyId;
    private final String baseSecretAccessKey;
    private final Map<String, Session> sessions = new HashMap<>(); // guarded by this
    private final Map<String, Duration> maxDurations = new HashMap<>(); // guarded by this
    private final Map<String, String> externalIds = new HashMap<>(); // guarded by this
    private final Set<String> denied = new HashSet<>(); // guarded by this
    private final List<AssumedRole> assumed = new ArrayList<>(); // guarded by this

    FakeSts(String account, String region, Clock clock) {
        this.account = account;
        this.region = region;
        this.clock = clock;
        this.baseAccessKeyId = "AKIA" + randomKeyChars(16);
        this.baseSecretAccessKey = randomSecret(40);
    }

    /**
     * A role assumed through this STS, as it was asked for and what it issued.
     *
     * @param operation {@code AssumeRole} or {@code AssumeRoleWithWebIdentity}
     * @param roleArn the role
     * @param sessionName the RoleSessionName
     * @param duration the session's duration (DurationSeconds, one hour if not given)
     * @param policy the session policy, as sent
     * @param externalId the ExternalId, as sent
     * @param tags the session tags, in the order sent
     * @param accessKeyId the access key issued
     * @param expiration when the credentials issued expire
     * @param chained whether the caller was itself a role session (role chaining)
     * @since 0.1
     */
    public record AssumedRole(String operation, String roleArn, String sessionName, Duration duration,
            Optional<String> policy, Optional<String> externalId, Map<String, String> tags, String accessKeyId,
            Instant expiration, boolean chained) {
        /** Copies the tags. */
        public AssumedRole {
            tags = ImmutableMap.copyOf(tags);
        }
    }

    /** Every role assumed so far, oldest first. */
    public synchronized List<AssumedRole> assumedRoles() {
        return ImmutableList.copyOf(assumed);
    }

    /**
     * Sets the longest session {@code roleArn} allows (IAM's MaxSessionDuration, one hour by
     * default): from one to twelve hours.
     *
     * @return this
     * @throws IllegalArgumentException if {@code max} is outside one to twelve hours
     */
    public synchronized FakeSts maxSessionDuration(String roleArn, Duration max) {
        checkNotNull(roleArn, "roleArn");
        checkNotNull(max, "max");
        checkArgument(max.compareTo(Duration.ofHours(1)) >= 0 && max.compareTo(Duration.ofHours(12)) <= 0,
                "a role's maximum session duration lies between 1 and 12 hours but was %s", max);
        maxDurations.put(roleArn, max);
        return this;
    }

    /**
     * Makes {@code roleArn}'s trust policy refuse every caller: assuming it is answered with
     * {@code AccessDenied} (403).
     *
     * @return this
     */
    public synchronized FakeSts denyAssume(String roleArn) {
        denied.add(checkNotNull(roleArn, "roleArn"));
        return this;
    }

    /**
     * Makes {@code roleArn}'s trust policy require {@code externalId}: AssumeRole without it, or
     * with another, is answered with {@code AccessDenied}.
     *
     * @return this
     */
    public synchronized FakeSts requireExternalId(String roleArn, String externalId) {
        externalIds.put(checkNotNull(roleArn, "roleArn"), checkNotNull(externalId, "externalId"));
        return this;
    }

    /**
     * Ends every session issued so far, as if its time were up: requests signed with it are
     * answered with {@code ExpiredToken}. Sessions issued later are not affected.
     */
    public synchronized void expireSessions() {
        Instant now = clock.instant();
        sessions.replaceAll((k, s) -> s.expiration.isAfter(now) ? s.expiredAt(now) : s);
    }

    String baseAccessKeyId() {
        return baseAccessKeyId;
    }

    String baseSecretAccessKey() {
        return baseSecretAccessKey;
    }

    SandboxService service() {
        return new Handler();
    }

    // ------------------------------------------------------------------ authentication

    /**
     * Who signed {@code request}, for {@code service}.
     *
     * @throws SandboxError as {@code service} answers unknown, mis-scoped or expired credentials
     */
    synchronized SandboxPrincipal authenticate(AwsSandbox.Service service, SandboxRequest request) {
        boolean json = service == AwsSandbox.Service.LAMBDA || service == AwsSandbox.Service.SYNTHETICS;
        Optional<String> key = request.accessKeyId();
        if (key.isEmpty()) {
            throw SandboxError.client(403, json ? "MissingAuthenticationTokenException" : "MissingAuthenticationToken",
                    "Request is missing Authentication Token");
        }
        String scoped = request.signingRegion().orElse("");
        if (!scoped.equals(region)) {
            throw SandboxError.client(403, json ? "InvalidSignatureException" : "SignatureDoesNotMatch",
                    "Credential should be scoped to a valid region, not '" + scoped + "'. The sandbox serves '"
                            + region + "'.");
        }
        if (key.get().equals(baseAccessKeyId)) {
            if (request.header("x-amz-security-token").isPresent()) {
                throw invalid(json);
            }
            return new SandboxPrincipal(baseAccessKeyId, "arn:aws:iam::" + account + ":user/sandbox",
                    "AIDASANDBOXUSER00001", false);
        }
        Session session = sessions.get(key.get());
        if (session == null || !request.header("x-amz-security-token").orElse("").equals(session.token)) {
            throw invalid(json);
        }
        if (!clock.instant().isBefore(session.expiration)) {
            throw SandboxError.client(json ? 403 : 400, json ? "ExpiredTokenException" : "ExpiredToken",
                    "The security token included in the request is expired");
        }
        return new SandboxPrincipal(session.accessKeyId, session.arn, session.userId, true);
    }

    private static SandboxError invalid(boolean json) {
        return SandboxError.client(403, json ? "UnrecognizedClientException" : "InvalidClientTokenId",
                "The security token included in the request is invalid.");
    }

    // ------------------------------------------------------------------ operations

    private final class Handler extends SandboxService {
        Handler() {
            super(AwsSandbox.Service.STS, SandboxProtocol.QUERY, NAMESPACE, OPERATIONS);
        }

        @Override
        String operation(SandboxRequest request) {
            return queryAction(request, "2011-06-15");
        }

        @Override
        boolean signed(String operation) {
            return !operation.equals("AssumeRoleWithWebIdentity");
        }

        @Override
        SandboxResponse handle(String operation, SandboxRequest request, @Nullable SandboxPrincipal caller,
                String requestId) {
            Map<String, String> form = request.form();
            return switch (operation) {
                case "AssumeRole" -> SandboxProtocol.QUERY.result(200, operation, NAMESPACE,
                        assumeRole(form, checkNotNull(caller)), requestId);
                case "AssumeRoleWithWebIdentity" -> SandboxProtocol.QUERY.result(200, operation, NAMESPACE,
                        assumeRoleWithWebIdentity(form), requestId);
                default -> SandboxProtocol.QUERY.result(200, operation, NAMESPACE,
                        GetCallerIdentityResponse.builder().account(account).arn(checkNotNull(caller).arn())
                                .userId(caller.userId()).build(), requestId);
            };
        }
    }

    private AssumeRoleResponse assumeRole(Map<String, String> form, SandboxPrincipal caller) {
        SandboxValidation v = new SandboxValidation();
        Request r = common(form, v);
        String externalId = form.get("ExternalId");
        v.length("externalId", externalId, 2, 1224);
        v.pattern("externalId", externalId, EXTERNAL_ID);
        String sourceIdentity = form.get("SourceIdentity");
        v.length("sourceIdentity", sourceIdentity, 2, 64);
        v.pattern("sourceIdentity", sourceIdentity, SESSION_NAME);
        Map<String, String> tags = tags(form, v);
        v.throwIfAny(400, "ValidationError");
        synchronized (this) {
            checkRole(r, caller.arn(), "sts:AssumeRole");
            String required = externalIds.get(r.roleArn);
            if (required != null && !required.equals(externalId)) {
                throw SandboxError.client(403, "AccessDenied", "User: " + caller.arn() + " is not authorized to perform:"
                        + " sts:AssumeRole on resource: " + r.roleArn);
            }
            if (caller.roleSession() && r.duration.compareTo(CHAINED_LIMIT) > 0) {
                throw SandboxError.client(400, "ValidationError", "The requested DurationSeconds exceeds the 1 hour"
                        + " session limit for roles assumed by role chaining.");
            }
            Session session = issue(r);
            assumed.add(new AssumedRole("AssumeRole", r.roleArn, r.sessionName, r.duration, Optional.ofNullable(r.policy),
                    Optional.ofNullable(externalId), tags, session.accessKeyId, session.expiration, caller.roleSession()));
            return AssumeRoleResponse.builder()
                    .credentials(session.credentials())
                    .assumedRoleUser(AssumedRoleUser.builder().assumedRoleId(session.userId).arn(session.arn).build())
                    .sourceIdentity(sourceIdentity)
                    .build();
        }
    }

    private AssumeRoleWithWebIdentityResponse assumeRoleWithWebIdentity(Map<String, String> form) {
        SandboxValidation v = new SandboxValidation();
        Request r = common(form, v);
        String token = form.get("WebIdentityToken");
        if (v.required("webIdentityToken", token)) {
            v.length("webIdentityToken", token, 4, 20000);
        }
        String providerId = form.get("ProviderId");
        v.length("providerId", providerId, 4, 2048);
        v.throwIfAny(400, "ValidationError");
        JsonNode claims = claims(checkNotNull(token));
        synchronized (this) {
            checkRole(r, "arn:aws:sts::" + account + ":assumed-role-with-web-identity", "sts:AssumeRoleWithWebIdentity");
            Session session = issue(r);
            assumed.add(new AssumedRole("AssumeRoleWithWebIdentity", r.roleArn, r.sessionName, r.duration,
                    Optional.ofNullable(r.policy), Optional.empty(), Map.of(), session.accessKeyId, session.expiration,
                    false));
            String issuer = claims.path("iss").asString("");
            return AssumeRoleWithWebIdentityResponse.builder()
                    .credentials(session.credentials())
                    .assumedRoleUser(AssumedRoleUser.builder().assumedRoleId(session.userId).arn(session.arn).build())
                    .subjectFromWebIdentityToken(claims.path("sub").asString(""))
                    .audience(claims.path("aud").isArray() ? claims.path("aud").path(0).asString("")
                            : claims.path("aud").asString(""))
                    .provider(providerId != null ? providerId : issuer.replaceFirst("^https://", ""))
                    .build();
        }
    }

    /** What AssumeRole and AssumeRoleWithWebIdentity share. */
    private record Request(String roleArn, String roleName, String sessionName, Duration duration, @Nullable String policy) { }

    private Request common(Map<String, String> form, SandboxValidation v) {
        String roleArn = form.get("RoleArn");
        if (v.required("roleArn", roleArn)) {
            v.length("roleArn", roleArn, 20, 2048);
        }
        String sessionName = form.get("RoleSessionName");
        if (v.required("roleSessionName", sessionName)) {
            v.length("roleSessionName", sessionName, 2, 64);
            v.pattern("roleSessionName", sessionName, SESSION_NAME);
        }
        Long seconds = null;
        String duration = form.get("DurationSeconds");
        if (duration != null) {
            try {
                seconds = Long.parseLong(duration);
                v.range("durationSeconds", seconds, 900, 43200);
            } catch (NumberFormatException e) {
                v.add("Value '" + duration + "' at 'durationSeconds' failed to satisfy constraint: Member must be a number");
            }
        }
        String policy = form.get("Policy");
        v.length("policy", policy, 1, 2048);
        for (int i = 1; form.containsKey("PolicyArns.member." + i + ".arn"); i++) {
            v.length("policyArns." + i + ".arn", form.get("PolicyArns.member." + i + ".arn"), 20, 2048);
        }
        v.throwIfAny(400, "ValidationError");
        var m = ROLE_ARN.matcher(checkNotNull(roleArn));
        if (!m.matches()) {
            throw SandboxError.client(400, "ValidationError", "Value '" + roleArn + "' at 'roleArn' is not a valid IAM"
                    + " role ARN (arn:aws:iam::<12-digit account>:role/<name>)");
        }
        if (policy != null) {
            try {
                JsonNode parsed = JSON.readTree(policy);
                if (!parsed.isObject() || !parsed.has("Statement")) {
                    throw SandboxError.client(400, "MalformedPolicyDocument", "Syntax errors in policy: the policy"
                            + " must be a JSON object with a Statement.");
                }
            } catch (JacksonException e) {
                throw SandboxError.client(400, "MalformedPolicyDocument", "The policy is not in the valid JSON format.");
            }
        }
        return new Request(roleArn, m.group(2), checkNotNull(sessionName),
                Duration.ofSeconds(seconds == null ? 3600 : seconds), policy);
    }

    private static Map<String, String> tags(Map<String, String> form, SandboxValidation v) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (int i = 1; form.containsKey("Tags.member." + i + ".Key"); i++) {
            String key = form.get("Tags.member." + i + ".Key");
            String value = form.getOrDefault("Tags.member." + i + ".Value", "");
            v.length("tags." + i + ".member.key", key, 1, 128);
            v.pattern("tags." + i + ".member.key", key, TAG_KEY);
            v.length("tags." + i + ".member.value", value, 0, 256);
            if (tags.put(key, value) != null) {
                v.add("Duplicate tag key '" + key + "': session tag keys must be unique");
            }
        }
        if (tags.size() > 50) {
            v.add("Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50");
        }
        return tags;
    }

    private void checkRole(Request r, String callerArn, String action) {
        if (denied.contains(r.roleArn)) {
            throw SandboxError.client(403, "AccessDenied", "User: " + callerArn + " is not authorized to perform: "
                    + action + " on resource: " + r.roleArn);
        }
        Duration max = maxDurations.getOrDefault(r.roleArn, Duration.ofHours(1));
        if (r.duration.compareTo(max) > 0) {
            throw SandboxError.client(400, "ValidationError", "The requested DurationSeconds exceeds the"
                    + " MaxSessionDuration set for this role.");
        }
    }

    private Session issue(Request r) {
        String accessKeyId = "ASIA" + randomKeyChars(16);
        Instant expiration = clock.instant().plus(r.duration).truncatedTo(ChronoUnit.SECONDS);
        String roleId = "AROA" + randomKeyChars(17);
        Session session = new Session(accessKeyId, randomSecret(40), "IQoJb3JpZ2luX2VjE" + randomSecret(300),
                expiration, "arn:aws:sts::" + account + ":assumed-role/" + r.roleName + "/" + r.sessionName,
                roleId + ":" + r.sessionName);
        sessions.put(accessKeyId, session);
        return session;
    }

    private static JsonNode claims(String token) {
        String[] parts = token.split("\\.");
        if (parts.length != 3) {
            throw SandboxError.client(400, "InvalidIdentityToken", "The ID Token provided is not a valid JWT:"
                    + " it must have three dot-separated parts.");
        }
        try {
            return JSON.readTree(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException | JacksonException e) {
            throw SandboxError.client(400, "InvalidIdentityToken", "The ID Token provided is not a valid JWT: its"
                    + " payload is not base64url-encoded JSON.");
        }
    }

    private static final class Session {
        final String accessKeyId;
        final String secret;
        final String token;
        final Instant expiration;
        final String arn;
        final String userId;

        Session(String accessKeyId, String secret, String token, Instant expiration, String arn, String userId) {
            this.accessKeyId = accessKeyId;
            this.secret = secret;
            this.token = token;
            this.expiration = expiration;
            this.arn = arn;
            this.userId = userId;
        }

        Session expiredAt(Instant now) {
            return new Session(accessKeyId, secret, token, now, arn, userId);
        }

        Credentials credentials() {
            return Credentials.builder().accessKeyId(accessKeyId).secretAccessKey(secret).sessionToken(token)
                    .expiration(expiration).build();
        }
    }

    private static final String KEY_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final String SECRET_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    private static String randomKeyChars(int n) {
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append(KEY_CHARS.charAt(RANDOM.nextInt(KEY_CHARS.length())));
        }
        return b.toString();
    }

    private static String randomSecret(int n) {
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append(SECRET_CHARS.charAt(RANDOM.nextInt(SECRET_CHARS.length())));
        }
        return b.toString();
    }
}
