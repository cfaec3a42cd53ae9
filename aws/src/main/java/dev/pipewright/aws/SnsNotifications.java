package dev.pipewright.aws;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableSet;
import dev.pipewright.spi.ApprovalRequest;
import dev.pipewright.spi.Facts;
import dev.pipewright.spi.RunInfo;
import dev.pipewright.spi.RunListener;
import dev.pipewright.spi.RunResult;
import dev.pipewright.spi.RunStatus;
import dev.pipewright.spi.StageOutcome;
import dev.pipewright.spi.StageResult;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;

/**
 * Tells people through an SNS topic (and so by email, chat or SMS, as its subscriptions say) when
 * a run fails, a deploy rolls back, a stage waits for their approval, or secret scanning blocks a
 * stage. Add it to a runner as a listener:
 *
 * <pre>{@code
 * LocalRunner.builder()
 *     .addListener(SnsNotifications.to("arn:aws:sns:eu-west-2:111111111111:housing-api-deploys", sns))
 *     ...
 * }</pre>
 *
 * <p>Each message has a one-line subject, such as {@code [housing-api] deploy-production rolled
 * back}, a plain-text body saying what happened, in which run, for which branch and commit, and
 * the message attributes {@code event} ({@code failure}, {@code rollback}, {@code approval},
 * {@code secrets}) and {@code pipeline}, for subscription filter policies. Every text comes from
 * the runner already masked. A notification that cannot be sent is logged as an error and never
 * fails the run. Messages are sent with {@code sns}'s own credentials, not a stage's.
 *
 * <p>Thread-safe. The runner tells listeners which run a stage belongs to only when the run
 * starts, so one instance should follow one run at a time.
 *
 * @since 0.1
 */
public final class SnsNotifications implements RunListener {
    private static final Logger LOG = LoggerFactory.getLogger(SnsNotifications.class);
    private static final Pattern TOPIC = Pattern.compile("arn:aws[a-z-]*:sns:[a-z0-9-]+:\\d{12}:[A-Za-z0-9_-]{1,256}"
            + "(\\.fifo)?");
    private static final Pattern FAILED_GATE = Pattern.compile("gate '([^']+)' failed: (.*)", Pattern.DOTALL);
    /** SNS takes subjects of at most 100 printable ASCII characters. */
    private static final int SUBJECT_LENGTH = 100;
    /** SNS takes messages of at most 256 KiB; this leaves room for multi-byte characters. */
    private static final int MESSAGE_LENGTH = 64 * 1024;
    /** The name of the git module's secret-scanning gate. */
    public static final String SECRET_SCAN_GATE = "no-new-secrets";

    /**
     * What is worth telling people.
     *
     * @since 0.1
     */
    public enum Event {
        /** A run failed: a stage failed, timed out or rolled back. */
        FAILURE,
        /** A stage rolled back its change, such as a deploy put back on the previous version. */
        ROLLBACK,
        /** A stage waits for a manual approval. */
        APPROVAL,
        /** Secret scanning found secrets and blocked a stage. */
        SECRETS;

        String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final String topicArn;
    private final SnsClient sns;
    private final Set<Event> events;
    private final Set<String> secretScanGates;
    private volatile @Nullable RunInfo run;

    private SnsNotifications(String topicArn, SnsClient sns, Set<Event> events, Set<String> secretScanGates) {
        this.topicArn = topicArn;
        this.sns = sns;
        this.events = ImmutableSet.copyOf(events);
        this.secretScanGates = ImmutableSet.copyOf(secretScanGates);
    }

    /**
     * Notifications of every {@link Event} to the topic {@code topicArn}, published with {@code sns}.
     *
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code topicArn} is not an SNS topic ARN
     */
    public static SnsNotifications to(String topicArn, SnsClient sns) {
        checkNotNull(topicArn, "topicArn");
        checkNotNull(sns, "sns");
        checkArgument(TOPIC.matcher(topicArn).matches(), "'%s' is not an SNS topic ARN, such as"
                + " arn:aws:sns:eu-west-2:111111111111:housing-api-deploys", topicArn);
        return new SnsNotifications(topicArn, sns, EnumSet.allOf(Event.class), Set.of(SECRET_SCAN_GATE));
    }

    /**
     * The same notifications, of {@code events} only.
     *
     * @throws IllegalArgumentException if no event is given
     */
    public SnsNotifications on(Event... events) {
        checkArgument(events.length > 0, "give at least one event to notify of");
        return new SnsNotifications(topicArn, sns, EnumSet.copyOf(List.of(events)), secretScanGates);
    }

    /**
     * The same notifications, taking the check gates called {@code gates} (by default {@value
     * #SECRET_SCAN_GATE}, the git module's) for secret scanning.
     */
    public SnsNotifications secretScanGates(String... gates) {
        return new SnsNotifications(topicArn, sns, events, Set.of(gates));
    }

    /** The topic notified. */
    public String topicArn() {
        return topicArn;
    }

    @Override
    public void runStarted(RunInfo run) {
        this.run = run;
    }

