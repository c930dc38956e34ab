package dev.chathistory.local.sources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chathistory.local.functions.FunctionFailedException;
import dev.chathistory.local.functions.LocalFunction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.FilterRule;
import software.amazon.awssdk.services.s3.model.QueueConfiguration;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * S3 event notifications to a function, the way Lambda receives them: asynchronously, with
 * retries. The emulator cannot invoke our in-process functions, so each S3 event of a function
 * becomes a bucket notification to a private queue that this source drains; a failed
 * invocation is retried {@code EventInvokeConfig.MaximumRetryAttempts} times (default 2, a
 * few seconds apart rather than Lambda's minutes). Then, as Lambda does, the event goes with
 * an invocation record to the function's on-failure destination (an SQS queue), sent with the
 * function's own role; without one it is parked in a private "-failed" queue for inspection,
 * where Lambda would drop it. With {@code deliverTwice} each event is handed over twice, as
 * S3 notifications (delivered at least once) may.
 */
public final class S3EventSource extends BackgroundPoller {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final System.Logger LOG = System.getLogger(S3EventSource.class.getName());
    /**
     * Seconds between a failed invocation and its retry (Lambda waits about a minute). Longer than
     * the lease an ingestion takes past its deadline (5 s), as Lambda's delay is, so the retry of
     * an ingestion that timed out finds its claim ended rather than still held.
     */
    private static final int RETRY_DELAY_SECONDS = 6;

    /** One S3 event of a function: which bucket, which events, which keys. */
    public record Subscription(String bucket, List<String> events, List<FilterRule> rules) {

        public static Subscription from(JsonNode properties, String bucketName) {
            List<String> events = new ArrayList<>();
            JsonNode declared = properties.path("Events");
            if (declared.isArray()) {
                declared.forEach(e -> events.add(e.asText()));
            } else {
                events.add(declared.asText());
            }
            List<FilterRule> rules = new ArrayList<>();
            for (JsonNode rule : properties.path("Filter").path("S3Key").path("Rules")) {
                rules.add(FilterRule.builder()
                        .name(rule.path("Name").asText().toLowerCase(Locale.ROOT))
                        .value(rule.path("Value").asText())
                        .build());
            }
            return new Subscription(bucketName, events, rules);
        }
    }

    /** Where events that failed every attempt go: an SQS queue, written with the function's role. */
    public record OnFailure(SqsClient sqs, String queueUrl, String functionArn) {
    }

    private final SqsClient sqs;
    private final String queueUrl;
    private final String failedUrl;
    private final LocalFunction function;
    private final int maximumRetryAttempts;
    private final Optional<OnFailure> onFailure;
    private final boolean deliverTwice;

    private S3EventSource(SqsClient sqs, String queueUrl, String failedUrl, LocalFunction function, String name,
                          int maximumRetryAttempts, Optional<OnFailure> onFailure, boolean deliverTwice) {
        super("s3-" + name);
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.failedUrl = failedUrl;
        this.function = function;
        this.maximumRetryAttempts = maximumRetryAttempts;
        this.onFailure = onFailure;
        this.deliverTwice = deliverTwice;
    }

    /**
     * Creates the private queue pair for one subscription and returns the notification the
     * bucket needs; the caller puts every notification of a bucket in one configuration.
     */
    public static S3EventSource prepare(SqsClient sqs, String queueName, LocalFunction function,
                                        int maximumRetryAttempts, Optional<OnFailure> onFailure,
                                        Subscription subscription, List<QueueConfiguration> bucketNotifications,
                                        boolean deliverTwice) {
        String failedUrl = sqs.createQueue(b -> b.queueName(queueName + "-failed")).queueUrl();
        String failedArn = arn(sqs, failedUrl);
        // A backstop: an event whose last failure could not be handed on moves here on its next receive.
        String redrive = JSON.createObjectNode()
                .put("deadLetterTargetArn", failedArn)
                .put("maxReceiveCount", maximumRetryAttempts + 1)
                .toString();
        String url = sqs.createQueue(b -> b.queueName(queueName).attributes(Map.of(
                QueueAttributeName.VISIBILITY_TIMEOUT, Integer.toString(RETRY_DELAY_SECONDS),
                QueueAttributeName.REDRIVE_POLICY, redrive))).queueUrl();
        QueueConfiguration.Builder notification = QueueConfiguration.builder()
                .id(queueName)
                .queueArn(arn(sqs, url))
                .eventsWithStrings(subscription.events());
        if (!subscription.rules().isEmpty()) {
            notification.filter(f -> f.key(k -> k.filterRules(subscription.rules())));
        }
        bucketNotifications.add(notification.build());
        return new S3EventSource(sqs, url, failedUrl, function, queueName, maximumRetryAttempts, onFailure,
                deliverTwice);
    }

    /** Applies every function's notifications of one bucket in one call, as S3 requires. */
    public static void configureBucket(S3Client s3, String bucket, List<QueueConfiguration> notifications) {
        s3.putBucketNotificationConfiguration(b -> b.bucket(bucket)
                .notificationConfiguration(n -> n.queueConfigurations(notifications)));
    }

    public void start() {
        startPolling();
    }

    @Override
    void pollOnce() {
        for (Message message : sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10)
                .messageSystemAttributeNames(MessageSystemAttributeName.ALL)
                .waitTimeSeconds(1)).messages()) {
            deliver(message);
        }
    }

    private void deliver(Message message) {
        JsonNode body;
        try {
            body = JSON.readTree(message.body());
        } catch (java.io.IOException e) {
            body = null;
        }
        // S3 sends a test event when notifications are configured; Lambda never sees it.
        if (body != null && body.has("Records")) {
            try {
                function.invoke(message.body(), LocalFunction.InvocationType.EVENT);
                if (deliverTwice) {
                    // At-least-once: the same event again, after the first was handled.
                    function.invoke(message.body(), LocalFunction.InvocationType.EVENT);
                }
            } catch (FunctionFailedException e) {
                int attempts = Integer.parseInt(message.attributes()
                        .getOrDefault(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "1"));
                if (attempts <= maximumRetryAttempts) {
                    LOG.log(System.Logger.Level.WARNING, e.getMessage() + "; it will be retried");
                    // The delay counts from the failure, not from the receive: an invocation that
                    // ran past the queue's visibility timeout would otherwise be retried at once.
                    sqs.changeMessageVisibility(b -> b.queueUrl(queueUrl).receiptHandle(message.receiptHandle())
                            .visibilityTimeout(RETRY_DELAY_SECONDS));
                    return;
                }
                LOG.log(System.Logger.Level.WARNING, e.getMessage() + "; no retries left");
                handOn(body, e, attempts);
            }
        }
        sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
    }

    /** Lambda's on-failure destination record: the event, why it failed, how often it was tried. */
    private void handOn(JsonNode event, FunctionFailedException failure, int attempts) {
        ObjectNode record = JSON.createObjectNode()
                .put("version", "1.0")
                .put("timestamp", Instant.now().toString());
        record.putObject("requestContext")
                .put("requestId", UUID.randomUUID().toString())
                .put("functionArn", onFailure.map(OnFailure::functionArn).orElse(function.logicalId()) + ":$LATEST")
                .put("condition", "RetriesExhausted")
                .put("approximateInvokeCount", attempts);
        record.set("requestPayload", event);
        record.putObject("responseContext")
                .put("statusCode", 200)
                .put("executedVersion", "$LATEST")
                .put("functionError", "Unhandled");
        record.putObject("responsePayload")
                .put("errorType", failure.errorType())
                .put("errorMessage", failure.getMessage());
        if (onFailure.isPresent()) {
            OnFailure destination = onFailure.get();
            destination.sqs().sendMessage(b -> b.queueUrl(destination.queueUrl()).messageBody(record.toString()));
        } else {
            sqs.sendMessage(b -> b.queueUrl(failedUrl).messageBody(record.toString()));
        }
    }

    private static String arn(SqsClient sqs, String url) {
        return sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
    }
}
