package dev.pipewright.aws;

import static com.google.common.base.Preconditions.checkNotNull;

import dev.pipewright.Check;
import dev.pipewright.CheckResult;
import dev.pipewright.Gate;
import dev.pipewright.InvalidPipelineException;
import dev.pipewright.Permission;
import dev.pipewright.Problem;
import dev.pipewright.RunContext;
import dev.pipewright.spi.StepFailedException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.synthetics.SyntheticsClient;
import software.amazon.awssdk.services.synthetics.model.CanaryRun;
import software.amazon.awssdk.services.synthetics.model.GetCanaryRunsResponse;
import software.amazon.awssdk.services.synthetics.model.ResourceNotFoundException;

/**
 * A CloudWatch Synthetics canary whose last runs must have passed for a stage to start, as a
 * {@link Check} for a {@linkplain Gate#check(String, Check) check gate}.
 *
 * <pre>{@code
 * .gate(Gate.check("smoke-passed", SyntheticsCanary.named("housing-api-smoke").lastRuns(3).passed(synthetics)))
 * }</pre>
 *
 * <p>The check reads the canary's newest runs, skips those still running, and passes when the
 * {@code lastRuns} newest completed runs all {@code PASSED}. It fails closed: a failed run, fewer
 * completed runs than asked for, a canary that does not exist or an error reading it fails it, and
 * the reason names the canary, the run (when it started) and its state. Runs are read as the stage:
 * with the AWS credentials its role gave it, in the client's region. Immutable and thread-safe.
 *
 * @since 0.1
 */
public final class SyntheticsCanary {
    private static final Logger LOG = LoggerFactory.getLogger(SyntheticsCanary.class);
    private static final Pattern NAME = Pattern.compile("[0-9a-z_-]{1,255}");
    /** The most runs one GetCanaryRuns call returns. */
    private static final int PAGE = 100;
    /** How many pages of running runs the check reads past before giving up. */
    private static final int MAX_PAGES = 5;

    private final String name;
    private final int lastRuns;

    private SyntheticsCanary(String name, int lastRuns) {
        this.name = name;
        this.lastRuns = lastRuns;
    }

    /**
     * The canary called {@code name}, whose last run must have passed.
     *
     * @throws InvalidPipelineException if {@code name} is not a canary name (lower-case letters,
     *     digits, - and _)
     */
    public static SyntheticsCanary named(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidPipelineException("Synthetics canary '" + name + "'", List.of(new Problem("name",
                    "'" + name + "' is not a canary name.", "Canary names have lower-case letters, digits, - and _.")));
        }
        return new SyntheticsCanary(name, 1);
    }

    /**
     * Requires the {@code runs} newest completed runs to have passed, 1 to 100.
     *
     * @throws InvalidPipelineException if {@code runs} is not within 1..100
     */
    public SyntheticsCanary lastRuns(int runs) {
        if (runs < 1 || runs > PAGE) {
            throw new InvalidPipelineException("Synthetics canary '" + name + "'", List.of(new Problem("lastRuns",
                    runs + " runs were asked for.", "Ask for 1 to " + PAGE + " runs.")));
        }
        return new SyntheticsCanary(name, runs);
    }

    /**
     * The check that the canary's last runs passed, read with {@code synthetics}.
     *
     * @throws NullPointerException if {@code synthetics} is null
     */
    public Check passed(SyntheticsClient synthetics) {
        return new RunsPassed(this, checkNotNull(synthetics, "synthetics"));
    }

    /** The canary's name. */
    public String name() {
        return name;
    }

    /** How many of its newest completed runs must have passed. */
    public int lastRuns() {
        return lastRuns;
    }

    /** What reading the runs needs: {@code synthetics:GetCanaryRuns} on the canary, in any region and account. */
    public List<Permission> permissions() {
        return List.of(Permission.of("synthetics:GetCanaryRuns", "arn:aws:synthetics:*:*:canary:" + name));
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof SyntheticsCanary c && name.equals(c.name) && lastRuns == c.lastRuns;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, lastRuns);
    }

    @Override
    public String toString() {
        return "canary '" + name + "'";
    }

    /** The check {@link #passed} makes: a value, so equal canaries and clients make equal gates. */
    record RunsPassed(SyntheticsCanary canary, SyntheticsClient synthetics) implements Check {
        @Override
        public CheckResult evaluate(RunContext context) {
            try {
                AwsRequestOverrideConfiguration auth = StageCredentials.of(context, "the check of " + canary);
                return judge(completedRuns(auth));
            } catch (StepFailedException e) {
                LOG.debug("Reading the runs of {} for stage '{}' failed", canary, context.stage(), e);
                return CheckResult.fail(e.getMessage());
            }
        }

        /** The newest completed runs, newest first, at most as many as needed. */
        private List<CanaryRun> completedRuns(AwsRequestOverrideConfiguration auth) {
            List<CanaryRun> completed = new ArrayList<>();
            String token = null;
            int pages = 0;
            do {
                String next = token;
                GetCanaryRunsResponse page;
                try {
                    page = synthetics.getCanaryRuns(r -> r.name(canary.name).maxResults(PAGE).nextToken(next)
                            .overrideConfiguration(auth));
                } catch (ResourceNotFoundException e) {
                    throw new StepFailedException(AwsCall.describe("Synthetics GetCanaryRuns", canary.toString(), e)
                            + ". The canary does not exist in the client's region: check its name.");
                } catch (SdkException e) {
                    throw AwsCall.failure("Synthetics GetCanaryRuns", canary.toString(), e);
                }
                List<CanaryRun> runs = new ArrayList<>(page.canaryRuns());
                runs.sort(Comparator.comparing(RunsPassed::started, Comparator.nullsLast(Comparator.reverseOrder())));
                for (CanaryRun run : runs) {
                    String state = run.status() == null ? "" : run.status().stateAsString();
                    if (!"RUNNING".equals(state) && completed.size() < canary.lastRuns) {
                        completed.add(run);
                    }
                }
                token = page.nextToken();
            } while (completed.size() < canary.lastRuns && token != null && !token.isEmpty() && ++pages < MAX_PAGES);
            return completed;
        }

        private static @Nullable Instant started(CanaryRun run) {
            return run.timeline() == null ? null : run.timeline().started();
        }

        private CheckResult judge(List<CanaryRun> runs) {
            List<String> failed = new ArrayList<>();
            for (CanaryRun run : runs) {
                String state = run.status() == null ? "UNKNOWN" : run.status().stateAsString();
                if (!"PASSED".equals(state)) {
                    String reason = run.status() == null || run.status().stateReason() == null ? ""
                            : " (" + run.status().stateReason().strip() + ")";
                    failed.add("the run started " + (started(run) == null ? "at an unknown time" : "at "
                            + started(run)) + " is " + state + reason);
                }
            }
            if (!failed.isEmpty()) {
                return CheckResult.fail(canary + ": " + String.join("; ", failed));
            }
            if (runs.size() < canary.lastRuns) {
                return CheckResult.fail(canary + " has " + (runs.isEmpty() ? "no" : "only " + runs.size())
                        + " completed run" + (runs.size() == 1 ? "" : "s") + "; " + canary.lastRuns
                        + " must have passed");
            }
            return CheckResult.pass(canary + ": the last " + (runs.size() == 1 ? "run" : runs.size() + " runs")
                    + " passed, the newest started at " + started(runs.get(0)));
        }
    }
}
