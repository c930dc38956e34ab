package dev.chathistory.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.Context;
import dev.chathistory.shared.aws.AwsClientFactory;
import dev.chathistory.shared.config.ServiceConfig;
import dev.chathistory.shared.ids.MessageIdGenerator;
import dev.chathistory.shared.jobs.ExportKeys;
import dev.chathistory.shared.jobs.JobRequest;
import dev.chathistory.shared.jobs.SqsJobQueue;
import dev.chathistory.shared.lambda.LocalLambdaContext;
import dev.chathistory.shared.model.UserRef;
import dev.chathistory.shared.repository.dynamodb.DynamoDbArchiveIndex;
import dev.chathistory.shared.repository.dynamodb.DynamoDbAttachmentRepository;
import dev.chathistory.shared.repository.dynamodb.DynamoDbMessageRepository;
import dev.chathistory.shared.repository.dynamodb.DynamoDbRetentionRepository;
import dev.chathistory.shared.repository.dynamodb.DynamoDbUserRepository;
import dev.chathistory.shared.repository.dynamodb.UsersTable;
import dev.chathistory.shared.testing.MutableClock;
import dev.chathistory.tests.TestStack;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The template's resources under a fresh stack name for one test, and the maintenance handler
 * wired as in production on a clock the test moves, acting as the maintenance function (its
 * role, every AWS call through the local IAM check). The job queue's redrive policy is the
 * template's. The clients here are the operator's, for setting up and looking.
 */
final class MaintenanceStack implements AutoCloseable {

    static final String FUNCTION = "MaintenanceFunction";
    static final Duration SETTLE = Duration.ofSeconds(60);
    static final Duration MARGIN = Duration.ofSeconds(30);
    /** The template's default BlobGraceHours. */
    static final Duration BLOB_GRACE = Duration.ofHours(24);
    /** The template's default ArchiveGraceHours. */
    static final Duration ARCHIVE_GRACE = Duration.ofHours(24);

    final TestStack stack;
    final ServiceConfig service;
    final DynamoDbClient dynamoDb;
    final SqsClient sqs;
    final String queueUrl;
    final String deadLetterUrl;
    final String attachmentsBucket;
    final String dataBucket;
    final MutableClock clock;
    final MaintenanceConfig config;
    final RecordingMaintenanceMetrics metrics = new RecordingMaintenanceMetrics();
    final MaintenanceHandler handler;
    final RetentionSweep retention;
    private final DynamoDbUserRepository users;

    MaintenanceStack(Instant now, int shards, Duration firstRunLookback) {
        stack = TestStack.create("maint");
        service = stack.configOf(FUNCTION);
        dynamoDb = stack.adminDynamoDb();
        sqs = stack.adminSqs();
        queueUrl = stack.queueUrl("JobsQueue");
        deadLetterUrl = stack.queueUrl("JobsDeadLetterQueue");
        // Thirty seconds rather than the template's half hour, so nothing a test received stays
        // hidden beyond its patience.
        sqs.setQueueAttributes(b -> b.queueUrl(queueUrl)
                .attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "30")));
        clock = new MutableClock(now);
        config = new MaintenanceConfig(queueUrl, deadLetterUrl, shards, Duration.ofHours(24), firstRunLookback,
                MARGIN, SETTLE);
        DynamoDbClient functionDynamoDb = stack.closeLater(AwsClientFactory.dynamoDb(service));
        S3Client functionS3 = stack.closeLater(AwsClientFactory.s3(service));
        attachmentsBucket = stack.bucket("AttachmentsBucket");
        dataBucket = stack.bucket("DataBucket");
        SqsClient functionSqs = stack.closeLater(AwsClientFactory.sqs(service));
        DynamoDbArchiveIndex index = new DynamoDbArchiveIndex(functionDynamoDb, service.messagesTable());
        retention = new RetentionSweep(
                new DynamoDbAttachmentRepository(functionDynamoDb, service.messagesTable()),
                new DynamoDbMessageRepository(functionDynamoDb, service.messagesTable()), index,
                new DynamoDbRetentionRepository(functionDynamoDb, service.messagesTable(), service.usersTable()),
                new S3ArchiveObjects(functionS3, dataBucket, ExportKeys.PREFIX), new SqsJobQueue(functionSqs, queueUrl),
                MessageIdGenerator.ulid(), clock);
        Maintenance maintenance = Maintenance.create(service, config, functionDynamoDb, functionSqs, clock, metrics)
                .withBlobSweep(new UnreferencedBlobSweep(
                        new DynamoDbAttachmentRepository(functionDynamoDb, service.messagesTable()),
                        key -> functionS3.deleteObject(b -> b.bucket(attachmentsBucket).key(key)), clock,
                        BLOB_GRACE))
                .withOrphanedChunkSweep(new OrphanedChunkSweep(new S3ArchiveObjects(functionS3, dataBucket), index,
                        new DynamoDbArchiveSweepPosition(functionDynamoDb, service.usersTable()), clock,
                        ARCHIVE_GRACE).onManifestRead(retention::manifestRead))
                .withRetentionSweep(retention);
        handler = new MaintenanceHandler(maintenance, MARGIN, metrics::flush);
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

    /**
     * Receives until the queue shows nothing visible, deleting what it got. Short polls: what the
     * sweep sent is visible the moment its call returned, so no long poll needs to wait for it.
     */
    List<Message> drain(String url) {
        List<Message> all = new ArrayList<>();
        for (int polls = 0; polls < 10_000; polls++) {
            List<Message> received = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)
                    .waitTimeSeconds(0).messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
            if (received.isEmpty()) {
                if (attribute(url, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES) == 0) {
                    return all;
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted while draining", e);
                }
                continue;
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
        stack.close();
    }
}
