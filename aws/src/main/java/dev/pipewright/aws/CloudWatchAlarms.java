package dev.pipewright.aws;

import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import dev.pipewright.Check;
import dev.pipewright.CheckResult;
import dev.pipewright.Gate;
import dev.pipewright.InvalidPipelineException;
import dev.pipewright.Permission;
import dev.pipewright.Problem;
import dev.pipewright.RunContext;
import dev.pipewright.spi.StepFailedException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.AlarmType;
import software.amazon.awssdk.services.cloudwatch.model.CompositeAlarm;
import software.amazon.awssdk.services.cloudwatch.model.DescribeAlarmsRequest;
import software.amazon.awssdk.services.cloudwatch.model.DescribeAlarmsResponse;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;

/**
 * Which CloudWatch alarms must be {@code OK} for a stage to start, as a {@link Check} for a
 * {@linkplain Gate#check(String, Check) check gate}. Alarms are chosen by name, by prefix, or
 * both; metric and composite alarms alike. The check fails closed: an alarm in {@code ALARM}, an
 * alarm in {@code INSUFFICIENT_DATA}, a named alarm that does not exist, a prefix no alarm has, or
 * any error reading them, fails it, unless {@link #allowInsufficientData()} or {@link
 * #allowMissing()} says otherwise. Its reason names each alarm and its state.
 *
 * <pre>{@code
 * .gate(Gate.check("alarms-ok", CloudWatchAlarms.prefixed("housing-api-production-").ok(cloudWatch)))
 * }</pre>
 *
 * <p>The check reads the alarms as the stage: with the AWS credentials its role gave it, whatever
 * credentials {@code cloudWatch} was built with, and in the client's region. It fails when the stage
 * has no AWS credentials. Immutable and thread-safe.
 *
 * @since 0.1
 */
public final class CloudWatchAlarms {
    private static final Logger LOG = LoggerFactory.getLogger(CloudWatchAlarms.class);
    /** How many names one DescribeAlarms call may ask for. */
    private static final int NAMES_PER_CALL = 100;

    private final List<String> names;
    private final @Nullable String prefix;
    private final boolean insufficientDataAllowed;
    private final boolean missingAllowed;

    private CloudWatchAlarms(List<String> names, @Nullable String prefix, boolean insufficientDataAllowed,
            boolean missingAllowed) {
        this.names = ImmutableList.copyOf(names);
        this.prefix = prefix;
        this.insufficientDataAllowed = insufficientDataAllowed;
        this.missingAllowed = missingAllowed;
    }

    /**
     * The alarms called {@code names}, at least one.
     *
     * @throws InvalidPipelineException if no name is given, or one is null or blank
     */
    public static CloudWatchAlarms named(String... names) {
        if (names == null || names.length == 0) {
            throw invalid("names", "no alarm name was given.", "Name at least one alarm.");
        }
        for (String n : names) {
            if (n == null || n.isBlank()) {
                throw invalid("names", "a null or blank alarm name was given.", "Give every alarm's name.");
            }
        }
        return new CloudWatchAlarms(List.copyOf(new LinkedHashSet<>(List.of(names))), null, false, false);
    }

    /**
     * Every alarm whose name starts with {@code prefix}; at least one must exist.
     *
     * @throws InvalidPipelineException if {@code prefix} is null or blank
     */
    public static CloudWatchAlarms prefixed(String prefix) {
        if (prefix == null || prefix.isBlank()) {
            throw invalid("prefix", "a null or blank prefix was given.", "Give the start of the alarms' names.");
        }
        return new CloudWatchAlarms(List.of(), prefix, false, false);
    }

    /** Also the alarms whose names start with {@code prefix}, replacing any prefix given before. */
    public CloudWatchAlarms andPrefixed(String prefix) {
        return new CloudWatchAlarms(names, prefixed(prefix).prefix, insufficientDataAllowed, missingAllowed);
    }

    /** Lets alarms in {@code INSUFFICIENT_DATA} pass, as alarms on rarely used paths often are. */
    public CloudWatchAlarms allowInsufficientData() {
        return new CloudWatchAlarms(names, prefix, true, missingAllowed);
    }

    /** Lets named alarms that do not exist, and a prefix that no alarm has, pass. */
    public CloudWatchAlarms allowMissing() {
        return new CloudWatchAlarms(names, prefix, insufficientDataAllowed, true);
    }

    /**
     * The check that these alarms are {@code OK}, read with {@code cloudWatch}.
     *
     * @throws NullPointerException if {@code cloudWatch} is null
     */
    public Check ok(CloudWatchClient cloudWatch) {
        return new AlarmsOk(this, checkNotNull(cloudWatch, "cloudWatch"));
    }

    /** The alarms chosen by name. */
    public List<String> names() {
        return names;
    }

    /** The prefix of the alarms chosen by prefix, if any. */
    public Optional<String> prefix() {
        return Optional.ofNullable(prefix);
    }

    /**
     * What reading these alarms needs: {@code cloudwatch:DescribeAlarms} on each alarm, in any
     * region and account ({@code *}), the prefix's as a wildcard.
     */
    public List<Permission> permissions() {
        return permissions(names, prefix, "aws", "*", "*");
    }

    static List<Permission> permissions(List<String> names, @Nullable String prefix, String partition, String region,
            String account) {
        String arn = "arn:" + partition + ":cloudwatch:" + region + ":" + account + ":alarm:";
        List<Permission> p = new ArrayList<>();
        names.forEach(n -> p.add(Permission.of("cloudwatch:DescribeAlarms", arn + n)));
        if (prefix != null) {
            p.add(Permission.of("cloudwatch:DescribeAlarms", arn + prefix + "*"));
        }
        return List.copyOf(p);
    }