    @Override
    public void approvalRequested(ApprovalRequest request) {
        if (!events.contains(Event.APPROVAL)) {
            return;
        }
        StringBuilder body = new StringBuilder("Stage ").append(request.stage()).append(" of pipeline ")
                .append(request.pipeline());
        request.environment().ifPresent(e -> body.append(" (environment ").append(e).append(')'));
        body.append(" waits for manual approval '").append(request.gate().name()).append("'");
        request.gate().message().ifPresent(m -> body.append(": ").append(m));
        body.append(".\n");
        if (!request.gate().approvers().isEmpty()) {
            body.append("Who may approve: ").append(String.join(", ", request.gate().approvers())).append(".\n");
        }
        request.gate().timeout().ifPresent(t -> body.append("It is refused if nobody decides within ").append(t)
                .append(".\n"));
        body.append(runLine(request.runId(), request.facts()));
        publish(Event.APPROVAL, request.pipeline(), request.stage() + " waits for approval '" + request.gate().name()
                + "'", body.toString());
    }

    @Override
    public void stageFinished(StageResult result) {
        RunInfo info = run;
        String pipeline = info == null ? "pipeline" : info.pipeline().name();
        if (result.outcome() == StageOutcome.ROLLED_BACK && events.contains(Event.ROLLBACK)) {
            publish(Event.ROLLBACK, pipeline, result.stage() + " rolled back", "Stage " + result.stage()
                    + " of pipeline " + pipeline + " failed and rolled back" + attempts(result) + ":\n"
                    + result.message().orElse("(no message)") + "\n" + runLine(info));
        }
        if (result.outcome() == StageOutcome.FAILED && events.contains(Event.SECRETS)) {
            Matcher gate = FAILED_GATE.matcher(result.message().orElse(""));
            if (gate.matches() && secretScanGates.contains(gate.group(1))) {
                publish(Event.SECRETS, pipeline, "secrets found; " + result.stage() + " blocked", "Secret scanning"
                        + " (gate '" + gate.group(1) + "') blocked stage " + result.stage() + " of pipeline "
                        + pipeline + ":\n" + gate.group(2) + "\nRemove the secrets from the commits (and rotate"
                        + " them: they were pushed), or allow a false positive with a reason.\n" + runLine(info));
            }
        }
    }

    @Override
    public void runFinished(RunResult result) {
        if (result.status() != RunStatus.FAILED || !events.contains(Event.FAILURE)) {
            return;
        }
        StringBuilder body = new StringBuilder("Run ").append(result.runId()).append(" of pipeline ")
                .append(result.pipeline()).append(" failed");
        result.message().ifPresent(m -> body.append(": ").append(m));
        body.append(".\n").append(runLine(result.runId(), result.facts())).append("\nStages:\n");
        for (StageResult s : result.stages()) {
            body.append("  ").append(s.stage()).append(": ").append(s.outcome());
            if (s.outcome() != StageOutcome.SUCCEEDED && s.outcome() != StageOutcome.SKIPPED) {
                s.message().ifPresent(m -> body.append(" - ").append(m));
            }
            body.append('\n');
        }
        for (StageResult h : result.hooks()) {
            body.append("  hook ").append(h.stage()).append(": ").append(h.outcome()).append('\n');
        }
        List<String> failed = new ArrayList<>();
        result.stages().stream().filter(s -> s.outcome() == StageOutcome.FAILED || s.outcome() == StageOutcome.TIMED_OUT
                || s.outcome() == StageOutcome.ROLLED_BACK).forEach(s -> failed.add(s.stage() + " "
                        + s.outcome().name().toLowerCase(Locale.ROOT).replace('_', ' ')));
        publish(Event.FAILURE, result.pipeline(), "run failed" + (failed.isEmpty() ? "" : ": " + String.join(", ",
                failed)), body.toString());
    }

    private static String attempts(StageResult result) {
        return result.attempts() > 1 ? " after " + result.attempts() + " attempts" : "";
    }

    private static String runLine(@Nullable RunInfo info) {
        return info == null ? "" : runLine(info.runId(), info.facts());
    }

    private static String runLine(String runId, Facts facts) {
        return "Run " + runId + ", for " + facts + ".";
    }

    private void publish(Event event, String pipeline, String what, String body) {
        String subject = subject("[" + pipeline + "] " + what);
        String message = body.length() > MESSAGE_LENGTH ? body.substring(0, MESSAGE_LENGTH) + "\n(cut)" : body;
        try {
            sns.publish(r -> r.topicArn(topicArn).subject(subject).message(message).messageAttributes(Map.of(
                    "event", attribute(event.id()), "pipeline", attribute(pipeline))));
            LOG.debug("Notified {} of {}: {}", topicArn, event.id(), subject);
        } catch (SdkException e) {
            LOG.error("Could not notify {} of {} ({}): {}", topicArn, event.id(), subject,
                    AwsCall.describe("SNS Publish", "topic " + topicArn, e));
        } catch (RuntimeException e) {
            LOG.error("Could not notify {} of {} ({})", topicArn, event.id(), subject, e);
        }
    }

    private static MessageAttributeValue attribute(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
    }

    /** One line of printable ASCII, at most 100 characters, as SNS wants subjects. */
    static String subject(String text) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < text.length() && b.length() < SUBJECT_LENGTH; i++) {
            char c = text.charAt(i);
            b.append(c >= 0x20 && c < 0x7f ? c : (Character.isWhitespace(c) ? ' ' : '?'));
        }
        if (b.length() == SUBJECT_LENGTH && text.length() > SUBJECT_LENGTH) {
            b.replace(SUBJECT_LENGTH - 3, SUBJECT_LENGTH, "...");
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return "SNS notifications to " + topicArn + " of " + events;
    }
}
