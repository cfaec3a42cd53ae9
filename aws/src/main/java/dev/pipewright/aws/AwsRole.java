package dev.pipewright.aws;

import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.hash.Hashing;
import com.google.errorprone.annotations.CanIgnoreReturnValue;
import dev.pipewright.InvalidPipelineException;
import dev.pipewright.Permission;
import dev.pipewright.Problem;
import dev.pipewright.Role;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * How a pipeline {@link Role} is assumed through AWS STS: the IAM role's ARN, the session policy
 * that narrows what the session may do, an external id, the session's name and tags, and the
 * longest session the role allows.
 *
 * <h2>From a pipeline role</h2>
 *
 * A core {@code Role} says what to assume and what it may do; {@link #of(Role)} reads its
 * {@link Role#assumes()} as the IAM role ARN and turns its {@link Role#grants()} into the session
 * policy (one {@code Allow} statement per group of actions on the same resources), so a stage's
 * credentials can do no more than its role grants, even when the IAM role could:
 *
 * <pre>{@code
 * Role deployer = Role.named("deploy-production")
 *     .assumes("arn:aws:iam::123456789012:role/housing-api-deploy")
 *     .grant("lambda:UpdateFunctionCode", "arn:aws:lambda:eu-west-2:123456789012:function:housing-api")
 *     .build();
 *
 * StsCredentials credentials = StsCredentials.builder()
 *     .sts(stsClient)
 *     .role(AwsRole.builder(deployer)          // options the core role cannot express
 *         .externalId("housing-api")
 *         .putSessionTag("team", "housing")
 *         .maxSessionDuration(Duration.ofHours(2))
 *         .build())
 *     .build();
 * }</pre>
 *
 * Roles the provider has no {@code AwsRole} for are assumed as {@code AwsRole.of(role)}.
 *
 * <h2>Session duration</h2>
 *
 * {@link #sessionDuration(Duration)}: the shortest that covers what the stage still needs (its
 * timeout), within STS's limits: at least 900 seconds, at most the role's
 * {@link Builder#maxSessionDuration maximum} (IAM's MaxSessionDuration, one hour by default), and
 * at most one hour for a {@link Builder#chained() chained} role (assumed from another role's
 * session, which STS limits to an hour).
 *
 * <h2>Session name</h2>
 *
 * Unless {@link Builder#sessionName given}, {@code <pipeline>.<stage>.<run id>}, with characters
 * STS refuses replaced by {@code -} and shortened to 64 characters (the pipeline and stage part
 * then ends with a hash of the whole), so CloudTrail shows which run and stage acted.
 *
 * <p>Immutable and thread-safe; equal when all values are.
 *
 * @since 0.1
 */
public final class AwsRole {
    static final Pattern ROLE_ARN = Pattern.compile("arn:aws[a-z-]*:iam::\\d{12}:role/(?:[\\w+=,.@-]+/)*[\\w+=,.@-]+");
    private static final Pattern SESSION_NAME = Pattern.compile("[\\w+=,.@-]{2,64}");
    private static final Pattern EXTERNAL_ID = Pattern.compile("[\\w+=,.@:/-]{2,1224}");
    private static final Pattern TAG_KEY = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]{1,128}");
    private static final Pattern TAG_VALUE = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]{0,256}");
    private static final Pattern NOT_SESSION_CHAR = Pattern.compile("[^\\w+=,.@-]");
    private static final Duration MIN_SESSION = Duration.ofSeconds(900);
    private static final Duration ONE_HOUR = Duration.ofHours(1);
    private static final Duration TWELVE_HOURS = Duration.ofHours(12);
    private static final int MAX_POLICY = 2048;
    private static final Set<String> POLICY_KEYS = Set.of("Version", "Id", "Statement");
    private static final Set<String> STATEMENT_KEYS = Set.of("Sid", "Effect", "Action", "NotAction", "Resource",
            "NotResource", "Condition", "Principal", "NotPrincipal");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String name;
    private final String roleArn;
    private final Optional<String> sessionPolicy;
    private final Optional<String> externalId;
    private final Optional<String> sessionName;
    private final Map<String, String> sessionTags;
    private final Duration maxSessionDuration;
    private final boolean chained;

    private AwsRole(Builder b, Optional<String> sessionPolicy) {
        this.name = b.name;
        this.roleArn = checkNotNull(b.roleArn);
        this.sessionPolicy = sessionPolicy;
        this.externalId = Optional.ofNullable(b.externalId);
        this.sessionName = Optional.ofNullable(b.sessionName);
        this.sessionTags = ImmutableMap.copyOf(b.sessionTags);
        this.maxSessionDuration = b.maxSessionDuration;
        this.chained = b.chained;
    }

    /**
     * The AWS side of {@code role}: its {@link Role#assumes()} as the role ARN, its grants as the
     * session policy, and the defaults for everything else.
     *
     * @throws InvalidPipelineException if the role assumes nothing or not an IAM role ARN, or its
     *     grants make a session policy longer than STS accepts
     */
    public static AwsRole of(Role role) {
        return builder(role).build();
    }

    /** A builder holding what {@link #of(Role)} reads from {@code role}, to add AWS options to. */
    public static Builder builder(Role role) {
        checkNotNull(role, "role");
        Builder b = new Builder(role.name());
        role.assumes().ifPresent(b::roleArn);
        Map<String, List<String>> actionsByResource = new LinkedHashMap<>();
        for (Permission p : role.grants()) {
            List<String> actions = actionsByResource.computeIfAbsent(p.resource(), k -> new ArrayList<>());
            if (!actions.contains(p.action())) {
                actions.add(p.action());
            }
        }
        // Resources sharing the same actions make one statement: shorter policies stay under STS's limit.
        Map<List<String>, List<String>> resourcesByActions = new LinkedHashMap<>();
        actionsByResource.forEach((resource, actions) ->
                resourcesByActions.computeIfAbsent(actions, k -> new ArrayList<>()).add(resource));
        resourcesByActions.forEach(b::allow);
        return b;
    }

    /** A builder for the AWS role used for pipeline role {@code name}; give its ARN with {@link Builder#roleArn}. */
    public static Builder named(String name) {
        return new Builder(checkNotNull(name, "name"));
    }

    /** A builder holding this role's values. */
    public Builder toBuilder() {
        Builder b = new Builder(name);
        b.roleArn = roleArn;
        sessionPolicy.ifPresent(p -> b.policyJson = p);
        b.externalId = externalId.orElse(null);
        b.sessionName = sessionName.orElse(null);
        b.sessionTags.putAll(sessionTags);
        b.maxSessionDuration = maxSessionDuration;
        b.chained = chained;
        return b;
    }

    /** The name of the pipeline role this applies to. */
    public String name() {
        return name;
    }

    /** The IAM role's ARN. */
    public String roleArn() {
        return roleArn;
    }

    /** The session policy, compact JSON of at most 2048 characters; empty if none. */
    public Optional<String> sessionPolicy() {
        return sessionPolicy;
    }

    /** The external id the role's trust policy requires, if any. */
    public Optional<String> externalId() {
        return externalId;
    }

    /** The fixed session name, if one was given; otherwise one is derived per stage. */
    public Optional<String> sessionName() {
        return sessionName;
    }

    /** The session tags, in the order given. */
    public Map<String, String> sessionTags() {
        return sessionTags;
    }

    /** The longest session the role allows (IAM's MaxSessionDuration). */
    public Duration maxSessionDuration() {
        return maxSessionDuration;
    }

    /** Whether the role is assumed from another role's session, so sessions last at most an hour. */
    public boolean chained() {
        return chained;
    }

    /**
     * The session duration to ask for when a stage still needs {@code needed}: the shortest that
     * covers it, rounded up to whole seconds, and at least 900 seconds, at most the role's
     * maximum, at most one hour when chained.
     */
    public Duration sessionDuration(Duration needed) {
        return sessionDuration(needed, chained);
    }

    /** As {@link #sessionDuration(Duration)}, chained when this role or the caller is. */
    Duration sessionDuration(Duration needed, boolean chainedCaller) {
        checkNotNull(needed, "needed");
        Duration max = chainedCaller && maxSessionDuration.compareTo(ONE_HOUR) > 0 ? ONE_HOUR : maxSessionDuration;
        long seconds = needed.getSeconds() + (needed.getNano() > 0 ? 1 : 0);
        Duration covering = Duration.ofSeconds(Math.max(seconds, 0));
        if (covering.compareTo(MIN_SESSION) < 0) {
            return MIN_SESSION;
        }
        return covering.compareTo(max) > 0 ? max : covering;
    }

    /**
     * The session name for a stage: the fixed one if given, else
     * {@code <pipeline>.<stage>.<run id>} made valid for STS ({@code [\w+=,.@-]}, at most 64
     * characters).
     */
    public String sessionName(String pipeline, String stage, String runId) {
        if (sessionName.isPresent()) {
            return sessionName.get();
        }
        return derivedSessionName(pipeline, stage, runId);
    }

    static String derivedSessionName(String pipeline, String stage, String runId) {
        String run = clean(runId);
        if (run.length() > 24) {
            run = run.substring(run.length() - 24);
        }
        String p = clean(pipeline);
        String s = clean(stage);
        String head = p + "." + s;
        int room = 64 - 1 - run.length();
        if (head.length() > room) {
            // Both names shortened, the shorter keeping what it can; the hash keeps distinct stages distinct.
            String hash = Hashing.sha256().hashString(head, StandardCharsets.UTF_8).toString().substring(0, 8);
            int budget = room - 1 - hash.length() - 1;
            int forStage = Math.min(s.length(), Math.max(budget / 2, budget - p.length()));
            int forPipeline = Math.min(p.length(), budget - forStage);
            head = p.substring(0, forPipeline) + "." + s.substring(0, forStage) + "-" + hash;
        }
        String name = head + "." + run;
        return name.length() >= 2 ? name : name + "--";
    }

    private static String clean(String text) {
        return NOT_SESSION_CHAR.matcher(text).replaceAll("-");
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof AwsRole r && name.equals(r.name) && roleArn.equals(r.roleArn)
                && sessionPolicy.equals(r.sessionPolicy) && externalId.equals(r.externalId)
                && sessionName.equals(r.sessionName) && sessionTags.equals(r.sessionTags)
                && maxSessionDuration.equals(r.maxSessionDuration) && chained == r.chained;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, roleArn, sessionPolicy, externalId, sessionName, sessionTags, maxSessionDuration,
                chained);
    }

    @Override
    public String toString() {
        return "AWS role '" + name + "' (" + roleArn + ")";
    }

    /**
     * Builds an {@link AwsRole}; {@link #build()} checks everything and reports every problem at
     * once. Not thread-safe.
     *
     * @since 0.1
     */
    public static final class Builder {
        private final String name;
        private @Nullable String roleArn;
        private final List<Statement> statements = new ArrayList<>();
        private @Nullable String policyJson;
        private @Nullable String externalId;
        private @Nullable String sessionName;
        private final Map<String, String> sessionTags = new LinkedHashMap<>();
        private Duration maxSessionDuration = ONE_HOUR;
        private boolean chained;
        private final List<Problem> problems = new ArrayList<>();

        private Builder(String name) {
            this.name = name;
        }

        private record Statement(List<String> actions, List<String> resources) { }

        /** The IAM role to assume, {@code arn:aws:iam::<account>:role/<name>}. */
        @CanIgnoreReturnValue
        public Builder roleArn(String arn) {
            this.roleArn = checkNotNull(arn, "arn");
            return this;
        }

        /**
         * Adds a session-policy statement allowing {@code actions} on {@code resources}; replaces
         * a policy given as JSON.
         */
        @CanIgnoreReturnValue
        public Builder allow(List<String> actions, List<String> resources) {
            checkNotNull(actions, "actions");
            checkNotNull(resources, "resources");
            policyJson = null;
            statements.add(new Statement(ImmutableList.copyOf(actions), ImmutableList.copyOf(resources)));
            return this;
        }

        /**
         * The session policy as IAM policy JSON; replaces statements added with {@link #allow}.
         * Checked by {@link #build()}: valid JSON with a Statement whose entries have an Effect,
         * an Action and a Resource, at most 2048 characters once compacted.
         */
        @CanIgnoreReturnValue
        public Builder sessionPolicy(String json) {
            this.policyJson = checkNotNull(json, "json");
            statements.clear();
            return this;
        }

        /** The external id the role's trust policy requires. */
        @CanIgnoreReturnValue
        public Builder externalId(String externalId) {
            this.externalId = checkNotNull(externalId, "externalId");
            return this;
        }

        /** A fixed session name instead of one derived per stage; 2 to 64 of {@code [\w+=,.@-]}. */
        @CanIgnoreReturnValue
        public Builder sessionName(String sessionName) {
            this.sessionName = checkNotNull(sessionName, "sessionName");
            return this;
        }

        /** Adds session tag {@code key=value} (the role's trust policy must allow {@code sts:TagSession}). */
        @CanIgnoreReturnValue
        public Builder putSessionTag(String key, String value) {
            sessionTags.put(checkNotNull(key, "key"), checkNotNull(value, "value"));
            return this;
        }

        /** The role's MaxSessionDuration in IAM, from one to twelve hours; one hour by default. */
        @CanIgnoreReturnValue
        public Builder maxSessionDuration(Duration max) {
            this.maxSessionDuration = checkNotNull(max, "max");
            return this;
        }

        /** Marks the role as assumed from another role's session: sessions last at most an hour. */
        @CanIgnoreReturnValue
        public Builder chained() {
            this.chained = true;
            return this;
        }

        /**
         * The AWS role.
         *
         * @throws InvalidPipelineException listing every problem: a missing or malformed role ARN,
         *     an invalid session policy, external id, session name or tag, a maximum outside one
         *     to twelve hours
         */
        public AwsRole build() {
            List<Problem> all = new ArrayList<>(problems);
            String where = "role '" + name + "'";
            if (roleArn == null) {
                all.add(new Problem(where + " > assumes", "no IAM role ARN was given.",
                        "Give the role to assume: Role.named(...).assumes(\"arn:aws:iam::<account>:role/<name>\")."));
            } else if (!ROLE_ARN.matcher(roleArn).matches()) {
                all.add(new Problem(where + " > assumes", "'" + roleArn + "' is not an IAM role ARN.",
                        "Use arn:aws:iam::<12-digit account>:role/<name>."));
            }
            Optional<String> policy = policy(where, all);
            if (externalId != null && !EXTERNAL_ID.matcher(externalId).matches()) {
                all.add(new Problem(where + " > externalId", "'" + externalId + "' is not a valid external id.",
                        "Use 2 to 1224 characters of letters, digits and +=,.@:/-"));
            }
            if (sessionName != null && !SESSION_NAME.matcher(sessionName).matches()) {
                all.add(new Problem(where + " > sessionName", "'" + sessionName + "' is not a valid session name.",
                        "Use 2 to 64 characters of letters, digits and _+=,.@-"));
            }
            if (sessionTags.size() > 50) {
                all.add(new Problem(where + " > sessionTags", sessionTags.size() + " session tags were given.",
                        "STS takes at most 50."));
            }
            sessionTags.forEach((k, v) -> {
                if (!TAG_KEY.matcher(k).matches() || !TAG_VALUE.matcher(v).matches()) {
                    all.add(new Problem(where + " > sessionTag '" + k + "'", "the tag key or value is not valid.",
                            "Keys have 1 to 128, values 0 to 256 letters, digits, spaces and _.:/=+-@"));
                }
            });
            if (maxSessionDuration.compareTo(ONE_HOUR) < 0 || maxSessionDuration.compareTo(TWELVE_HOURS) > 0) {
                all.add(new Problem(where + " > maxSessionDuration", "it was " + maxSessionDuration + ".",
                        "IAM allows one to twelve hours (PT1H to PT12H)."));
            }
            if (!all.isEmpty()) {
                throw new InvalidPipelineException("AWS role '" + name + "'", all);
            }
            return new AwsRole(this, policy);
        }

        private Optional<String> policy(String where, List<Problem> all) {
            String compact;
            if (policyJson != null) {
                JsonNode tree;
                try {
                    tree = JSON.readTree(policyJson);
                } catch (JacksonException e) {
                    TokenStreamLocation at = e.getLocation();
                    all.add(new Problem(where + " > sessionPolicy" + (at == null ? "" : " at " + at.getLineNr() + ":"
                            + at.getColumnNr()), "the policy is not valid JSON: " + e.getOriginalMessage() + ".",
                            "Fix the JSON, or build the policy with allow(actions, resources)."));
                    return Optional.empty();
                }
                int before = all.size();
                checkPolicy(tree, where + " > sessionPolicy", all);
                if (all.size() > before) {
                    return Optional.empty();
                }
                compact = JSON.writeValueAsString(tree);
            } else if (!statements.isEmpty()) {
                ObjectNode root = JSON.createObjectNode();
                root.put("Version", "2012-10-17");
                ArrayNode list = root.putArray("Statement");
                for (Statement s : statements) {
                    if (s.actions.isEmpty() || s.resources.isEmpty()) {
                        all.add(new Problem(where + " > allow", "a statement has no " + (s.actions.isEmpty()
                                ? "actions" : "resources") + ".", "Give at least one action and one resource (\"*\""
                                + " for any)."));
                        continue;
                    }
                    ObjectNode statement = list.addObject();
                    statement.put("Effect", "Allow");
                    putOneOrMany(statement, "Action", s.actions);
                    putOneOrMany(statement, "Resource", s.resources);
                }
                compact = JSON.writeValueAsString(root);
            } else {
                return Optional.empty();
            }
            if (compact.length() > MAX_POLICY) {
                all.add(new Problem(where + " > sessionPolicy", "the session policy has " + compact.length()
                        + " characters; STS takes at most " + MAX_POLICY + ".", "Grant fewer, broader permissions"
                        + " (wildcards), or attach a managed policy to the IAM role instead."));
                return Optional.empty();
            }
            return Optional.of(compact);
        }

        private static void putOneOrMany(ObjectNode node, String key, List<String> values) {
            Set<String> unique = new LinkedHashSet<>(values);
            if (unique.size() == 1) {
                node.put(key, unique.iterator().next());
            } else {
                ArrayNode array = node.putArray(key);
                unique.forEach(array::add);
            }
        }

        private static void checkPolicy(JsonNode tree, String where, List<Problem> all) {
            if (!tree.isObject()) {
                all.add(new Problem(where, "the policy is not a JSON object.",
                        "Write {\"Version\": \"2012-10-17\", \"Statement\": [...]}."));
                return;
            }
            for (String key : tree.propertyNames()) {
                if (!POLICY_KEYS.contains(key)) {
                    all.add(new Problem(where + " > " + key, "'" + key + "' is not a policy element.",
                            "Use only Version, Id and Statement."));
                }
            }
            JsonNode version = tree.get("Version");
            if (version != null && !Set.of("2012-10-17", "2008-10-17").contains(version.asString(""))) {
                all.add(new Problem(where + " > Version", "'" + version + "' is not a policy language version.",
                        "Use \"2012-10-17\"."));
            }
            JsonNode statement = tree.get("Statement");
            if (statement == null || !(statement.isObject() || statement.isArray()) || statement.isEmpty()) {
                all.add(new Problem(where + " > Statement", "the policy has no statement.",
                        "Give a Statement: an object or a non-empty array of objects."));
                return;
            }
            List<JsonNode> items = new ArrayList<>();
            if (statement.isArray()) {
                statement.forEach(items::add);
            } else {
                items.add(statement);
            }
            for (int i = 0; i < items.size(); i++) {
                JsonNode s = items.get(i);
                String at = where + " > Statement[" + i + "]";
                if (!s.isObject()) {
                    all.add(new Problem(at, "the statement is not a JSON object.", "Write {\"Effect\": \"Allow\","
                            + " \"Action\": ..., \"Resource\": ...}."));
                    continue;
                }
                for (String key : s.propertyNames()) {
                    if (!STATEMENT_KEYS.contains(key)) {
                        all.add(new Problem(at + " > " + key, "'" + key + "' is not a statement element.",
                                "Use Sid, Effect, Action or NotAction, Resource or NotResource, Condition."));
                    }
                }
                String effect = s.path("Effect").asString("");
                if (!effect.equals("Allow") && !effect.equals("Deny")) {
                    all.add(new Problem(at + " > Effect", "the Effect is '" + effect + "'.", "Use \"Allow\" or"
                            + " \"Deny\"."));
                }
                if (s.has("Action") == s.has("NotAction")) {
                    all.add(new Problem(at, "a statement needs exactly one of Action and NotAction.",
                            "Give the actions, such as \"lambda:UpdateFunctionCode\"."));
                }
                if (s.has("Resource") == s.has("NotResource")) {
                    all.add(new Problem(at, "a statement needs exactly one of Resource and NotResource.",
                            "Give the resources, such as an ARN or \"*\"."));
                }
                if (s.has("Principal") || s.has("NotPrincipal")) {
                    all.add(new Problem(at, "a session policy cannot name a Principal.",
                            "Remove Principal: the session is the principal."));
                }
            }
        }
    }
}
