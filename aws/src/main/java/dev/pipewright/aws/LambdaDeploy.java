package dev.pipewright.aws;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import dev.pipewright.InvalidPipelineException;
import dev.pipewright.Permission;
import dev.pipewright.Problem;
import dev.pipewright.Step;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Deploys new code to an AWS Lambda function and moves an alias to it (type {@value #TYPE}),
 * made by {@link Lambda#deploy(String)}. Immutable: each method returns a new step.
 *
 * <pre>{@code
 * Lambda.deploy("housing-api-staging").zip("build/housing-api.zip")
 *     .canary(10, Duration.ofMinutes(5))
 *     .alarmPrefix("housing-api-staging-")
 * }</pre>
 *
 * <p>What the step does when it runs, as the stage's role:
 *
 * <ol>
 *   <li>reads the alias; if an interrupted deploy left it sharing traffic with a second version,
 *       it first puts all the traffic back on the alias's own version, then deploys afresh;
 *   <li>updates the function's code, unless the function already has exactly this code
 *       (guarded by the function's revision id), and waits until the update has finished;
 *   <li>publishes a version, guarded by the code's SHA-256: publishing the same code again
 *       gives the same version, so a re-run neither publishes nor shifts anything new;
 *   <li>checks the alarms, then moves the alias: all at once, or through the canary's or the
 *       linear steps' weights, each baking while the alarms are polled;
 *   <li>on an alarm in {@code ALARM}, an alarm that does not exist, or any failure while traffic
 *       moves, puts all the traffic back on the previous version and fails the stage as
 *       rolled back.
 * </ol>
 *
 * <p>Alarms are those named plus those whose names start with the prefix; at least one must
 * exist when any is asked for. {@code INSUFFICIENT_DATA} counts as fine during a bake (a new
 * version's metrics often have no data yet); {@code ALARM} does not.
 *
 * @since 0.1
 */
public final class LambdaDeploy implements Step {
    /** The type id of Lambda deploy steps. */
    public static final String TYPE = "aws.lambda.deploy";
    /** The alias moved when none is named. */
    public static final String DEFAULT_ALIAS = "live";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern ARN = Pattern.compile(
            "arn:(aws[a-z-]*):lambda:([a-z0-9-]+):(\\d{12}):function:([A-Za-z0-9_-]{1,64})");
    private static final Pattern ALIAS = Pattern.compile("(?!^[0-9]+$)[A-Za-z0-9_-]{1,128}");

    private final String function;
    private final @Nullable String zip;
    private final @Nullable String bucket;
    private final @Nullable String key;
    private final @Nullable String objectVersion;
    private final String alias;
    private final LambdaTraffic traffic;
    private final List<String> alarms;
    private final @Nullable String alarmPrefix;

    private LambdaDeploy(String function, @Nullable String zip, @Nullable String bucket, @Nullable String key,
            @Nullable String objectVersion, String alias, LambdaTraffic traffic, List<String> alarms,
            @Nullable String alarmPrefix) {
        this.function = function;
        this.zip = zip;
        this.bucket = bucket;
        this.key = key;
        this.objectVersion = objectVersion;
        this.alias = alias;
        this.traffic = traffic;
        this.alarms = ImmutableList.copyOf(alarms);
        this.alarmPrefix = alarmPrefix;
    }

    /**
     * The mandatory part of a Lambda deploy: its code.
     *
     * @since 0.1
     */
    public interface CodeStep {
        /**
         * Deploys the zip file at {@code path}, relative to the stage's workspace; read when the
         * step runs.
         *
         * @throws InvalidPipelineException if {@code path} is null or blank
         */
        LambdaDeploy zip(String path);

        /**
         * Deploys the zip file stored in S3 as {@code key} in {@code bucket}, in the function's
         * region; the stage's role then also needs {@code s3:GetObject} on it.
         *
         * @throws InvalidPipelineException if an argument is null or blank
         */
        LambdaDeploy s3(String bucket, String key);

        /**
         * Deploys version {@code objectVersion} of the zip file stored in S3 as {@code key} in
         * {@code bucket}.
         *
         * @throws InvalidPipelineException if an argument is null or blank
         */
        LambdaDeploy s3(String bucket, String key, String objectVersion);
    }

    static CodeStep start(String function) {
        if (function == null || !(NAME.matcher(function).matches() || ARN.matcher(function).matches())) {
            throw invalid(String.valueOf(function), "function", function == null ? "no function was given."
                    : "'" + function + "' is neither a function name nor an unqualified function ARN.",
                    "Give a name of up to 64 letters, digits, - and _, or an ARN such as"
                    + " arn:aws:lambda:eu-west-2:111111111111:function:housing-api (without a version or alias).");
        }
        return new CodeStep() {
            @Override
            public LambdaDeploy zip(String path) {
                text(function, "zip", path, "Give the zip file's path, relative to the workspace.");
                return new LambdaDeploy(function, path, null, null, null, DEFAULT_ALIAS, LambdaTraffic.ALL_AT_ONCE,
                        List.of(), null);
            }

            @Override
            public LambdaDeploy s3(String bucket, String key) {
                text(function, "s3.bucket", bucket, "Give the bucket holding the zip file.");
                text(function, "s3.key", key, "Give the zip file's key in the bucket.");
                return new LambdaDeploy(function, null, bucket, key, null, DEFAULT_ALIAS, LambdaTraffic.ALL_AT_ONCE,
                        List.of(), null);
            }

            @Override
            public LambdaDeploy s3(String bucket, String key, String objectVersion) {
                text(function, "s3.version", objectVersion, "Give the object's version id, or use s3(bucket, key).");
                LambdaDeploy d = s3(bucket, key);
                return new LambdaDeploy(function, null, d.bucket, d.key, objectVersion, DEFAULT_ALIAS,
                        LambdaTraffic.ALL_AT_ONCE, List.of(), null);
            }
        };
    }

    /**
     * Moves {@code alias} (by default {@value #DEFAULT_ALIAS}); it must exist: the step never
     * creates it, so that every deploy has a version to go back to.
     *
     * @throws InvalidPipelineException if {@code alias} is not an alias name
     */
    public LambdaDeploy alias(String alias) {
        if (alias == null || !ALIAS.matcher(alias).matches()) {
            throw invalid(function, "alias", "'" + alias + "' is not an alias name.",
                    "Give up to 128 letters, digits, - and _, not only digits, such as live.");
        }
        return new LambdaDeploy(function, zip, bucket, key, objectVersion, alias, traffic, alarms, alarmPrefix);
    }

    /** Moves all the traffic to the new version at once (the default); the alarms are checked once after. */
    public LambdaDeploy allAtOnce() {
        return traffic(LambdaTraffic.ALL_AT_ONCE);
    }

    /**
     * Sends {@code percent} of the traffic to the new version for {@code bake} while the alarms
     * are watched, then all of it.
     *
     * @throws InvalidPipelineException if {@code percent} is not within 1..99 or {@code bake}
     *     is not positive
     */
    public LambdaDeploy canary(int percent, Duration bake) {
        return traffic(shifting(LambdaTraffic.Kind.CANARY, percent, bake, "canary"));
    }

    /**
     * Sends {@code percent} more of the traffic to the new version {@code every} interval while
     * the alarms are watched, until it has all of it: {@code linear(25, 1 min)} bakes at 25, 50
     * and 75 %.
     *
     * @throws InvalidPipelineException if {@code percent} is not within 1..99 or {@code every}
     *     is not positive
     */
    public LambdaDeploy linear(int percent, Duration every) {
        return traffic(shifting(LambdaTraffic.Kind.LINEAR, percent, every, "linear"));
    }

    /**
     * Watches the CloudWatch alarms {@code names} (metric or composite) while traffic moves;
     * replaces the names given before.
     *
     * @throws InvalidPipelineException if a name is null, blank or longer than 255 characters
     */
    public LambdaDeploy alarms(String... names) {
        List<String> checked = new ArrayList<>();
        for (String n : names == null ? new String[] {null} : names) {
            alarmName(function, "alarms", n);
            checked.add(n);
        }
        return new LambdaDeploy(function, zip, bucket, key, objectVersion, alias, traffic,
                List.copyOf(new LinkedHashSet<>(checked)), alarmPrefix);
    }

    /**
     * Also watches every CloudWatch alarm whose name starts with {@code prefix}.
     *
     * @throws InvalidPipelineException if {@code prefix} is null, blank or longer than 255 characters
     */
    public LambdaDeploy alarmPrefix(String prefix) {
        alarmName(function, "alarmPrefix", prefix);
        return new LambdaDeploy(function, zip, bucket, key, objectVersion, alias, traffic, alarms, prefix);
    }

    private LambdaDeploy traffic(LambdaTraffic t) {
        return new LambdaDeploy(function, zip, bucket, key, objectVersion, alias, t, alarms, alarmPrefix);
    }

    private LambdaTraffic shifting(LambdaTraffic.Kind kind, int percent, @Nullable Duration interval, String path) {
        if (percent < 1 || percent > 99) {
            throw invalid(function, path, "a weight of " + percent + "% was given.",
                    "Give a percentage of the traffic from 1 to 99.");
        }
        if (interval == null || interval.isNegative() || interval.isZero()) {
            throw invalid(function, path, "the interval " + interval + " is not positive.",
                    "Give how long each step bakes, such as Duration.ofMinutes(5).");
        }
        return new LambdaTraffic(kind, percent, interval);
    }

    private static void text(String function, String path, @Nullable String value, String fix) {
        if (value == null || value.isBlank()) {
            throw invalid(function, path, value == null ? "nothing was given." : "a blank value was given.", fix);
        }
    }

    private static void alarmName(String function, String path, @Nullable String name) {
        text(function, path, name, "Give the alarm's name.");
        if (name.length() > 255) {
            throw invalid(function, path, "'" + name.substring(0, 20) + "...' is longer than 255 characters.",
                    "CloudWatch alarm names have at most 255 characters.");
        }
    }

    private static InvalidPipelineException invalid(String function, String path, String message, String fix) {
        return new InvalidPipelineException("Lambda deploy of '" + function + "'",
                List.of(new Problem(path, message, fix)));
    }

    @Override
    public String type() {
        return TYPE;
    }

    /** {@code deploy housing-api-staging (alias live)}. */
    @Override
    public String name() {
        Matcher arn = ARN.matcher(function);
        return "deploy " + (arn.matches() ? arn.group(4) : function) + " (alias " + alias + ")";
    }

    /**
     * The step's configuration, in this order: {@code function}; {@code zip}, or {@code s3} as
     * {@code s3://bucket/key} with {@code ?versionId=} when a version is given; {@code alias};
     * {@code traffic} ({@code all-at-once}, {@code canary 10% for PT5M}, {@code linear 10% every
     * PT1M}); then {@code alarms} (comma-separated) and {@code alarm-prefix} when given.
     */
    @Override
    public Map<String, String> parameters() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("function", function);
        if (zip != null) {
            p.put("zip", zip);
        } else {
            p.put("s3", "s3://" + bucket + "/" + key + (objectVersion == null ? "" : "?versionId=" + objectVersion));
        }
        p.put("alias", alias);
        p.put("traffic", traffic.toString());
        if (!alarms.isEmpty()) {
            p.put("alarms", String.join(",", alarms));
        }
        if (alarmPrefix != null) {
            p.put("alarm-prefix", alarmPrefix);
        }
        return ImmutableMap.copyOf(p);
    }

    /**
     * What the stage's role must allow: {@code lambda:GetFunction}, {@code UpdateFunctionCode},
     * {@code PublishVersion}, {@code GetAlias} and {@code UpdateAlias} on the function's ARN (any
     * region and account, {@code *}, when only its name was given); {@code s3:GetObject} on the
     * code's object when it comes from S3; {@code cloudwatch:DescribeAlarms} on the watched alarms.
     */
    @Override
    public List<Permission> permissions() {
        Matcher arn = ARN.matcher(function);
        boolean full = arn.matches();
        String partition = full ? arn.group(1) : "aws";
        String region = full ? arn.group(2) : "*";
        String account = full ? arn.group(3) : "*";
        String functionArn = full ? function : "arn:aws:lambda:*:*:function:" + function;
        List<Permission> p = new ArrayList<>();
        for (String action : List.of("GetFunction", "UpdateFunctionCode", "PublishVersion", "GetAlias",
                "UpdateAlias")) {
            p.add(Permission.of("lambda:" + action, functionArn));
        }
        if (bucket != null) {
            p.add(Permission.of("s3:GetObject", "arn:" + partition + ":s3:::" + bucket + "/" + key));
        }
        p.addAll(CloudWatchAlarms.permissions(alarms, alarmPrefix, partition, region, account));
        return List.copyOf(p);
    }

    /** The function's name or ARN, as given. */
    public String function() {
        return function;
    }

    /** The alias moved. */
    public String alias() {
        return alias;
    }

    /** The alarms watched by name. */
    public List<String> alarms() {
        return alarms;
    }

    /** The prefix of the alarms watched, if one was given. */
    public Optional<String> alarmPrefix() {
        return Optional.ofNullable(alarmPrefix);
    }

    Optional<String> zip() {
        return Optional.ofNullable(zip);
    }

    @Nullable String bucket() {
        return bucket;
    }

    @Nullable String key() {
        return key;
    }

    @Nullable String objectVersion() {
        return objectVersion;
    }

    LambdaTraffic traffic() {
        return traffic;
    }

    /** Whether any alarm is watched. */
    boolean watchesAlarms() {
        return !alarms.isEmpty() || alarmPrefix != null;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof LambdaDeploy d && function.equals(d.function) && Objects.equals(zip, d.zip)
                && Objects.equals(bucket, d.bucket) && Objects.equals(key, d.key)
                && Objects.equals(objectVersion, d.objectVersion) && alias.equals(d.alias)
                && traffic.equals(d.traffic) && alarms.equals(d.alarms) && Objects.equals(alarmPrefix, d.alarmPrefix);
    }

    @Override
    public int hashCode() {
        return Objects.hash(function, zip, bucket, key, objectVersion, alias, traffic, alarms, alarmPrefix);
    }

    @Override
    public String toString() {
        return "lambda deploy " + parameters();
    }
}
