package dev.chathistory.maintenance;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResultEntry;

/**
 * Moves messages from the dead-letter queue back to the job queue: receive, send the same
 * bodies, delete only what was sent. A message is never lost: it leaves the DLQ only after the
 * job queue accepted its copy. If a delete fails after the send, the message is moved again by
 * a later redrive, which idempotent jobs tolerate. (In AWS, {@code aws sqs
 * start-message-move-task} does the same server-side; this works against emulators too.)
 */
public final class DeadLetterRedrive {

    /** Long enough to send and delete a batch; a message we fail to send reappears after it. */
    static final int VISIBILITY_TIMEOUT_SECONDS = 60;
    static final int BATCH = 10;

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterRedrive.class);

    private final SqsClient sqs;
    private final String deadLetterQueueUrl;
    private final String targetQueueUrl;

    public DeadLetterRedrive(SqsClient sqs, String deadLetterQueueUrl, String targetQueueUrl) {
        this.sqs = sqs;
        this.deadLetterQueueUrl = deadLetterQueueUrl;
        this.targetQueueUrl = targetQueueUrl;
    }

    /**
     * @param moved  messages now on the job queue and gone from the DLQ
     * @param failed messages the job queue refused; they stay in the DLQ
     */
    public record Result(int moved, int failed) {
    }

    /** Moves up to {@code max} messages; stops early when the DLQ is empty or time runs low. */
    public Result redrive(int max, TimeBudget budget) {
        int moved = 0;
        int failed = 0;
        while (moved < max && !budget.exhausted()) {
            int wanted = Math.min(BATCH, max - moved);
            // A one-second long poll: a short poll samples some servers and can come back empty
            // while messages remain, which would end the redrive early.
            List<Message> received = sqs.receiveMessage(b -> b.queueUrl(deadLetterQueueUrl)
                    .maxNumberOfMessages(wanted)
                    .waitTimeSeconds(1)
                    .visibilityTimeout(VISIBILITY_TIMEOUT_SECONDS)
                    .messageAttributeNames("All")).messages();
            if (received.isEmpty()) {
                break;
            }
            List<Message> sent = send(received);
            failed += received.size() - sent.size();
            if (sent.isEmpty()) {
                // The job queue refuses everything: stop rather than spin through the DLQ.
                break;
            }
            delete(sent);
            moved += sent.size();
        }
        if (failed > 0) {
            LOG.warn("{} dead-letter messages could not be sent back and stay in the DLQ", failed);
        }
        return new Result(moved, failed);
    }

    private List<Message> send(List<Message> messages) {
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            Message message = messages.get(i);
            entries.add(SendMessageBatchRequestEntry.builder()
                    .id(Integer.toString(i))
                    .messageBody(message.body())
                    .messageAttributes(message.messageAttributes())
                    .build());
        }
        SendMessageBatchResponse response = sqs.sendMessageBatch(b -> b.queueUrl(targetQueueUrl).entries(entries));
        List<Message> sent = new ArrayList<>(response.successful().size());
        for (SendMessageBatchResultEntry ok : response.successful()) {
            sent.add(messages.get(Integer.parseInt(ok.id())));
        }
        return sent;
    }

    private void delete(List<Message> messages) {
        List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            entries.add(DeleteMessageBatchRequestEntry.builder()
                    .id(Integer.toString(i))
                    .receiptHandle(messages.get(i).receiptHandle())
                    .build());
        }
        DeleteMessageBatchResponse response = sqs.deleteMessageBatch(b -> b.queueUrl(deadLetterQueueUrl)
                .entries(entries));
        if (response.hasFailed() && !response.failed().isEmpty()) {
            Set<String> codes = new HashSet<>();
            for (BatchResultErrorEntry failure : response.failed()) {
                codes.add(failure.code());
            }
            LOG.warn("{} redriven messages could not be deleted from the DLQ and will be moved again later: {}",
                    response.failed().size(), codes);
        }
    }
}
