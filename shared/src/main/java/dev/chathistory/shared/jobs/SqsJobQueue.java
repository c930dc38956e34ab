package dev.chathistory.shared.jobs;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/** {@link JobQueue} on the SQS job queue. */
public final class SqsJobQueue implements JobQueue {

    /** SendMessageBatch takes at most ten entries. */
    public static final int MAX_BATCH = 10;
    /** SQS delays a message by at most 15 minutes. */
    public static final Duration MAX_DELAY = Duration.ofMinutes(15);

    private final SqsClient sqs;
    private final String queueUrl;

    public SqsJobQueue(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    @Override
    public void send(JobRequest request) {
        sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(request.toJson()));
    }

    @Override
    public void sendLater(JobRequest request, Duration delay) {
        // Whole seconds, rounded up: a job that asked to wait must not come back early.
        long roundedUp = (Math.max(0, delay.toMillis()) + 999) / 1000;
        int seconds = (int) Math.min(MAX_DELAY.getSeconds(), roundedUp);
        sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(request.toJson()).delaySeconds(seconds));
    }

    @Override
    public List<JobRequest> sendAll(List<JobRequest> requests) {
        List<JobRequest> failed = new ArrayList<>();
        for (int from = 0; from < requests.size(); from += MAX_BATCH) {
            List<JobRequest> batch = requests.subList(from, Math.min(requests.size(), from + MAX_BATCH));
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                entries.add(SendMessageBatchRequestEntry.builder()
                        .id(Integer.toString(i))
                        .messageBody(batch.get(i).toJson())
                        .build());
            }
            SendMessageBatchResponse response = sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
            // A batch call succeeds as a whole while single entries may fail; those are returned.
            response.failed().forEach(f -> failed.add(batch.get(Integer.parseInt(f.id()))));
        }
        return failed;
    }
}
