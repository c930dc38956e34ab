package dev.chathistory.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.Context;
import dev.chathistory.shared.aws.AwsClientFactory;
import dev.chathistory.shared.config.ServiceConfig;
import dev.chathistory.shared.jobs.JobRequest;
import dev.chathistory.shared.lambda.LocalLambdaContext;
import dev.chathistory.shared.model.UserRef;
import dev.chathistory.shared.repository.dynamodb.DynamoDbUserRepository;
import dev.chathistory.shared.repository.dynamodb.UsersTable;
import dev.chathistory.shared.testing.MutableClock;
import dev.chathistory.tests.TestAws;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * A private slice of the stack in the emulator for one test: fresh tables from the template, a
 * job queue with its DLQ (redrive policy as the template declares), and the maintenance
 * handler wired as in production on a clock the test moves.
 */
final class MaintenanceStack implements AutoCloseable {

    static final Duration SETTLE = Duration.ofSeconds(60);
    static final Duration MARGIN = Duration.ofSeconds(30);

    final ServiceConfig service;
    final DynamoDbClient dynamoDb;
    final SqsClient sqs;
    final String queueUrl;
    final String deadLetterUrl;
    final MutableClock clock;
    final MaintenanceConfig config;
    final RecordingMaintenanceMetrics metrics = new RecordingMaintenanceMetrics();
    final MaintenanceHandler handler;
    private final DynamoDbUserRepository users;

    MaintenanceStack(Instant now, int shards, Duration firstRunLookback) {
        service = TestAws.freshTables();
        dynamoDb = AwsClientFactory.dynamoDb(service);
        sqs = AwsClientFactory.sqs(service);
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        deadLetterUrl = sqs.createQueue(b -> b.queueName("it-maint-dlq-" + suffix)).queueUrl();
        String deadLetterArn = sqs.getQueueAttributes(b -> b.queueUrl(deadLetterUrl)
                .attributeNames(QueueAttributeName.QUEUE_ARN)).attributes().get(QueueAttributeName.QUEUE_ARN);
        queueUrl = sqs.createQueue(b -> b.queueName("it-maint-jobs-" + suffix).attributes(Map.of(
                QueueAttributeName.VISIBILITY_TIMEOUT, "30",
                QueueAttributeName.REDRIVE_POLICY,
                "{\"deadLetterTargetArn\":\"" + deadLetterArn + "\",\"maxReceiveCount\":5}"))).queueUrl();
        clock = new MutableClock(now);
        config = new MaintenanceConfig(queueUrl, deadLetterUrl, shards, Duration.ofHours(24), firstRunLookback,
                MARGIN, SETTLE);
        handler = new MaintenanceHandler(Maintenance.create(service, config, dynamoDb, sqs, clock, metrics), MARGIN,
                metrics::flush);
        users = new DynamoDbUserRepository(dynamoDb, service.usersTable());
    }

    /** Records activity exactly as the message API does. */
    void activeAt(UserRef user, Instant at) {
        users.recordActivity(user, at, 1, UsersTable.activeShard(user, at, config.activeUserShards()));
    }

    Map<String, Object> sweep(Context context) {
        return handler.handleRequest(Map.of("action", "sweep"), context);
    }

    Map<String, Object> sweep() {
        return sweep(new LocalLambdaContext("maintenance", 300, 1024));
    }

    Checkpoint checkpoint() {
        return new DynamoDbCheckpointStore(dynamoDb, service.usersTable()).read();
    }

    /** Everything on the job queue now, received and deleted. */
    List<JobRequest> takeJobs() {
        List<JobRequest> jobs = new ArrayList<>();
        for (Message message : drain(queueUrl)) {
            jobs.add(JobRequest.fromJson(message.body()));
        }
        return jobs;
    }

    /** Receives until a one-second long poll comes back empty, deleting what it got. */
    List<Message> drain(String url) {
        List<Message> all = new ArrayList<>();
        for (int polls = 0; polls < 10_000; polls++) {
            List<Message> received = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)
                    .waitTimeSeconds(1).messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
            if (received.isEmpty()) {
                return all;
            }
            all.addAll(received);
            List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int i = 0; i < received.size(); i++) {
                entries.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(i))
                        .receiptHandle(received.get(i).receiptHandle()).build());
            }
            assertThat(sqs.deleteMessageBatch(b -> b.queueUrl(url).entries(entries)).failed()).isEmpty();
        }
        throw new AssertionError("queue did not drain");
    }

    long attribute(String url, QueueAttributeName name) {
        return Long.parseLong(sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(name)).attributes().get(name));
    }

    void assertEmpty(String url) {
        assertThat(attribute(url, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).as("visible").isZero();
        assertThat(attribute(url, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).as("in flight")
                .isZero();
    }

    @Override
    public void close() {
        dynamoDb.close();
        sqs.close();
    }
}
