package dev.chathistory.maintenance;

import java.time.Instant;
import java.util.List;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * How full and how old the job dead-letter queue is.
 *
 * <p>Both numbers are approximate. SQS counts messages approximately, and the oldest age comes
 * from peeking at up to ten messages (received with a visibility timeout of 0, so they stay
 * visible): on a standard queue a receive samples only some of the servers, so the true oldest
 * message may not be among them. CloudWatch also has SQS's own
 * {@code ApproximateAgeOfOldestMessage} metric for the queue, which is exact enough for alarms;
 * this one sits beside the depth in the service's namespace and in the sweep's summary.
 */
public final class DeadLetterQueue {

    private static final int PEEK = 10;

    private final SqsClient sqs;
    private final String queueUrl;

    public DeadLetterQueue(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    /** What is in the queue and how old its oldest message seems. */
    public record Report(long depth, long oldestAgeSeconds) {
    }

    public Report report(Instant now) {
        long depth = depth();
        return new Report(depth, depth == 0 ? 0 : oldestAgeSeconds(now));
    }

    /** Visible messages (ApproximateNumberOfMessages). */
    public long depth() {
        String value = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl)
                        .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                .attributes().get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES);
        return value == null ? 0 : Long.parseLong(value);
    }

    /** Age of the oldest of up to ten peeked messages, in whole seconds; 0 if none was seen. */
    public long oldestAgeSeconds(Instant now) {
        // A one-second long poll asks every server instead of a sample, and returns at once
        // when messages are there.
        List<Message> peeked = sqs.receiveMessage(b -> b.queueUrl(queueUrl)
                .maxNumberOfMessages(PEEK)
                .visibilityTimeout(0)
                .waitTimeSeconds(1)
                .messageSystemAttributeNames(MessageSystemAttributeName.SENT_TIMESTAMP)).messages();
        long oldestSent = Long.MAX_VALUE;
        for (Message message : peeked) {
            String sent = message.attributes().get(MessageSystemAttributeName.SENT_TIMESTAMP);
            if (sent != null) {
                oldestSent = Math.min(oldestSent, Long.parseLong(sent));
            }
        }
        if (oldestSent == Long.MAX_VALUE) {
            return 0;
        }
        return Math.max(0, (now.toEpochMilli() - oldestSent) / 1000);
    }
}
