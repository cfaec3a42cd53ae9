package dev.pipewright.aws;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import com.google.errorprone.annotations.CanIgnoreReturnValue;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.services.synthetics.model.Canary;
import software.amazon.awssdk.services.synthetics.model.CanaryCodeOutput;
import software.amazon.awssdk.services.synthetics.model.CanaryRun;
import software.amazon.awssdk.services.synthetics.model.CanaryRunStatus;
import software.amazon.awssdk.services.synthetics.model.CanaryRunTimeline;
import software.amazon.awssdk.services.synthetics.model.CanaryScheduleOutput;
import software.amazon.awssdk.services.synthetics.model.CanaryStatus;
import software.amazon.awssdk.services.synthetics.model.CanaryTimeline;
import software.amazon.awssdk.services.synthetics.model.GetCanaryResponse;
import software.amazon.awssdk.services.synthetics.model.GetCanaryRunsResponse;
import tools.jackson.databind.JsonNode;

/**
 * The sandbox's CloudWatch Synthetics: GetCanary and GetCanaryRuns over restJson1, on canaries a
 * test declares with {@link #canary} and whose runs it may add to at any moment.
 *
 * <p>GetCanaryRuns returns runs newest first, at most MaxResults (1..100, 100 by default) a page;
 * an unknown canary is answered with {@code ResourceNotFoundException} (404), a NextToken the
 * sandbox did not issue with {@code ValidationException}.
 *
 * <pre>{@code
 * sandbox.synthetics().canary("housing-api-smoke", RunState.PASSED, RunState.PASSED, RunState.FAILED);
 * // newest first: the last run passed, the third newest failed
 * }</pre>
 *
 * <p>Thread-safe.
 *
 * @since 0.1
 */
public final class FakeSynthetics {
    private static final Set<String> OPERATIONS = Set.of("GetCanary", "GetCanaryRuns");
    private static final Pattern NAME = Pattern.compile("^[0-9a-z_\\-]+$");

    private final String account;
    private final String region;
    private final Clock clock;
    private final Map<String, CanaryState> canaries = new LinkedHashMap<>(); // guarded by this

    FakeSynthetics(String account, String region, Clock clock) {
        this.account = account;
        this.region = region;
        this.clock = clock;
    }

    /**
     * How a canary run ended, or that it is still running.
     *
     * @since 0.1
     */
    public enum RunState {
        /** The run is in progress. */
        RUNNING,
        /** Every check of the run passed. */
        PASSED,
        /** A check of the run failed. */
        FAILED
    }

    private record Run(String id, RunState state, Instant started) { }

    private static final class CanaryState {
        final String name;
        final String id = UUID.randomUUID().toString();
        final Instant created;
        final List<Run> runs = new ArrayList<>(); // newest first

        CanaryState(String name, Instant created) {
            this.name = name;
            this.created = created;
        }
    }

    /**
     * Declares canary {@code name} (replacing one of that name) with runs in the states given,
     * <b>newest first</b>, five minutes apart, the newest just before now.
     *
     * @return this
     * @throws IllegalArgumentException if the name is not a canary name (1 to 255 of
     *     {@code [0-9a-z_-]})
     */
    @CanIgnoreReturnValue
    public synchronized FakeSynthetics canary(String name, RunState... newestFirst) {
        checkNotNull(name, "name");
        checkNotNull(newestFirst, "newestFirst");
        checkArgument(name.length() <= 255 && NAME.matcher(name).matches(),
                "'%s' is not a canary name: 1 to 255 lower-case letters, digits, - and _", name);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        CanaryState c = new CanaryState(name, now.minus(Duration.ofDays(1)));
        for (int i = 0; i < newestFirst.length; i++) {
            c.runs.add(new Run(UUID.randomUUID().toString(), checkNotNull(newestFirst[i], "run state"),
                    now.minus(Duration.ofMinutes(5L * i + 1))));
        }
        canaries.put(name, c);
        return this;
    }

    /**
     * Adds a run in {@code state} to canary {@code name}, newer than all it has, started now.
     *
     * @return this
     * @throws IllegalArgumentException if no such canary was declared
     */
    @CanIgnoreReturnValue
    public synchronized FakeSynthetics run(String name, RunState state) {
        checkNotNull(state, "state");
        CanaryState c = canaries.get(checkNotNull(name, "name"));
        checkArgument(c != null, "no canary '%s' was declared; declared: %s", name, canaries.keySet());
        c.runs.add(0, new Run(UUID.randomUUID().toString(), state, clock.instant().truncatedTo(ChronoUnit.MILLIS)));
        return this;
    }

    /** The states of canary {@code name}'s runs, newest first; empty if no such canary. */
    public synchronized List<RunState> runs(String name) {
        CanaryState c = canaries.get(name);
        return c == null ? List.of() : c.runs.stream().map(Run::state).collect(ImmutableList.toImmutableList());
    }

    SandboxService service() {
        return new Handler();
    }

