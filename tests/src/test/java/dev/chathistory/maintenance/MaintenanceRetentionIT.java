package dev.chathistory.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chathistory.shared.archive.ArchiveChunk;
import dev.chathistory.shared.archive.ArchivedMessage;
import dev.chathistory.shared.archive.ChatArchiver;
import dev.chathistory.shared.attachments.Attachment;
import dev.chathistory.shared.attachments.AttachmentRepository;
import dev.chathistory.shared.attachments.Blob;
import dev.chathistory.shared.attachments.BlobId;
import dev.chathistory.shared.attachments.ImageType;
import dev.chathistory.shared.jobs.JobRequest;
import dev.chathistory.shared.jobs.JobType;
import dev.chathistory.shared.model.ChatRef;
import dev.chathistory.shared.model.Message;
import dev.chathistory.shared.repository.dynamodb.DynamoDbArchiveIndex;
import dev.chathistory.shared.repository.dynamodb.DynamoDbAttachmentRepository;
import dev.chathistory.shared.repository.dynamodb.DynamoDbMessageRepository;
import dev.chathistory.shared.repository.dynamodb.DynamoDbRetentionRepository;
import dev.chathistory.shared.retention.ChatRetention;
import dev.chathistory.shared.retention.Retention;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The retention sweep as the maintenance function runs it (its role, every call through the
 * local IAM check): the attachment of a message TTL removed is dropped and its blob loses the
 * reference, an export past its tenant's retention is deleted, and a chat whose archive holds
 * expired messages gets a retention job.
 */
class MaintenanceRetentionIT {

    private static final String TENANT = "t-retention";
    private static final ChatRef CHAT = new ChatRef(TENANT, "chat-1");

    private MaintenanceStack stack;

    @AfterEach
    void close() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void sweep_shouldDropDueAttachments_deleteExpiredExports_andQueueJobsForExpiredArchives() {
        stack = new MaintenanceStack(Instant.now(), 2, Duration.ofHours(1));
        String table = stack.service.messagesTable();
        DynamoDbMessageRepository messages = new DynamoDbMessageRepository(stack.dynamoDb, table);
        DynamoDbAttachmentRepository attachments = new DynamoDbAttachmentRepository(stack.dynamoDb, table);
        DynamoDbRetentionRepository policies = new DynamoDbRetentionRepository(stack.dynamoDb, table,
                stack.service.usersTable());
        Instant now = stack.clock.instant();
        policies.setTenantDays(TENANT, OptionalInt.of(30), now);
        policies.setChat(CHAT, new ChatRetention(7, false), now);

        // A message with a ready attachment, due when the message expires; TTL has removed the message.
        Instant expiry = now.plus(Duration.ofDays(7));
        Message photo = Message.first(CHAT.chatId(), "01JPHOTO00000000000000000A", "u1", false, "a photo", null, now)
                .withExpiry(expiry);
        messages.insert(CHAT, photo);
        BlobId blob = new BlobId(TENANT, "d".repeat(64));
        attachments.createBlob(Blob.unstored(blob, ImageType.PNG, 100, 10, 10, "image/png", now));
        attachments.markBlobStored(blob);
        Attachment pending = Attachment.pending(CHAT.chatId(), photo.messageId(), "att-1", ImageType.PNG, 100, null,
                now);
        attachments.createPending(CHAT, pending, now.plusSeconds(60), expiry);
        assertThat(attachments.markReady(CHAT, pending.ready(attachments.findBlob(blob).orElseThrow(), now)))
                .isEqualTo(AttachmentRepository.ReadyOutcome.READY);
        messages.deleteMessage(CHAT, photo.messageId());

        // An archived chunk whose newest message (a ULID of 2024) is far past 7 days.
        DynamoDbArchiveIndex index = new DynamoDbArchiveIndex(stack.dynamoDb, table);
        Message old = Message.first(CHAT.chatId(), "01J0000000000000000000000A", "u1", false, "old", null,
                Instant.parse("2024-06-01T00:00:00Z"));
        messages.insert(CHAT, old);
        String sha256 = ChatArchiver.sha256("chunk".getBytes(StandardCharsets.UTF_8));
        ArchiveChunk chunk = new ArchiveChunk(CHAT.chatId(), old.messageId(), old.messageId(), 1,
                ChatArchiver.objectKey(CHAT, old.messageId(), sha256), "gzip", 5, 5, sha256, now);
        put(chunk.objectKey());
        index.commit(CHAT, chunk, List.of(new ArchivedMessage(old, List.of())), true);

        // Two exports: one past the tenant's 30 days by the sweep's clock, one of another tenant.
        put("exports/" + TENANT + "/u1/01JEXPORT0000000000000000A.jsonl.gz");
        put("exports/t-kept/u1/01JEXPORT0000000000000000B.jsonl.gz");
        stack.clock.advance(Duration.ofDays(31));

        Map<String, Object> summary = stack.sweep();

        assertThat(summary).containsEntry("expiredAttachmentsDropped", 1).containsEntry("expiredExportsDeleted", 1)
                .containsEntry("retentionJobsQueued", 1);
        assertThat(attachments.find(CHAT, photo.messageId(), "att-1")).isEmpty();
        assertThat(attachments.findBlob(blob).orElseThrow().references()).as("the blob's reference is given back")
                .isZero();
        assertThat(keys("exports/")).containsExactly("exports/t-kept/u1/01JEXPORT0000000000000000B.jsonl.gz");
        List<JobRequest> jobs = stack.takeJobs();
        assertThat(jobs).filteredOn(job -> job.type() == JobType.RETENTION).singleElement().satisfies(job -> {
            assertThat(job.tenantId()).isEqualTo(TENANT);
            assertThat(job.userId()).isEqualTo(Retention.CHAT_JOB_USER);
            assertThat(job.chatId()).isEqualTo(CHAT.chatId());
        });
        assertThat(stack.metrics.value("ExpiredAttachmentsDropped")).isEqualTo(1L);
    }

    private void put(String key) {
        stack.stack.adminS3().putObject(b -> b.bucket(stack.dataBucket).key(key), RequestBody.fromString("bytes"));
    }

    private List<String> keys(String prefix) {
        return stack.stack.adminS3().listObjectsV2(b -> b.bucket(stack.dataBucket).prefix(prefix)).contents()
                .stream().map(S3Object::key).toList();
    }
}
