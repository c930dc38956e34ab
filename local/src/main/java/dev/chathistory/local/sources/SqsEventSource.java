package dev.chathistory.local.sources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chathistory.local.functions.FunctionFailedException;
import dev.chathistory.local.functions.LocalFunction;
import dev.chathistory.local.resources.LocalResources.Queue;
import dev.chathistory.local.template.UnsupportedTemplateException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * An SQS event source mapping as Lambda runs one: poll the queue, hand the function batches of
 * up to {@code BatchSize} records (waiting up to {@code MaximumBatchingWindowInSeconds} to fill
 * one, and never more than 6 MB of event), delete what succeeded. With
 * {@code ReportBatchItemFailures} only the records the function names stay on the queue; a
 * function error (a timeout or a throttle included), or a failure report naming a record that
 * is not in the batch, leaves the whole batch. Records left behind come back after the
 * queue's visibility timeout (or whatever the function set), and the queue's own redrive
 * policy moves them to its dead-letter queue after {@code maxReceiveCount} receives.
 *
 * <p>{@code ScalingConfig.MaximumConcurrency} pollers run at once (one when unset: locally
 * the mapping does not scale out as Lambda's would). With {@code deliverTwice}, every batch
 * is handed to the function a second time, as SQS's at-least-once delivery may.
 */
public final class SqsEventSource extends BackgroundPoller {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final System.Logger LOG = System.getLogger(SqsEventSource.class.getName());
    private static final int MAX_PER_RECEIVE = 10;
    /** Lambda's synchronous payload limit, which caps a batch's event. */
    private static final int MAX_EVENT_BYTES = 6 * 1024 * 1024;

    /** The mapping's settings, as the template declares them. */
    public record Settings(int batchSize, Duration batchingWindow, boolean reportBatchItemFailures,
                           int maximumConcurrency, boolean deliverTwice) {

        /**
         * The mapping's properties, refused where Lambda refuses them.
         *
         * @throws UnsupportedTemplateException with Lambda's message for a setting it rejects
         */
        public static Settings from(JsonNode properties, boolean fifo, boolean deliverTwice) {
            boolean partial = false;
            for (JsonNode type : properties.path("FunctionResponseTypes")) {
                partial |= "ReportBatchItemFailures".equals(type.asText());
            }
            int batchSize = properties.path("BatchSize").asInt(10);
            int window = properties.path("MaximumBatchingWindowInSeconds").asInt(0);
            int maxBatch = fifo ? 10 : 10_000;
            if (batchSize < 1 || batchSize > maxBatch) {
                throw invalid("BatchSize must be between 1 and " + maxBatch + " for " + (fifo ? "a FIFO" : "an SQS")
                        + " queue, got " + batchSize);
            }
            if (window < 0 || window > 300) {
                throw invalid("MaximumBatchingWindowInSeconds must be between 0 and 300, got " + window);
            }
            if (batchSize > 10 && window < 1) {
                throw invalid("Maximum batch window in seconds must be greater than 0 if maximum batch size is "
                        + "greater than 10");
            }
            JsonNode concurrency = properties.path("ScalingConfig").path("MaximumConcurrency");
            int maximumConcurrency = concurrency.isMissingNode() ? 1 : concurrency.asInt();
            if (!concurrency.isMissingNode() && (maximumConcurrency < 2 || maximumConcurrency > 1000)) {
                throw invalid("ScalingConfig.MaximumConcurrency must be between 2 and 1000, got " + maximumConcurrency);
            }
            return new Settings(batchSize, Duration.ofSeconds(window), partial, maximumConcurrency, deliverTwice);
        }

        private static UnsupportedTemplateException invalid(String message) {
            return new UnsupportedTemplateException("InvalidParameterValueException: " + message);
        }
    }

    private final SqsClient sqs;
    private final Queue queue;
    private final String region;
    private final LocalFunction function;
    private final Settings settings;
    /** Received, but past the 6 MB of the batch they came with: the next batch starts with them. */
    private final List<Message> carried = new ArrayList<>();

    private SqsEventSource(SqsClient sqs, Queue queue, String region, LocalFunction function, Settings settings,
                           int poller) {
        super("sqs-" + queue.logicalId() + "->" + function.logicalId() + "-" + poller);
        this.sqs = sqs;
        this.queue = queue;
        this.region = region;
        this.function = function;
        this.settings = settings;
    }

    /** Starts the mapping: its pollers, once Lambda's checks of the queue pass. */
    public static AutoCloseable start(SqsClient sqs, Queue queue, String region, LocalFunction function,
                                      Settings settings) {
        requireVisibilityOfAtLeast(sqs, queue, function.definition().timeoutSeconds());
        List<SqsEventSource> pollers = new ArrayList<>();
        for (int i = 1; i <= settings.maximumConcurrency(); i++) {
            SqsEventSource poller = new SqsEventSource(sqs, queue, region, function, settings, i);
            poller.startPolling();
            pollers.add(poller);
        }
        return () -> pollers.forEach(SqsEventSource::close);
    }

    /**
     * Lambda reads the queue's attributes (with the function's role) when it creates the mapping,
     * and refuses a queue whose messages would come back while the function may still be working
     * on them.
     */
    private static void requireVisibilityOfAtLeast(SqsClient sqs, Queue queue, int functionTimeoutSeconds) {
        int visibility = Integer.parseInt(sqs.getQueueAttributes(b -> b.queueUrl(queue.url())
                .attributeNames(QueueAttributeName.VISIBILITY_TIMEOUT)).attributes()
                .get(QueueAttributeName.VISIBILITY_TIMEOUT));
        if (visibility < functionTimeoutSeconds) {
            throw new UnsupportedTemplateException("InvalidParameterValueException: Queue visibility timeout: "
                    + visibility + " seconds is less than Function timeout: " + functionTimeoutSeconds + " seconds ("
                    + queue.logicalId() + ")");
        }
    }

    @Override
    void pollOnce() {
        List<Message> batch = receiveBatch();
        if (!batch.isEmpty()) {
            deliver(batch);
        }
    }

    private List<Message> receiveBatch() {
        List<Message> batch = new ArrayList<>(carried);
        carried.clear();
        if (batch.isEmpty()) {
            batch.addAll(receive(Math.min(MAX_PER_RECEIVE, settings.batchSize()), 1));
        }
        long deadline = System.nanoTime() + settings.batchingWindow().toNanos();
        while (!batch.isEmpty() && batch.size() < settings.batchSize() && System.nanoTime() < deadline
                && running()) {
            List<Message> more = receive(Math.min(MAX_PER_RECEIVE, settings.batchSize() - batch.size()), 0);
            if (more.isEmpty()) {
                pause(100);
            }
            more.forEach(message -> addOnce(batch, message));
        }
        return withinPayloadLimit(batch);
    }

    /**
     * A record whose visibility timeout ran out while the batch was still gathering comes back
     * with a new receipt handle: it stays in the batch once, under the handle that can still
     * delete it.
     */
    private static void addOnce(List<Message> batch, Message received) {
        for (int i = 0; i < batch.size(); i++) {
            if (batch.get(i).messageId().equals(received.messageId())) {
                batch.set(i, received);
                return;
            }
        }
        batch.add(received);
    }

    /** The batch's first records that fit Lambda's 6 MB; the rest wait for the next batch. */
    private List<Message> withinPayloadLimit(List<Message> batch) {
        int bytes = 0;
        for (int i = 0; i < batch.size(); i++) {
            bytes += batch.get(i).body().getBytes(StandardCharsets.UTF_8).length + 1024;
            if (bytes > MAX_EVENT_BYTES && i > 0) {
                carried.addAll(batch.subList(i, batch.size()));
                return new ArrayList<>(batch.subList(0, i));
            }
        }
        return batch;
    }

    private List<Message> receive(int max, int waitSeconds) {
        return sqs.receiveMessage(b -> b.queueUrl(queue.url())
                .maxNumberOfMessages(max)
                .waitTimeSeconds(waitSeconds)
                .messageSystemAttributeNames(MessageSystemAttributeName.ALL)
                .messageAttributeNames("All")).messages();
    }

    /** One invocation; returns the ids of the records left on the queue. */
    Set<String> deliver(List<Message> batch) {
        Set<String> failed = new HashSet<>();
        Set<String> inBatch = new HashSet<>();
        batch.forEach(m -> inBatch.add(m.messageId()));
        try {
            String result = function.invoke(event(batch).toString());
            if (settings.deliverTwice()) {
                // At-least-once: the same records again, before any of them is deleted.
                result = function.invoke(event(batch).toString());
            }
            if (settings.reportBatchItemFailures()) {
                for (JsonNode failure : JSON.readTree(result).path("batchItemFailures")) {
                    String id = failure.path("itemIdentifier").asText("");
                    if (!inBatch.contains(id)) {
                        LOG.log(System.Logger.Level.WARNING, function.logicalId()
                                + " reported a failure for a record not in the batch; the whole batch fails");
                        return inBatch;
                    }
                    failed.add(id);
                }
            }
        } catch (FunctionFailedException e) {
            LOG.log(System.Logger.Level.WARNING, e.getMessage() + "; the whole batch stays on " + queue.name());
            return inBatch;
        } catch (java.io.IOException e) {
            LOG.log(System.Logger.Level.WARNING, function.logicalId() + " returned invalid JSON; the batch fails");
            return inBatch;
        }
        List<DeleteMessageBatchRequestEntry> done = batch.stream()
                .filter(m -> !failed.contains(m.messageId()))
                .map(m -> DeleteMessageBatchRequestEntry.builder().id(m.messageId()).receiptHandle(m.receiptHandle())
                        .build())
                .toList();
        for (int i = 0; i < done.size(); i += MAX_PER_RECEIVE) {
            List<DeleteMessageBatchRequestEntry> chunk = done.subList(i, Math.min(done.size(), i + MAX_PER_RECEIVE));
            sqs.deleteMessageBatch(b -> b.queueUrl(queue.url()).entries(chunk));
        }
        return failed;
    }

    /** The SQS event Lambda sends: one record per message with its system attributes. */
    private ObjectNode event(List<Message> batch) {
        ObjectNode event = JSON.createObjectNode();
        ArrayNode records = event.putArray("Records");
        for (Message message : batch) {
            ObjectNode record = records.addObject()
                    .put("messageId", message.messageId())
                    .put("receiptHandle", message.receiptHandle())
                    .put("body", message.body())
                    .put("md5OfBody", message.md5OfBody())
                    .put("eventSource", "aws:sqs")
                    .put("eventSourceARN", queue.arn())
                    .put("awsRegion", region);
            ObjectNode attributes = record.putObject("attributes");
            message.attributes().forEach((name, value) -> attributes.put(name.toString(), value));
            ObjectNode messageAttributes = record.putObject("messageAttributes");
            message.messageAttributes().forEach((name, value) -> {
                ObjectNode attribute = messageAttributes.putObject(name)
                        .put("dataType", value.dataType());
                if (value.stringValue() != null) {
                    attribute.put("stringValue", value.stringValue());
                }
                if (value.binaryValue() != null) {
                    attribute.put("binaryValue", java.util.Base64.getEncoder()
                            .encodeToString(value.binaryValue().asByteArray()));
                }
                attribute.putArray("stringListValues");
                attribute.putArray("binaryListValues");
            });
        }
        return event;
    }
}