    private final class Handler extends SandboxService {
        Handler() {
            super(AwsSandbox.Service.SYNTHETICS, SandboxProtocol.REST_JSON, "com.amazonaws.synthetics", OPERATIONS);
        }

        @Override
        String operation(SandboxRequest r) {
            List<String> s = r.segments();
            if (s.size() == 2 && s.get(0).equals("canary") && r.method().equals("GET")) {
                return "GetCanary";
            }
            if (s.size() == 3 && s.get(0).equals("canary") && s.get(2).equals("runs") && r.method().equals("POST")) {
                return "GetCanaryRuns";
            }
            throw SandboxError.client(404, "UnknownOperationException", "The sandbox's Synthetics does not serve " + r
                    + "; it serves " + OPERATIONS);
        }

        @Override
        SandboxResponse handle(String operation, SandboxRequest r, @Nullable SandboxPrincipal caller,
                String requestId) {
            String name = r.segments().get(1);
            SdkPojo model;
            synchronized (FakeSynthetics.this) {
                CanaryState c = canaries.get(name);
                if (c == null) {
                    throw SandboxError.client(404, "ResourceNotFoundException", "Canary " + name + " not found.");
                }
                model = operation.equals("GetCanary") ? GetCanaryResponse.builder().canary(canary(c)).build()
                        : runs(c, r.json());
            }
            return SandboxProtocol.REST_JSON.result(200, operation, "", model, requestId);
        }
    }

    private Canary canary(CanaryState c) {
        Instant lastStarted = c.runs.isEmpty() ? null : c.runs.get(0).started;
        return Canary.builder()
                .id(c.id)
                .name(c.name)
                .code(CanaryCodeOutput.builder().handler("pageLoadBlueprint.handler")
                        .sourceLocationArn("arn:aws:lambda:" + region + ":" + account + ":layer:cwsyn-" + c.name + ":1")
                        .build())
                .executionRoleArn("arn:aws:iam::" + account + ":role/" + c.name + "-canary")
                .schedule(CanaryScheduleOutput.builder().expression("rate(5 minutes)").durationInSeconds(0L).build())
                .successRetentionPeriodInDays(31)
                .failureRetentionPeriodInDays(31)
                .status(CanaryStatus.builder().state("RUNNING").build())
                .timeline(CanaryTimeline.builder().created(c.created).lastModified(c.created).lastStarted(lastStarted)
                        .build())
                .artifactS3Location(artifacts(c))
                .runtimeVersion("syn-nodejs-puppeteer-9.1")
                .build();
    }

    private String artifacts(CanaryState c) {
        return "cw-syn-results-" + account + "-" + region + "/canary/" + region + "/" + c.name;
    }

    private GetCanaryRunsResponse runs(CanaryState c, JsonNode body) {
        JsonNode maxNode = body.get("MaxResults");
        JsonNode tokenNode = body.get("NextToken");
        SandboxValidation v = new SandboxValidation();
        Integer max = maxNode == null || maxNode.isNull() ? null : maxNode.asInt();
        v.range("maxResults", max, 1, 100);
        String token = tokenNode == null || tokenNode.isNull() ? null : tokenNode.asString();
        v.length("nextToken", token, 4, 252);
        v.throwIfAny(400, "ValidationException");
        int start = 0;
        if (token != null) {
            start = token.startsWith("sandbox-") ? parse(token.substring(8)) : -1;
            if (start < 0 || start > c.runs.size()) {
                throw SandboxError.client(400, "ValidationException", "Invalid NextToken: " + token);
            }
        }
        int end = Math.min(c.runs.size(), start + (max == null ? 100 : max));
        List<CanaryRun> runs = new ArrayList<>();
        for (Run run : c.runs.subList(start, end)) {
            CanaryRunStatus.Builder status = CanaryRunStatus.builder().state(run.state.name());
            CanaryRunTimeline.Builder timeline = CanaryRunTimeline.builder().started(run.started);
            if (run.state == RunState.FAILED) {
                status.stateReason("Failed: the page did not load within 30 seconds").stateReasonCode("CANARY_FAILURE");
            }
            if (run.state != RunState.RUNNING) {
                timeline.completed(run.started.plusSeconds(20));
            }
            runs.add(CanaryRun.builder().id(run.id).name(c.name).status(status.build()).timeline(timeline.build())
                    .artifactS3Location(artifacts(c) + "/" + run.id).build());
        }
        return GetCanaryRunsResponse.builder().canaryRuns(runs)
                .nextToken(end < c.runs.size() ? "sandbox-" + end : null).build();
    }

    private static int parse(String number) {
        try {
            return Integer.parseInt(number);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The newest run's state of canary {@code name}, if it has a run. */
    public synchronized Optional<RunState> lastRun(String name) {
        CanaryState c = canaries.get(name);
        return c == null || c.runs.isEmpty() ? Optional.empty() : Optional.of(c.runs.get(0).state);
    }
}
