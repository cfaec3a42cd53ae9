package dev.pipewright.aws;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableMap;
import com.google.errorprone.annotations.CanIgnoreReturnValue;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.cloudwatch.model.ComparisonOperator;
import software.amazon.awssdk.services.cloudwatch.model.DescribeAlarmsResponse;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;

/**
 * The sandbox's CloudWatch: DescribeAlarms over Smithy RPC v2 CBOR, on metric alarms a test
 * sets with {@link #alarm} and may change at any moment, for example while a deploy bakes.
 *
 * <p>DescribeAlarms filters by AlarmNames, AlarmNamePrefix and StateValue (AlarmNames and
 * AlarmNamePrefix together are refused with {@code InvalidParameterCombination}), returns metric
 * alarms sorted by name, at most MaxRecords (1..100, 50 by default) a page, and refuses a
 * NextToken it did not issue with {@code InvalidNextToken}. Composite alarms are not modelled.
 *
 * <pre>{@code
 * sandbox.cloudWatch().alarm("housing-api-errors", AlarmState.OK);
 * // ... halfway through the canary ...
 * sandbox.cloudWatch().alarm("housing-api-errors", AlarmState.ALARM);
 * }</pre>
 *
 * <p>Thread-safe.
 *
 * @since 0.1
 */
public final class FakeCloudWatch {
    static final String NAMESPACE = "com.amazonaws.cloudwatch";
    private static final Set<String> OPERATIONS = Set.of("DescribeAlarms");
    private static final String PATH = "/service/GraniteServiceVersion20100801/operation/";

    private final String account;
    private final String region;
    private final Clock clock;
    private final Map<String, Alarm> alarms = new TreeMap<>(); // guarded by this

    FakeCloudWatch(String account, String region, Clock clock) {
        this.account = account;
        this.region = region;
        this.clock = clock;
    }

    /**
     * An alarm's state.
     *
     * @since 0.1
     */
    public enum AlarmState {
        /** The metric is within its threshold. */
        OK,
        /** The metric breached its threshold. */
        ALARM,
        /** Not enough data to tell. */
        INSUFFICIENT_DATA
    }

    private record Alarm(String name, AlarmState state, String reason, Instant updated, Instant configured) { }

    /**
     * Creates metric alarm {@code name} in {@code state}, or moves it to {@code state}; the next
     * DescribeAlarms sees it.
     *
     * @return this
     */
    @CanIgnoreReturnValue
    public FakeCloudWatch alarm(String name, AlarmState state) {
        checkNotNull(state, "state");
        return alarm(name, state, switch (state) {
            case OK -> "Threshold Crossed: 1 datapoint [0.0] was not greater than or equal to the threshold (1.0).";
            case ALARM -> "Threshold Crossed: 1 datapoint [3.0] was greater than or equal to the threshold (1.0).";
            case INSUFFICIENT_DATA -> "Unchecked: Initial alarm creation";
        });
    }

    /**
     * Creates metric alarm {@code name} in {@code state} with {@code reason}, or moves it there.
     *
     * @return this
     * @throws IllegalArgumentException if the name is blank or longer than 255 characters
     */
    @CanIgnoreReturnValue
    public synchronized FakeCloudWatch alarm(String name, AlarmState state, String reason) {
        checkNotNull(name, "name");
        checkNotNull(state, "state");
        checkNotNull(reason, "reason");
        checkArgument(!name.isBlank() && name.length() <= 255, "an alarm name has 1 to 255 characters: '%s'", name);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Alarm old = alarms.get(name);
        alarms.put(name, new Alarm(name, state, reason, now, old == null ? now : old.configured));
        return this;
    }

    /**
     * Deletes alarm {@code name}, so that DescribeAlarms no longer finds it.
     *
     * @return this
     */
    @CanIgnoreReturnValue
    public synchronized FakeCloudWatch removeAlarm(String name) {
        alarms.remove(checkNotNull(name, "name"));
        return this;
    }

    /** The state of alarm {@code name}, if it exists. */
    public synchronized Optional<AlarmState> state(String name) {
        return Optional.ofNullable(alarms.get(name)).map(Alarm::state);
    }

    /** Every alarm's state, by name. */
    public synchronized Map<String, AlarmState> alarms() {
        Map<String, AlarmState> out = new TreeMap<>();
        alarms.forEach((k, v) -> out.put(k, v.state));
        return ImmutableMap.copyOf(out);
    }

    SandboxService service() {
        return new Handler();
    }

    private final class Handler extends SandboxService {
        Handler() {
            super(AwsSandbox.Service.CLOUDWATCH, SandboxProtocol.RPC_V2_CBOR, NAMESPACE, OPERATIONS);
        }

