package dev.pipewright.aws;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.sns.model.PublishResponse;

/**
 * The sandbox's SNS: Publish over awsQuery to topics a test declares with {@link #givenTopic},
 * recording every message published.
 *
 * <p>Publish is checked as SNS checks it: exactly one of TopicArn, TargetArn and PhoneNumber; a
 * Message of at most 256 KiB; a Subject of at most 100 printable ASCII characters without line
 * breaks ({@code InvalidParameter}); an undeclared topic is {@code NotFound} (404).
 *
 * <pre>{@code
 * String alerts = sandbox.sns().givenTopic("housing-api-alerts");
 * // ... a deploy fails and notifies ...
 * assertThat(sandbox.sns().published()).singleElement()
 *         .satisfies(m -> assertThat(m.subject()).contains("housing-api: deploy-production failed"));
 * }</pre>
 *
 * <p>Thread-safe.
 *
 * @since 0.1
 */
public final class FakeSns {
    static final String NAMESPACE = "http://sns.amazonaws.com/doc/2010-03-31/";
    private static final Set<String> OPERATIONS = Set.of("Publish");
    private static final Pattern TOPIC_NAME = Pattern.compile("[A-Za-z0-9_-]{1,256}(\\.fifo)?");
    private static final Pattern SUBJECT = Pattern.compile("[\\x20-\\x7e]*");

    private final String account;
    private final String region;
    private final Set<String> topics = new LinkedHashSet<>(); // guarded by this
    private final List<Message> published = new ArrayList<>(); // guarded by this

    FakeSns(String account, String region) {
        this.account = account;
        this.region = region;
    }

    /**
     * A message published to the sandbox.
     *
     * @param topicArn the topic (or target) it was published to
     * @param subject its Subject, if it had one
     * @param message its Message
     * @param attributes its string MessageAttributes, by name
     * @param messageId the MessageId the sandbox answered
     * @since 0.1
     */
    public record Message(String topicArn, Optional<String> subject, String message, Map<String, String> attributes,
            String messageId) {
        /** Copies the attributes. */
        public Message {
            checkNotNull(topicArn, "topicArn");
            checkNotNull(subject, "subject");
            checkNotNull(message, "message");
            attributes = ImmutableMap.copyOf(attributes);
            checkNotNull(messageId, "messageId");
        }
    }

    /**
     * Declares topic {@code name}.
     *
     * @return its ARN, {@code arn:aws:sns:<region>:<account>:<name>}
     * @throws IllegalArgumentException if {@code name} is not a topic name
     */
    public synchronized String givenTopic(String name) {
        checkNotNull(name, "name");
        checkArgument(TOPIC_NAME.matcher(name).matches(), "'%s' is not an SNS topic name: 1 to 256 letters, digits,"
                + " - and _", name);
        String arn = "arn:aws:sns:" + region + ":" + account + ":" + name;
        topics.add(arn);
        return arn;
    }

    /** Every message published so far, oldest first. */
    public synchronized List<Message> published() {
        return ImmutableList.copyOf(published);
    }

    SandboxService service() {
        return new Handler();
    }

    private final class Handler extends SandboxService {
        Handler() {
            super(AwsSandbox.Service.SNS, SandboxProtocol.QUERY, NAMESPACE, OPERATIONS);
        }

        @Override
        String operation(SandboxRequest request) {
            return queryAction(request, "2010-03-31");
        }

        @Override
        SandboxResponse handle(String operation, SandboxRequest request, @Nullable SandboxPrincipal caller,
                String requestId) {
            return SandboxProtocol.QUERY.result(200, operation, NAMESPACE, publish(request.form()), requestId);
        }
    }

    private PublishResponse publish(Map<String, String> form) {
        String topic = form.get("TopicArn");
        String target = form.get("TargetArn");
        String phone = form.get("PhoneNumber");
        String message = form.get("Message");
        String subject = form.get("Subject");
        SandboxValidation v = new SandboxValidation();
        v.required("message", message);
        v.throwIfAny(400, "ValidationError");
        int destinations = (topic != null ? 1 : 0) + (target != null ? 1 : 0) + (phone != null ? 1 : 0);
        if (destinations != 1) {
            throw SandboxError.client(400, "InvalidParameter", "Invalid parameter: TopicArn or TargetArn Reason: exactly"
                    + " one of TopicArn, TargetArn and PhoneNumber must be given");
        }
        if (phone != null) {
            throw SandboxError.client(400, "InvalidParameter", "Invalid parameter: PhoneNumber Reason: the sandbox"
                    + " does not send SMS");
        }
        if (checkNotNull(message).getBytes(StandardCharsets.UTF_8).length > 262144) {
            throw SandboxError.client(400, "InvalidParameter", "Invalid parameter: Message too long");
        }
        if (message.isEmpty()) {
            throw SandboxError.client(400, "InvalidParameter", "Invalid parameter: Empty message");
        }
        if (subject != null && (subject.isEmpty() || subject.length() > 100 || !SUBJECT.matcher(subject).matches())) {
            throw SandboxError.client(400, "InvalidParameter", "Invalid parameter: Subject Reason: a subject has 1 to"
                    + " 100 printable ASCII characters and no line breaks");
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        for (int i = 1; form.containsKey("MessageAttributes.entry." + i + ".Name"); i++) {
            String prefix = "MessageAttributes.entry." + i + ".";
            String type = form.getOrDefault(prefix + "Value.DataType", "");
            if (!type.startsWith("String") && !type.startsWith("Number") && !type.startsWith("Binary")) {
                throw SandboxError.client(400, "ParameterValueInvalid", "The message attribute '"
                        + form.get(prefix + "Name") + "' has an invalid message attribute type, the set of supported"
                        + " type prefixes is Binary, Number, and String.");
            }
            attributes.put(form.get(prefix + "Name"), form.getOrDefault(prefix + "Value.StringValue",
                    form.getOrDefault(prefix + "Value.BinaryValue", "")));
        }
        String arn = topic != null ? topic : checkNotNull(target);
        String messageId = UUID.randomUUID().toString();
        synchronized (this) {
            if (!topics.contains(arn)) {
                throw SandboxError.client(404, "NotFound", "Topic does not exist");
            }
            published.add(new Message(arn, Optional.ofNullable(subject), message, attributes, messageId));
        }
        return PublishResponse.builder().messageId(messageId).build();
    }
}
