package dev.chathistory.attachments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chathistory.shared.attachments.Attachment;
import dev.chathistory.shared.attachments.AttachmentStatus;
import dev.chathistory.shared.attachments.AttachmentRepository.ReadyOutcome;
import dev.chathistory.shared.attachments.Blob;
import dev.chathistory.shared.attachments.BlobId;
import dev.chathistory.shared.attachments.ImageType;
import dev.chathistory.shared.attachments.RejectionReason;
import dev.chathistory.shared.aws.AwsClientFactory;
import dev.chathistory.shared.config.ServiceConfig;
import dev.chathistory.shared.model.ChatRef;
import dev.chathistory.shared.model.Message;
import dev.chathistory.shared.repository.dynamodb.DynamoDbAttachmentRepository;
import dev.chathistory.shared.repository.dynamodb.DynamoDbMessageRepository;
import dev.chathistory.shared.repository.dynamodb.MessagesTable;
import dev.chathistory.shared.retry.ConflictRetry;
import dev.chathistory.tests.TestAws;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

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
    private static String table;

    @BeforeAll
    static void tables() {
        ServiceConfig config = TestAws.freshTables();
        dynamoDb = AwsClientFactory.dynamoDb(config);
        table = config.messagesTable();
        attachments = new DynamoDbAttachmentRepository(dynamoDb, table);
        messages = new DynamoDbMessageRepository(dynamoDb, config.messagesTable());
    }

    @AfterAll
    static void close() {
        dynamoDb.close();
    }

    private static Blob storedBlob(BlobId sha) {
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
        BlobId sha = new BlobId(CHAT.tenantId(), "d".repeat(64));
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
        BlobId sha = new BlobId(CHAT.tenantId(), "e".repeat(64));
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

    @Test
    void blobs_shouldBeOnePerTenantAndHash_andAnAttachmentCanOnlyReferToItsOwnTenants() {
        String sameBytes = "9".repeat(64);
        ChatRef otherTenant = new ChatRef("t2", "chat-refs");
        Blob ours = storedBlob(new BlobId(CHAT.tenantId(), sameBytes));
        messages.insert(otherTenant, Message.first(otherTenant.chatId(), "m300", "u1", false, "hi", null, NOW));
        Attachment theirs = Attachment.pending(otherTenant.chatId(), "m300", "a300", ImageType.PNG, 100, null, NOW);
        attachments.createPending(otherTenant, theirs, NOW.plusSeconds(86_400));

        // t2 names bytes only t1 has stored: t2 has no such blob, so it must store its own first.
        assertThat(attachments.markReady(otherTenant, theirs.ready(ours, NOW)))
                .isEqualTo(ReadyOutcome.BLOB_UNAVAILABLE);
        assertThat(attachments.findBlob(new BlobId("t2", sameBytes))).isEmpty();
        BlobId theirBlob = new BlobId("t2", sameBytes);
        assertThat(attachments.createBlob(Blob.unstored(theirBlob, ImageType.PNG, 100, 10, 10, "image/png", NOW)))
                .as("a blob of its own, though t1 has the same hash").isTrue();
        attachments.markBlobStored(theirBlob);
        Blob stored = attachments.findBlob(theirBlob).orElseThrow();
        assertThat(attachments.markReady(otherTenant, theirs.ready(stored, NOW))).isEqualTo(ReadyOutcome.READY);

        assertThat(attachments.findBlob(theirBlob).orElseThrow().references()).isEqualTo(1);
        assertThat(attachments.findBlob(ours.id()).orElseThrow().references()).isZero();
        assertThat(attachments.listUnreferencedBlobs(NOW.plusSeconds(1), 100))
                .contains(ours.id()).doesNotContain(theirBlob);
    }

    private static Attachment pendingAttachment(int i) {
        String messageId = "m" + i;
        messages.insert(CHAT, Message.first(CHAT.chatId(), messageId, "u1", false, "hi", null, NOW));
        Attachment pending = Attachment.pending(CHAT.chatId(), messageId, "a" + i, ImageType.PNG, 100, null, NOW);
        attachments.createPending(CHAT, pending, NOW.plusSeconds(86_400));
        return pending;
    }

    private static AttachmentStatus statusOf(Attachment attachment) {
        return attachments.find(CHAT, attachment.messageId(), attachment.attachmentId()).orElseThrow().status();
    }

    @Test
    void claim_shouldLetExactlyOneOfManyConcurrentIngestionsIn() throws Exception {
        Attachment pending = pendingAttachment(200);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Boolean>> claims = new ArrayList<>();
        try {
            for (int i = 0; i < 16; i++) {
                String holder = "ingestion-" + i;
                claims.add(pool.submit(() -> attachments.claim(CHAT, pending.messageId(), pending.attachmentId(),
                        holder, NOW, NOW.plusSeconds(125))));
            }
            int won = 0;
            for (Future<Boolean> claim : claims) {
                won += claim.get() ? 1 : 0;
            }
            assertThat(won).isEqualTo(1);
        } finally {
            pool.shutdown();
        }
        assertThat(statusOf(pending)).isEqualTo(AttachmentStatus.PROCESSING);
    }

    @Test
    void claim_shouldBeRefusedWhileTheLeaseLives_andTakenOverOnceItRanOut() {
        Attachment pending = pendingAttachment(201);
        String messageId = pending.messageId();
        String attachmentId = pending.attachmentId();
        assertThat(attachments.claim(CHAT, messageId, attachmentId, "first", NOW, NOW.plusSeconds(125))).isTrue();

        assertThat(attachments.claim(CHAT, messageId, attachmentId, "second", NOW.plusSeconds(124),
                NOW.plusSeconds(250))).as("lease still live").isFalse();
        assertThat(attachments.claim(CHAT, messageId, attachmentId, "second", NOW.plusSeconds(126),
                NOW.plusSeconds(250))).as("the first ingestion died: its lease ran out").isTrue();

        // The first holder cannot give back what is no longer its claim.
        attachments.releaseClaim(CHAT, messageId, attachmentId, "first");
        assertThat(statusOf(pending)).isEqualTo(AttachmentStatus.PROCESSING);
        assertThat(attachments.claim(CHAT, messageId, attachmentId, "third", NOW.plusSeconds(200),
                NOW.plusSeconds(300))).isFalse();
        attachments.releaseClaim(CHAT, messageId, attachmentId, "second");
        assertThat(statusOf(pending)).isEqualTo(AttachmentStatus.PENDING);
        assertThat(attachments.claim(CHAT, messageId, attachmentId, "third", NOW.plusSeconds(200),
                NOW.plusSeconds(300))).as("given back: claimable at once").isTrue();
    }

    @Test
    void aClaimedUpload_shouldBeDecidedOnce_andThenNeverClaimedAgain() {
        Blob blob = storedBlob(new BlobId(CHAT.tenantId(), "f".repeat(64)));
        Attachment toReady = pendingAttachment(202);
        Attachment toReject = pendingAttachment(203);
        attachments.claim(CHAT, toReady.messageId(), toReady.attachmentId(), "h1", NOW, NOW.plusSeconds(125));
        attachments.claim(CHAT, toReject.messageId(), toReject.attachmentId(), "h2", NOW, NOW.plusSeconds(125));

        assertThat(attachments.markReady(CHAT, toReady.ready(blob, NOW))).isEqualTo(ReadyOutcome.READY);
        assertThat(attachments.markRejected(CHAT, toReject.rejected(RejectionReason.CORRUPT_IMAGE, NOW),
                NOW.plusSeconds(3600))).isTrue();

        assertThat(attachments.markReady(CHAT, toReady.ready(blob, NOW))).isEqualTo(ReadyOutcome.NOT_PENDING);
        assertThat(attachments.markRejected(CHAT, toReject.rejected(RejectionReason.TOO_LARGE, NOW),
                NOW.plusSeconds(3600))).isFalse();
        for (Attachment decided : List.of(toReady, toReject)) {
            assertThat(attachments.claim(CHAT, decided.messageId(), decided.attachmentId(), "late",
                    NOW.plusSeconds(1000), NOW.plusSeconds(1125))).isFalse();
            Map<String, AttributeValue> item = rawItem(decided);
            assertThat(item).as("the claim leaves with the decision").doesNotContainKeys("claimHolder", "leaseUntil");
        }
        assertThat(statusOf(toReady)).isEqualTo(AttachmentStatus.READY);
        assertThat(statusOf(toReject)).isEqualTo(AttachmentStatus.REJECTED);
        assertThat(attachments.find(CHAT, toReject.messageId(), toReject.attachmentId()).orElseThrow().rejection())
                .isEqualTo(RejectionReason.CORRUPT_IMAGE);
    }

    private static Map<String, AttributeValue> rawItem(Attachment attachment) {
        return dynamoDb.getItem(b -> b.tableName(table)
                .key(Map.of("pk", AttributeValue.fromS(MessagesTable.partitionKey(CHAT)),
                        "sk", AttributeValue.fromS("F#" + attachment.messageId() + "#" + attachment.attachmentId())))
                .consistentRead(true)).item();
    }
}
