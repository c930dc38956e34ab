package dev.chathistory.attachments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chathistory.shared.attachments.Attachment;
import dev.chathistory.shared.attachments.AttachmentRepository.ReadyOutcome;
import dev.chathistory.shared.attachments.Blob;
import dev.chathistory.shared.attachments.ImageType;
import dev.chathistory.shared.aws.AwsClientFactory;
import dev.chathistory.shared.config.ServiceConfig;
import dev.chathistory.shared.model.ChatRef;
import dev.chathistory.shared.model.Message;
import dev.chathistory.shared.repository.dynamodb.DynamoDbAttachmentRepository;
import dev.chathistory.shared.repository.dynamodb.DynamoDbMessageRepository;
import dev.chathistory.shared.retry.ConflictRetry;
import dev.chathistory.tests.TestAws;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The reference count on real DynamoDB transactions: references taken and given back at the
 * same time still add up, and a blob enters and leaves the sweep's index exactly when its
 * count reaches and leaves zero.
 */
class DynamoDbAttachmentRepositoryIT {

    private static final ChatRef CHAT = new ChatRef("t1", "chat-refs");
    private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");

    private static DynamoDbClient dynamoDb;
    private static DynamoDbAttachmentRepository attachments;
    private static DynamoDbMessageRepository messages;

    @BeforeAll
    static void tables() {
        ServiceConfig config = TestAws.freshTables();
        dynamoDb = AwsClientFactory.dynamoDb(config);
        attachments = new DynamoDbAttachmentRepository(dynamoDb, config.messagesTable());
        messages = new DynamoDbMessageRepository(dynamoDb, config.messagesTable());
    }

    @AfterAll
    static void close() {
        dynamoDb.close();
    }

    private static Blob storedBlob(String sha) {
        attachments.createBlob(Blob.unstored(sha, ImageType.PNG, 100, 10, 10, "image/png", NOW));
        attachments.markBlobStored(sha);
        return attachments.findBlob(sha).orElseThrow();
    }

    private static Attachment readyAttachment(Blob blob, int i) {
        String messageId = "m" + i;
        messages.insert(CHAT, Message.first(CHAT.chatId(), messageId, "u1", false, "hi", null, NOW));
        Attachment pending = Attachment.pending(CHAT.chatId(), messageId, "a" + i, ImageType.PNG, 100, null, NOW);
        attachments.createPending(CHAT, pending, NOW.plusSeconds(86_400));
        Attachment ready = pending.ready(blob, NOW);
        assertThat(ConflictRetry.defaults().run(() -> attachments.markReady(CHAT, ready))).isEqualTo(ReadyOutcome.READY);
        return ready;
    }

    @Test
    void concurrentDrops_shouldGiveEveryReferenceBack_andPutTheBlobInTheSweepIndexOnce() throws Exception {
        String sha = "d".repeat(64);
        Blob blob = storedBlob(sha);
        List<Attachment> ready = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            ready.add(readyAttachment(blob, i));
        }
        assertThat(attachments.findBlob(sha).orElseThrow().references()).isEqualTo(8);
        assertThat(attachments.listUnreferencedBlobs(NOW.plusSeconds(3600), 100)).doesNotContain(sha);

        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> drops = new ArrayList<>();
            for (Attachment attachment : ready) {
                drops.add(pool.submit(() -> attachments.drop(CHAT, attachment, NOW.plusSeconds(60))));
            }
            for (Future<?> drop : drops) {
                drop.get();
            }
        } finally {
            pool.shutdown();
        }
        // Dropping again changes nothing.
        attachments.drop(CHAT, ready.get(0), NOW.plusSeconds(120));

        assertThat(attachments.findBlob(sha).orElseThrow().references()).isZero();
        for (int i = 0; i < 8; i++) {
            assertThat(attachments.list(CHAT, "m" + i)).isEmpty();
        }
        assertThat(attachments.listUnreferencedBlobs(NOW.plusSeconds(61), 100)).contains(sha);
        assertThat(attachments.listUnreferencedBlobs(NOW.plusSeconds(59), 100))
                .as("unreferenced since the last drop, not before").doesNotContain(sha);
    }

    @Test
    void aClaimedBlob_shouldTakeNoNewReference_andANewReferenceStopsTheClaim() {
        String sha = "e".repeat(64);
        Blob blob = storedBlob(sha);
        Attachment first = readyAttachment(blob, 100);
        attachments.drop(CHAT, first, NOW);

        // Still referenced: the claim is refused.
        Attachment second = readyAttachment(blob, 101);
        assertThat(attachments.beginBlobDeletion(sha, NOW.plusSeconds(3600))).isFalse();
        attachments.drop(CHAT, second, NOW.plusSeconds(10));

        assertThat(attachments.beginBlobDeletion(sha, NOW.plusSeconds(5))).as("within the grace period").isFalse();
        assertThat(attachments.beginBlobDeletion(sha, NOW.plusSeconds(3600))).isTrue();
        messages.insert(CHAT, Message.first(CHAT.chatId(), "m102", "u1", false, "hi", null, NOW));
        Attachment late = Attachment.pending(CHAT.chatId(), "m102", "a102", ImageType.PNG, 100, null, NOW);
        attachments.createPending(CHAT, late, NOW.plusSeconds(86_400));
        assertThat(attachments.markReady(CHAT, late.ready(blob, NOW))).isEqualTo(ReadyOutcome.BLOB_UNAVAILABLE);

        attachments.finishBlobDeletion(sha);
        assertThat(attachments.findBlob(sha)).isEmpty();
        assertThat(attachments.listUnreferencedBlobs(NOW.plusSeconds(3600), 100)).doesNotContain(sha);
    }
}
