package dev.chathistory.maintenance;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResultEntry;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesRequest;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResultEntry;

/**
 * The few SQS calls maintenance makes, on in-memory queues. Time does not pass: a message
 * received with a visibility timeout stays hidden until deleted; with 0 it stays visible. Every
 * request is recorded, and sends can be refused per body.
 */
final class FakeSqs implements SqsClient {

    private static final class Stored {
        final String body;
        final long sentMillis;
        String receipt;
        boolean hidden;

        Stored(String body, long sentMillis) {
            this.body = body;
            this.sentMillis = sentMillis;
        }
    }

    private final Map<String, List<Stored>> queues = new LinkedHashMap<>();
    final List<SendMessageBatchRequest> sendBatches = new ArrayList<>();
    final List<ReceiveMessageRequest> receives = new ArrayList<>();
    final List<DeleteMessageBatchRequest> deleteBatches = new ArrayList<>();
    private Predicate<String> refuseSend = body -> false;
    private boolean refuseDeletes;

    void put(String queueUrl, String body, long sentMillis) {
        queue(queueUrl).add(new Stored(body, sentMillis));
    }

    List<String> bodies(String queueUrl) {
        return queue(queueUrl).stream().map(m -> m.body).toList();
    }

    void refuseSendsOf(Predicate<String> refuse) {
        this.refuseSend = refuse;
    }

    void refuseDeletes() {
        this.refuseDeletes = true;
    }

    private List<Stored> queue(String url) {
        return queues.computeIfAbsent(url, k -> new ArrayList<>());
    }

    @Override
    public GetQueueAttributesResponse getQueueAttributes(GetQueueAttributesRequest request) {
        long visible = queue(request.queueUrl()).stream().filter(m -> !m.hidden).count();
        return GetQueueAttributesResponse.builder()
                .attributes(Map.of(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, Long.toString(visible)))
                .build();
    }

    @Override
    public ReceiveMessageResponse receiveMessage(ReceiveMessageRequest request) {
        receives.add(request);
        int max = request.maxNumberOfMessages() == null ? 1 : request.maxNumberOfMessages();
        boolean hide = request.visibilityTimeout() == null || request.visibilityTimeout() > 0;
        List<Message> messages = new ArrayList<>();
        for (Stored stored : queue(request.queueUrl())) {
            if (messages.size() == max) {
                break;
            }
            if (stored.hidden) {
                continue;
            }
            stored.receipt = UUID.randomUUID().toString();
            stored.hidden = hide;
            messages.add(Message.builder()
                    .body(stored.body)
                    .receiptHandle(stored.receipt)
                    .attributes(Map.of(MessageSystemAttributeName.SENT_TIMESTAMP, Long.toString(stored.sentMillis)))
                    .build());
        }
        return ReceiveMessageResponse.builder().messages(messages).build();
    }

    @Override
    public SendMessageBatchResponse sendMessageBatch(SendMessageBatchRequest request) {
        if (request.entries().size() > 10) {
            throw new IllegalArgumentException("TooManyEntriesInBatchRequest");
        }
        sendBatches.add(request);
        List<SendMessageBatchResultEntry> ok = new ArrayList<>();
        List<BatchResultErrorEntry> failed = new ArrayList<>();
        for (SendMessageBatchRequestEntry entry : request.entries()) {
            if (refuseSend.test(entry.messageBody())) {
                failed.add(BatchResultErrorEntry.builder().id(entry.id()).code("InternalError").senderFault(false)
                        .build());
            } else {
                put(request.queueUrl(), entry.messageBody(), 0);
                ok.add(SendMessageBatchResultEntry.builder().id(entry.id()).messageId(UUID.randomUUID().toString())
                        .build());
            }
        }
        return SendMessageBatchResponse.builder().successful(ok).failed(failed).build();
    }

    @Override
    public DeleteMessageBatchResponse deleteMessageBatch(DeleteMessageBatchRequest request) {
        deleteBatches.add(request);
        List<DeleteMessageBatchResultEntry> ok = new ArrayList<>();
        List<BatchResultErrorEntry> failed = new ArrayList<>();
        for (DeleteMessageBatchRequestEntry entry : request.entries()) {
            if (refuseDeletes) {
                failed.add(BatchResultErrorEntry.builder().id(entry.id()).code("InternalError").build());
            } else {
                queue(request.queueUrl()).removeIf(m -> entry.receiptHandle().equals(m.receipt));
                ok.add(DeleteMessageBatchResultEntry.builder().id(entry.id()).build());
            }
        }
        return DeleteMessageBatchResponse.builder().successful(ok).failed(failed).build();
    }

    @Override
    public String serviceName() {
        return "sqs";
    }

    @Override
    public void close() {
    }
}
