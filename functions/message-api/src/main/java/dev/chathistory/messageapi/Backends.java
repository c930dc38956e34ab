package dev.chathistory.messageapi;

import dev.chathistory.shared.archive.ArchiveReader;
import dev.chathistory.shared.attachments.AttachmentRepository;
import dev.chathistory.shared.attachments.AttachmentStorage;
import dev.chathistory.shared.attachments.S3AttachmentStorage;
import dev.chathistory.shared.archive.ArchivedHistory;
import dev.chathistory.shared.archive.ObjectStore;
import dev.chathistory.shared.archive.S3ObjectStore;
import dev.chathistory.shared.branches.BranchRepository;
import dev.chathistory.shared.config.JobsConfig;
import dev.chathistory.shared.config.ServiceConfig;
import dev.chathistory.messageapi.http.ApiException;
import dev.chathistory.messageapi.http.ErrorCode;
import dev.chathistory.shared.jobs.JobQueue;
import dev.chathistory.shared.jobs.JobRepository;
import dev.chathistory.shared.jobs.JobRequest;
import dev.chathistory.shared.jobs.SqsJobQueue;
import dev.chathistory.shared.repository.MessageRepository;
import dev.chathistory.shared.repository.UserRepository;
import dev.chathistory.shared.repository.dynamodb.DynamoDbArchiveIndex;
import dev.chathistory.shared.repository.dynamodb.DynamoDbAttachmentRepository;
import dev.chathistory.shared.repository.dynamodb.DynamoDbBranchRepository;
import dev.chathistory.shared.repository.dynamodb.DynamoDbJobRepository;
import dev.chathistory.shared.repository.dynamodb.DynamoDbMessageRepository;
import dev.chathistory.shared.repository.dynamodb.DynamoDbRetentionRepository;
import dev.chathistory.shared.repository.dynamodb.DynamoDbUserRepository;
import dev.chathistory.shared.retention.RetentionRepository;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Where the API keeps and finds things: repositories, the archive, the job queue, the bucket.
 * Without a bucket, {@code attachmentStorage} is null and the attachment routes answer 503.
 */
public record Backends(
        MessageRepository messages,
        UserRepository users,
        ArchivedHistory archive,
        JobRepository jobs,
        JobQueue queue,
        ObjectStore objects,
        AttachmentRepository attachments,
        AttachmentStorage attachmentStorage,
        RetentionRepository retention,
        BranchRepository branches) {

    /**
     * The AWS backends; without a bucket or queue, archive reads, attachments and job submission
     * are off.
     */
    public static Backends aws(ServiceConfig config, JobsConfig jobsConfig, DynamoDbClient dynamoDb,
                               SqsClient sqs, S3Client s3, S3Presigner presigner) {
        return aws(config, jobsConfig, null, dynamoDb, sqs, s3, presigner);
    }

    /** The AWS backends, with attachments in {@code attachmentsBucket} (off when null). */
    public static Backends aws(ServiceConfig config, JobsConfig jobsConfig, String attachmentsBucket,
                               DynamoDbClient dynamoDb, SqsClient sqs, S3Client s3, S3Presigner presigner) {
        ObjectStore objects = jobsConfig.dataBucket()
                .map(bucket -> (ObjectStore) new S3ObjectStore(s3, presigner, bucket))
                .orElse(null);
        ArchivedHistory archive = objects == null ? ArchivedHistory.none()
                : new ArchiveReader(new DynamoDbArchiveIndex(dynamoDb, config.messagesTable()), objects,
                        jobsConfig.archiveCacheBytes());
        JobQueue queue = jobsConfig.jobsQueueUrl()
                .map(url -> (JobQueue) new SqsJobQueue(sqs, url))
                .orElse(NO_QUEUE);
        return new Backends(
                new DynamoDbMessageRepository(dynamoDb, config.messagesTable()),
                new DynamoDbUserRepository(dynamoDb, config.usersTable()),
                archive,
                new DynamoDbJobRepository(dynamoDb, config.usersTable()),
                queue,
                objects,
                new DynamoDbAttachmentRepository(dynamoDb, config.messagesTable()),
                attachmentsBucket == null ? null : new S3AttachmentStorage(presigner, attachmentsBucket),
                new DynamoDbRetentionRepository(dynamoDb, config.messagesTable(), config.usersTable()),
                new DynamoDbBranchRepository(dynamoDb, config.messagesTable()));
    }

    private static final JobQueue NO_QUEUE = new JobQueue() {
        @Override
        public void send(JobRequest request) {
            throw new ApiException(ErrorCode.SERVICE_UNAVAILABLE, "background jobs are not configured");
        }

        @Override
        public void sendLater(JobRequest request, java.time.Duration delay) {
            send(request);
        }

        @Override
        public List<JobRequest> sendAll(List<JobRequest> requests) {
            return requests;
        }
    };
}