        @Override
        String operation(SandboxRequest r) {
            String path = r.path();
            if (r.method().equals("POST") && path.startsWith(PATH)
                    && OPERATIONS.contains(path.substring(PATH.length()))) {
                if (!"rpc-v2-cbor".equals(r.header("smithy-protocol").orElse(""))) {
                    throw SandboxError.client(400, "InvalidAction", "Requests must carry the header"
                            + " smithy-protocol: rpc-v2-cbor");
                }
                return path.substring(PATH.length());
            }
            throw SandboxError.client(404, "UnknownOperationException", "The sandbox's CloudWatch does not serve " + r
                    + "; it serves " + OPERATIONS);
        }

        @Override
        SandboxResponse handle(String operation, SandboxRequest r, @Nullable SandboxPrincipal caller,
                String requestId) {
            return SandboxProtocol.RPC_V2_CBOR.result(200, operation, NAMESPACE, describe(r.cbor()), requestId);
        }
    }

    private DescribeAlarmsResponse describe(Map<String, @Nullable Object> in) {
        List<String> names = strings(in.get("AlarmNames"));
        String prefix = string(in.get("AlarmNamePrefix"));
        String stateValue = string(in.get("StateValue"));
        List<String> types = strings(in.get("AlarmTypes"));
        String nextToken = string(in.get("NextToken"));
        Object max = in.get("MaxRecords");
        SandboxValidation v = new SandboxValidation();
        if (names.size() > 100) {
            v.add("Value at 'alarmNames' failed to satisfy constraint: Member must have length less than or equal to 100");
        }
        v.length("alarmNamePrefix", prefix, 1, 255);
        if (stateValue != null && !Set.of("OK", "ALARM", "INSUFFICIENT_DATA").contains(stateValue)) {
            v.add("Value '" + stateValue + "' at 'stateValue' failed to satisfy constraint: Member must satisfy enum"
                    + " value set: [INSUFFICIENT_DATA, ALARM, OK]");
        }
        v.range("maxRecords", max instanceof Number n ? n : null, 1, 100);
        v.throwIfAny(400, "ValidationError");
        if (!names.isEmpty() && prefix != null) {
            throw SandboxError.client(400, "InvalidParameterCombination", "AlarmNamePrefix and AlarmNames cannot be"
                    + " specified together.");
        }
        int start = 0;
        if (nextToken != null) {
            try {
                start = Integer.parseInt(nextToken.replaceFirst("^sandbox-", ""));
            } catch (NumberFormatException e) {
                start = -1;
            }
            if (!nextToken.startsWith("sandbox-") || start < 0) {
                throw SandboxError.client(400, "InvalidNextToken", "The service couldn't process your request"
                        + " because the NextToken is not valid.");
            }
        }
        List<MetricAlarm> matching = new ArrayList<>();
        boolean metricAlarms = types.isEmpty() || types.contains("MetricAlarm");
        synchronized (this) {
            for (Alarm a : alarms.values()) {
                if (metricAlarms && (names.isEmpty() || names.contains(a.name))
                        && (prefix == null || a.name.startsWith(prefix))
                        && (stateValue == null || a.state.name().equals(stateValue))) {
                    matching.add(metricAlarm(a));
                }
            }
        }
        int size = max instanceof Number n ? n.intValue() : 50;
        int end = Math.min(matching.size(), start + size);
        DescribeAlarmsResponse.Builder b = DescribeAlarmsResponse.builder()
                .metricAlarms(matching.subList(Math.min(start, matching.size()), end));
        if (end < matching.size()) {
            b.nextToken("sandbox-" + end);
        }
        return b.build();
    }

    private MetricAlarm metricAlarm(Alarm a) {
        return MetricAlarm.builder()
                .alarmName(a.name)
                .alarmArn("arn:aws:cloudwatch:" + region + ":" + account + ":alarm:" + a.name)
                .alarmDescription("Sandbox alarm " + a.name)
                .alarmConfigurationUpdatedTimestamp(a.configured)
                .actionsEnabled(true)
                .stateValue(a.state.name())
                .stateReason(a.reason)
                .stateUpdatedTimestamp(a.updated)
                .stateTransitionedTimestamp(a.updated)
                .metricName("Errors")
                .namespace("AWS/Lambda")
                .statistic(Statistic.SUM)
                .period(60)
                .evaluationPeriods(1)
                .datapointsToAlarm(1)
                .threshold(1.0)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                .treatMissingData("notBreaching")
                .build();
    }

    private static @Nullable String string(@Nullable Object value) {
        return value instanceof String s ? s : null;
    }

    private static List<String> strings(@Nullable Object value) {
        List<String> out = new ArrayList<>();
        if (value instanceof List<?> list) {
            list.forEach(item -> {
                if (item instanceof String s) {
                    out.add(s);
                }
            });
        }
        return out;
    }
}