    private static InvalidPipelineException invalid(String path, String message, String fix) {
        return new InvalidPipelineException("CloudWatch alarms", List.of(new Problem(path, message, fix)));
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof CloudWatchAlarms a && names.equals(a.names) && Objects.equals(prefix, a.prefix)
                && insufficientDataAllowed == a.insufficientDataAllowed && missingAllowed == a.missingAllowed;
    }

    @Override
    public int hashCode() {
        return Objects.hash(names, prefix, insufficientDataAllowed, missingAllowed);
    }

    /** {@code alarms [a, b] and prefix 'p'}. */
    @Override
    public String toString() {
        String chosen = names.isEmpty() ? "" : "alarms " + names;
        if (prefix != null) {
            chosen += (chosen.isEmpty() ? "alarms" : " and") + " prefixed '" + prefix + "'";
        }
        return chosen;
    }

    // ---------------------------------------------------------------- reading alarms

    /**
     * An alarm as read: its name, state ({@code OK}, {@code ALARM}, {@code INSUFFICIENT_DATA})
     * and why it is in it.
     */
    record State(String name, String value, String reason) {
        boolean is(String state) {
            return value.equals(state);
        }

        String describe() {
            return "alarm '" + name + "' is " + value + (reason.isBlank() ? "" : " (" + reason.strip() + ")");
        }
    }

    /**
     * Reads the alarms called {@code names} and those starting with {@code prefix}, metric and
     * composite, signing with {@code auth}; by name, in the order found.
     *
     * @throws StepFailedException naming the call, the alarms and AWS's error code, if one fails
     */
    static Map<String, State> read(CloudWatchClient cloudWatch, AwsRequestOverrideConfiguration auth,
            List<String> names, @Nullable String prefix) {
        Map<String, State> found = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i += NAMES_PER_CALL) {
            List<String> chunk = names.subList(i, Math.min(names.size(), i + NAMES_PER_CALL));
            describe(cloudWatch, DescribeAlarmsRequest.builder().alarmNames(chunk), auth, "alarms " + chunk, found);
        }
        if (prefix != null) {
            describe(cloudWatch, DescribeAlarmsRequest.builder().alarmNamePrefix(prefix), auth,
                    "alarms prefixed '" + prefix + "'", found);
        }
        return found;
    }

    private static void describe(CloudWatchClient cloudWatch, DescribeAlarmsRequest.Builder request,
            AwsRequestOverrideConfiguration auth, String resource, Map<String, State> into) {
        String token = null;
        do {
            DescribeAlarmsRequest r = request.alarmTypes(AlarmType.METRIC_ALARM, AlarmType.COMPOSITE_ALARM)
                    .nextToken(token).overrideConfiguration(auth).build();
            DescribeAlarmsResponse response = AwsCall.run("CloudWatch DescribeAlarms", resource,
                    () -> cloudWatch.describeAlarms(r));
            for (MetricAlarm a : response.metricAlarms()) {
                into.put(a.alarmName(), new State(a.alarmName(), a.stateValueAsString(), text(a.stateReason())));
            }
            for (CompositeAlarm a : response.compositeAlarms()) {
                into.put(a.alarmName(), new State(a.alarmName(), a.stateValueAsString(), text(a.stateReason())));
            }
            token = response.nextToken();
        } while (token != null && !token.isEmpty());
    }

    private static String text(@Nullable String s) {
        return s == null ? "" : s;
    }

    /**
     * What is wrong with the alarms read, one sentence each; empty when they may go on.
     *
     * @param found the alarms read, by name
     * @param insufficientDataAllowed whether {@code INSUFFICIENT_DATA} is fine
     * @param missingAllowed whether absent alarms are fine
     */
    static List<String> problems(Map<String, State> found, List<String> names, @Nullable String prefix,
            boolean insufficientDataAllowed, boolean missingAllowed) {
        List<String> problems = new ArrayList<>();
        if (!missingAllowed) {
            for (String n : names) {
                if (!found.containsKey(n)) {
                    problems.add("alarm '" + n + "' does not exist");
                }
            }
            if (prefix != null && found.keySet().stream().noneMatch(n -> n.startsWith(prefix))) {
                problems.add("no alarm's name starts with '" + prefix + "'");
            }
        }
        for (State s : found.values()) {
            if (s.is("ALARM") || (s.is("INSUFFICIENT_DATA") && !insufficientDataAllowed)
                    || !(s.is("OK") || s.is("ALARM") || s.is("INSUFFICIENT_DATA"))) {
                problems.add(s.describe());
            }
        }
        return problems;
    }

    /** The check {@link #ok} makes: a value, so equal alarms and clients make equal gates. */
    record AlarmsOk(CloudWatchAlarms alarms, CloudWatchClient cloudWatch) implements Check {
        @Override
        public CheckResult evaluate(RunContext context) {
            try {
                AwsRequestOverrideConfiguration auth = StageCredentials.of(context, "the check of " + alarms);
                Map<String, State> found = read(cloudWatch, auth, alarms.names, alarms.prefix);
                List<String> problems = problems(found, alarms.names, alarms.prefix, alarms.insufficientDataAllowed,
                        alarms.missingAllowed);
                if (!problems.isEmpty()) {
                    return CheckResult.fail(String.join("; ", problems));
                }
                if (found.isEmpty()) {
                    return CheckResult.pass("no " + alarms + " exists, which is allowed");
                }
                return CheckResult.pass(found.size() == 1 ? found.values().iterator().next().describe()
                        : found.size() + " alarms are fine: " + String.join(", ", found.values().stream()
                                .map(s -> s.name() + " " + s.value()).toList()));
            } catch (StepFailedException e) {
                LOG.debug("Reading {} for stage '{}' failed", alarms, context.stage(), e);
                return CheckResult.fail(e.getMessage());
            }
        }
    }
}
