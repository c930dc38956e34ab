package dev.chathistory.shared.testing.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chathistory.shared.attachments.Attachment;
import dev.chathistory.shared.attachments.AttachmentRef;
import dev.chathistory.shared.attachments.AttachmentRepository;
import dev.chathistory.shared.attachments.AttachmentRepository.CreateOutcome;
import dev.chathistory.shared.attachments.AttachmentRepository.ReadyOutcome;
import dev.chathistory.shared.attachments.AttachmentStatus;
import dev.chathistory.shared.attachments.Blob;
import dev.chathistory.shared.attachments.BlobId;
import dev.chathistory.shared.attachments.ImageType;
import dev.chathistory.shared.attachments.RejectionReason;
import dev.chathistory.shared.model.ChatRef;
import dev.chathistory.shared.model.Message;
import dev.chathistory.shared.repository.MessageRepository;
import dev.chathistory.shared.retry.ConflictRetry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What callers of {@link AttachmentRepository} rely on, run against the in-memory fake and
 * against DynamoDB on the emulator: the states of an upload, the blob reference counts kept in
 * the same transactions (also under concurrent drops and claims), the sweep's view of
 * unreferenced blobs, and blobs kept apart per tenant. The DynamoDB implementation is the truth.
 *
 * <p>Each test gets empty storage: the sweep's listing spans every tenant.
 */
public abstract class AttachmentRepositoryContract {

    protected static final Instant NOW = Instant.parse("2026-11-28T10:00:00.000Z");
    private static final Instant EXPIRES = NOW.plusSeconds(86_400);

    /** The attachment repository and the message repository it checks messages in, over one store. */
    public record Repositories(AttachmentRepository attachments, MessageRepository messages) {
    }

    /** New repositories over empty storage; each test gets its own. */
    protected abstract Repositories newRepositories();

    private AttachmentRepository attachments;
    private MessageRepository messages;
    private final ChatRef chat = new ChatRef("t1", "chat-refs");
    private final ChatRef otherTenantsChat = new ChatRef("t2", "chat-refs");

    @BeforeEach
    void freshRepositories() {
        Repositories repositories = newRepositories();
        attachments = repositories.attachments();
        messages = repositories.messages();
    }

    private static BlobId blobId(String tenant, char digit) {
        return new BlobId(tenant, String.valueOf(digit).repeat(64));
    }

    private Blob storedBlob(BlobId id) {
        attachments.createBlob(Blob.unstored(id, ImageType.PNG, 100, 10, 10, "image/png", NOW));
        attachments.markBlobStored(id);
        return attachments.findBlob(id).orElseThrow();
    }

    private Attachment pendingAttachment(ChatRef where, int i) {
        String messageId = "m" + i;
        messages.insert(where, Message.first(where.chatId(), messageId, "u1", false, "hi", null, NOW));
        Attachment pending = Attachment.pending(where.chatId(), messageId, "a" + i, ImageType.PNG, 100, "cat.png",
                NOW);
        assertThat(attachments.createPending(where, pending, EXPIRES)).isEqualTo(CreateOutcome.CREATED);
        return pending;
    }

    private Attachment readyAttachment(Blob blob, int i) {
        Attachment ready = pendingAttachment(chat, i).ready(blob, NOW);
        assertThat(ConflictRetry.defaults().run(() -> attachments.markReady(chat, ready))).isEqualTo(ReadyOutcome.READY);
        return ready;
    }

    private void deleteMessage(ChatRef where, String messageId) {
        Message current = messages.find(where, messageId).orElseThrow();
        messages.replace(where, current.nextVersion("", null, true, NOW.plusSeconds(1)), current.version(),
                current.toVersion());
    }

    private AttachmentStatus statusOf(Attachment attachment) {
        return attachments.find(chat, attachment.messageId(), attachment.attachmentId()).orElseThrow().status();
    }

    private long referencesOf(BlobId id) {
        return attachments.findBlob(id).orElseThrow().references();
    }

    // ------------------------------------------------------------------ pending uploads

    @Test
    void createPending_shouldRecordThePendingUpload_whenItsMessageIsLive() {
        Attachment pending = pendingAttachment(chat, 1);

        assertThat(attachments.find(chat, "m1", "a1")).contains(pending);
    }

    @Test
    void createPending_shouldSayMessageGone_whenTheMessageIsMissingOrDeleted() {
        Attachment orphan = Attachment.pending(chat.chatId(), "m-none", "a1", ImageType.PNG, 100, null, NOW);
        assertThat(attachments.createPending(chat, orphan, EXPIRES)).isEqualTo(CreateOutcome.MESSAGE_GONE);

        pendingAttachment(chat, 2);
        deleteMessage(chat, "m2");
        Attachment late = Attachment.pending(chat.chatId(), "m2", "a9", ImageType.PNG, 100, null, NOW);
        assertThat(attachments.createPending(chat, late, EXPIRES)).isEqualTo(CreateOutcome.MESSAGE_GONE);

        assertThat(attachments.find(chat, "m-none", "a1")).isEmpty();
        assertThat(attachments.find(chat, "m2", "a9")).isEmpty();
    }

    @Test
    void createPending_shouldSayMessageGone_whenOnlyAnotherTenantHasTheMessage() {
        messages.insert(otherTenantsChat, Message.first(chat.chatId(), "m1", "u1", false, "hi", null, NOW));
        Attachment pending = Attachment.pending(chat.chatId(), "m1", "a1", ImageType.PNG, 100, null, NOW);

        assertThat(attachments.createPending(chat, pending, EXPIRES)).isEqualTo(CreateOutcome.MESSAGE_GONE);
    }

    @Test
    void list_shouldListAMessagesAttachmentsInIdOrder_andListInChatEveryAttachmentByMessage() {
        messages.insert(chat, Message.first(chat.chatId(), "m1", "u1", false, "hi", null, NOW));
        messages.insert(chat, Message.first(chat.chatId(), "m2", "u1", false, "hi", null, NOW));
        List<Attachment> created = new ArrayList<>();
        for (String[] ids : new String[][] {{"m2", "a1"}, {"m1", "a2"}, {"m1", "a1"}}) {
            Attachment a = Attachment.pending(chat.chatId(), ids[0], ids[1], ImageType.PNG, 1, null, NOW);
            attachments.createPending(chat, a, EXPIRES);
            created.add(a);
        }

        assertThat(attachments.list(chat, "m1")).containsExactly(created.get(2), created.get(1));
        assertThat(attachments.listInChat(chat)).containsExactly(created.get(2), created.get(1), created.get(0));
        assertThat(attachments.list(chat, "m3")).isEmpty();
    }

    @Test
    void reads_shouldNeverSeeAnotherTenantsAttachments_whenTheChatIdIsTheSame() {
        Attachment pending = pendingAttachment(chat, 1);

        assertThat(attachments.find(otherTenantsChat, pending.messageId(), pending.attachmentId())).isEmpty();
        assertThat(attachments.list(otherTenantsChat, pending.messageId())).isEmpty();
        assertThat(attachments.listInChat(otherTenantsChat)).isEmpty();
        assertThat(attachments.claim(otherTenantsChat, pending.messageId(), pending.attachmentId(), "h", NOW,
                NOW.plusSeconds(60))).isFalse();
        assertThat(statusOf(pending)).isEqualTo(AttachmentStatus.PENDING);
    }

    // ------------------------------------------------------------------ claims

    @Test
    void claim_shouldLetExactlyOneOfManyConcurrentIngestionsIn() throws Exception {
        Attachment pending = pendingAttachment(chat, 200);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Boolean>> claims = new ArrayList<>();
        try {
            for (int i = 0; i < 16; i++) {
                String holder = "ingestion-" + i;
                claims.add(pool.submit(() -> attachments.claim(chat, pending.messageId(), pending.attachmentId(),
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
        assertThat(attachments.find(chat, pending.messageId(), pending.attachmentId())).contains(pending.processing());
    }

    @Test
    void claim_shouldBeRefusedWhileTheLeaseLives_andTakenOverOnceItRanOut() {
        Attachment pending = pendingAttachment(chat, 201);
        String messageId = pending.messageId();
        String attachmentId = pending.attachmentId();
        assertThat(attachments.claim(chat, messageId, attachmentId, "first", NOW, NOW.plusSeconds(125))).isTrue();

        assertThat(attachments.claim(chat, messageId, attachmentId, "second", NOW.plusSeconds(125),
                NOW.plusSeconds(250))).as("lease lasts up to its end").isFalse();
        assertThat(attachments.claim(chat, messageId, attachmentId, "second", NOW.plusSeconds(126),
                NOW.plusSeconds(250))).as("the first ingestion died: its lease ran out").isTrue();

        // The first holder cannot give back what is no longer its claim.
        attachments.releaseClaim(chat, messageId, attachmentId, "first");
        assertThat(statusOf(pending)).isEqualTo(AttachmentStatus.PROCESSING);
        assertThat(attachments.claim(chat, messageId, attachmentId, "third", NOW.plusSeconds(200),
                NOW.plusSeconds(300))).isFalse();
        attachments.releaseClaim(chat, messageId, attachmentId, "second");
        assertThat(attachments.find(chat, messageId, attachmentId)).contains(pending);
        assertThat(attachments.claim(chat, messageId, attachmentId, "third", NOW.plusSeconds(200),
                NOW.plusSeconds(300))).as("given back: claimable at once").isTrue();
    }

    @Test
    void claim_shouldBeRefused_whenThereIsNoSuchUpload() {
        assertThat(attachments.claim(chat, "m1", "a1", "h", NOW, NOW.plusSeconds(60))).isFalse();

        assertThat(attachments.find(chat, "m1", "a1")).isEmpty();
    }

    @Test
    void aClaimedUpload_shouldBeDecidedOnce_andThenNeverClaimedAgain() {
        Blob blob = storedBlob(blobId(chat.tenantId(), 'f'));
        Attachment toReady = pendingAttachment(chat, 202);
        Attachment toReject = pendingAttachment(chat, 203);
        attachments.claim(chat, toReady.messageId(), toReady.attachmentId(), "h1", NOW, NOW.plusSeconds(125));
        attachments.claim(chat, toReject.messageId(), toReject.attachmentId(), "h2", NOW, NOW.plusSeconds(125));

        assertThat(attachments.markReady(chat, toReady.ready(blob, NOW))).isEqualTo(ReadyOutcome.READY);
        assertThat(attachments.markRejected(chat, toReject.rejected(RejectionReason.CORRUPT_IMAGE, NOW),
                NOW.plusSeconds(3600))).isTrue();

        assertThat(attachments.markReady(chat, toReady.ready(blob, NOW))).isEqualTo(ReadyOutcome.NOT_PENDING);
        assertThat(attachments.markRejected(chat, toReject.rejected(RejectionReason.TOO_LARGE, NOW),
                NOW.plusSeconds(3600))).isFalse();
        for (Attachment decided : List.of(toReady, toReject)) {
            assertThat(attachments.claim(chat, decided.messageId(), decided.attachmentId(), "late",
                    NOW.plusSeconds(1000), NOW.plusSeconds(1125))).isFalse();
            attachments.releaseClaim(chat, decided.messageId(), decided.attachmentId(), "h1");
            attachments.releaseClaim(chat, decided.messageId(), decided.attachmentId(), "h2");
        }
        assertThat(attachments.find(chat, toReady.messageId(), toReady.attachmentId()))
                .contains(toReady.ready(blob, NOW));
        assertThat(attachments.find(chat, toReject.messageId(), toReject.attachmentId()))
                .contains(toReject.rejected(RejectionReason.CORRUPT_IMAGE, NOW));
        assertThat(referencesOf(blob.id())).isEqualTo(1);
    }

    // ------------------------------------------------------------------ deciding

    @Test
    void markReady_shouldSayNotPending_whenThereIsNoSuchUpload() {
        Blob blob = storedBlob(blobId(chat.tenantId(), 'a'));
        messages.insert(chat, Message.first(chat.chatId(), "m1", "u1", false, "hi", null, NOW));
        Attachment never = Attachment.pending(chat.chatId(), "m1", "a1", ImageType.PNG, 1, null, NOW);

        assertThat(attachments.markReady(chat, never.ready(blob, NOW))).isEqualTo(ReadyOutcome.NOT_PENDING);

        assertThat(attachments.find(chat, "m1", "a1")).isEmpty();
        assertThat(referencesOf(blob.id())).isZero();
    }

    @Test
    void markReady_shouldSayMessageGone_andChangeNothing_whenTheMessageWasDeletedMeanwhile() {
        Blob blob = storedBlob(blobId(chat.tenantId(), 'a'));
        Attachment pending = pendingAttachment(chat, 1);
        deleteMessage(chat, pending.messageId());

        assertThat(attachments.markReady(chat, pending.ready(blob, NOW))).isEqualTo(ReadyOutcome.MESSAGE_GONE);

        assertThat(statusOf(pending)).isEqualTo(AttachmentStatus.PENDING);
        assertThat(referencesOf(blob.id())).isZero();
    }

    @Test
    void markReady_shouldSayBlobUnavailable_whenTheBlobIsMissingOrNotYetStored() {
        Attachment pending = pendingAttachment(chat, 1);
        BlobId id = blobId(chat.tenantId(), 'b');
        Blob unstored = Blob.unstored(id, ImageType.PNG, 100, 10, 10, "image/png", NOW);

        assertThat(attachments.markReady(chat, pending.ready(unstored, NOW))).isEqualTo(ReadyOutcome.BLOB_UNAVAILABLE);
        attachments.createBlob(unstored);
        assertThat(attachments.markReady(chat, pending.ready(unstored, NOW))).isEqualTo(ReadyOutcome.BLOB_UNAVAILABLE);
        attachments.markBlobStored(id);
        assertThat(attachments.markReady(chat, pending.ready(unstored, NOW))).isEqualTo(ReadyOutcome.READY);

        assertThat(referencesOf(id)).isEqualTo(1);
    }

    @Test
    void markRejected_shouldDecideAPendingUpload_keepingWhatWasDeclared() {
        Attachment pending = pendingAttachment(chat, 1);
        Attachment rejected = pending.rejected(RejectionReason.TYPE_MISMATCH, NOW.plusSeconds(3));

        assertThat(attachments.markRejected(chat, rejected, NOW.plusSeconds(3600))).isTrue();

        assertThat(attachments.find(chat, "m1", "a1")).contains(rejected);
        assertThat(attachments.markRejected(chat, rejected, NOW.plusSeconds(3600))).as("decided already").isFalse();
    }

    @Test
    void markRejected_shouldRefuse_whenThereIsNoSuchUpload() {
        Attachment never = Attachment.pending(chat.chatId(), "m1", "a1", ImageType.PNG, 1, null, NOW);

        assertThat(attachments.markRejected(chat, never.rejected(RejectionReason.TOO_LARGE, NOW), EXPIRES)).isFalse();

        assertThat(attachments.find(chat, "m1", "a1")).isEmpty();
    }

    // ------------------------------------------------------------------ dropping and references

    @Test
    void drop_shouldRemoveAPendingUpload_andRepeatingItIsHarmless() {
        Attachment pending = pendingAttachment(chat, 1);

        attachments.drop(chat, pending, NOW);
        attachments.drop(chat, pending, NOW);

        assertThat(attachments.list(chat, "m1")).isEmpty();
    }

    @Test
    void concurrentDrops_shouldGiveEveryReferenceBack_andPutTheBlobInTheSweepIndexOnce() throws Exception {
        BlobId id = blobId(chat.tenantId(), 'd');
        Blob blob = storedBlob(id);
        List<Attachment> ready = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            ready.add(readyAttachment(blob, i));
        }
        assertThat(referencesOf(id)).isEqualTo(8);
        assertThat(attachments.listUnreferencedBlobs(NOW.plusSeconds(3600), 100)).doesNotContain(id);

        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> drops = new ArrayList<>();
            for (Attachment attachment : ready) {
                drops.add(pool.submit(() -> attachments.drop(chat, attachment, NOW.plusSeconds(60))));
            }
            for (Future<?> drop : drops) {
                drop.get();
            }
        } finally {
            pool.shutdown();
        }
        // Dropping again changes nothing.
        attachments.drop(chat, ready.get(0), NOW.plusSeconds(120));

        assertThat(referencesOf(id)).isZero();
        for (int i = 0; i < 8; i++) {
            assertThat(attachments.list(chat, "m" + i)).isEmpty();
        }
        assertThat(attachments.listUnreferencedBlobs(NOW.plusSeconds(61), 100)).contains(id);
        assertThat(attachments.listUnreferencedBlobs(NOW.plusSeconds(59), 100))
                .as("unreferenced since the last drop, not before").doesNotContain(id);
    }

    // ------------------------------------------------------------------ blobs and the sweep

    @Test
    void createBlob_shouldRecordAnUnreferencedUnstoredBlob_andRefuseAnotherWithTheSameHash() {
        BlobId id = blobId(chat.tenantId(), 'c');
        Blob blob = Blob.unstored(id, ImageType.PNG, 100, 10, 10, "image/png", NOW);

        assertThat(attachments.createBlob(blob)).isTrue();
        assertThat(attachments.findBlob(id)).contains(blob);

        Blob other = Blob.unstored(id, ImageType.JPEG, 200, 20, 20, "image/jpeg", NOW.plusSeconds(1));
        assertThat(attachments.createBlob(other)).isFalse();
        attachments.markBlobStored(id);
        assertThat(attachments.createBlob(blob)).as("stored since").isFalse();
        assertThat(attachments.findBlob(id)).contains(new Blob(id, ImageType.PNG, 100, 10, 10, "image/png", NOW, 0,
                true));
    }

    @Test
    void createBlob_shouldSayCreated_whenTheSameBlobIsCreatedAgain() {
        // A put whose answer was lost and which the SDK retried finds exactly its own item.
        Blob blob = Blob.unstored(blobId(chat.tenantId(), 'c'), ImageType.PNG, 100, 10, 10, "image/png", NOW);
        attachments.createBlob(blob);

        assertThat(attachments.createBlob(blob)).isTrue();
    }

    @Test
    void findBlob_shouldBeEmpty_whenTheTenantHasNoBlobWithTheHash() {
        assertThat(attachments.findBlob(blobId(chat.tenantId(), '0'))).isEmpty();
    }

    @Test
    void listUnreferencedBlobs_shouldListBlobsUnreferencedSinceBefore_byShardThenAge_upToTheLimit() {
        // The index is sharded by the first hex digit of the hash, and sorted by age within a shard.
        BlobId young0 = new BlobId("t1", "0a" + "1".repeat(62));
        BlobId old0 = new BlobId("t2", "05" + "1".repeat(62));
        BlobId oldF = new BlobId("t1", "f0" + "1".repeat(62));
        attachments.createBlob(Blob.unstored(oldF, ImageType.PNG, 1, 1, 1, "image/png", NOW));
        attachments.createBlob(Blob.unstored(young0, ImageType.PNG, 1, 1, 1, "image/png", NOW.plusSeconds(20)));
        attachments.createBlob(Blob.unstored(old0, ImageType.PNG, 1, 1, 1, "image/png", NOW.plusSeconds(10)));

        assertThat(attachments.listUnreferencedBlobs(NOW.plusSeconds(60), 10)).containsExactly(old0, young0, oldF);
        assertThat(attachments.listUnreferencedBlobs(NOW.plusSeconds(60), 2)).containsExactly(old0, young0);
        assertThat(attachments.listUnreferencedBlobs(NOW.plusSeconds(20), 10))
                .as("strictly before").containsExactly(old0, oldF);
    }

    @Test
    void aClaimedBlob_shouldTakeNoNewReference_andANewReferenceStopsTheClaim() {
        BlobId id = blobId(chat.tenantId(), 'e');
        Blob blob = storedBlob(id);
        Attachment first = readyAttachment(blob, 100);
        attachments.drop(chat, first, NOW);

        // Still referenced: the claim is refused.
        Attachment second = readyAttachment(blob, 101);
        assertThat(attachments.beginBlobDeletion(id, NOW.plusSeconds(3600))).isFalse();
        attachments.drop(chat, second, NOW.plusSeconds(10));

        assertThat(attachments.beginBlobDeletion(id, NOW.plusSeconds(5))).as("within the grace period").isFalse();
        assertThat(attachments.beginBlobDeletion(id, NOW.plusSeconds(3600))).isTrue();
        Attachment late = pendingAttachment(chat, 102);
        assertThat(attachments.markReady(chat, late.ready(blob, NOW))).isEqualTo(ReadyOutcome.BLOB_UNAVAILABLE);

        attachments.finishBlobDeletion(id);
        assertThat(attachments.findBlob(id)).isEmpty();
        assertThat(attachments.listUnreferencedBlobs(NOW.plusSeconds(3600), 100)).doesNotContain(id);
    }

    @Test
    void finishBlobDeletion_shouldLeaveABlobNobodyClaimed() {
        BlobId id = blobId(chat.tenantId(), 'e');
        storedBlob(id);

        attachments.finishBlobDeletion(id);

        assertThat(attachments.findBlob(id)).isPresent();
        assertThat(attachments.beginBlobDeletion(blobId(chat.tenantId(), '7'), NOW.plusSeconds(3600)))
                .as("no such blob").isFalse();
    }

    @Test
    void blobs_shouldBeOnePerTenantAndHash_andAnAttachmentCanOnlyReferToItsOwnTenants() {
        char sameBytes = '9';
        Blob ours = storedBlob(blobId(chat.tenantId(), sameBytes));
        Attachment theirs = pendingAttachment(otherTenantsChat, 300);

        // t2 names bytes only t1 has stored: t2 has no such blob, so it must store its own first.
        assertThat(attachments.markReady(otherTenantsChat, theirs.ready(ours, NOW)))
                .isEqualTo(ReadyOutcome.BLOB_UNAVAILABLE);
        BlobId theirBlob = blobId(otherTenantsChat.tenantId(), sameBytes);
        assertThat(attachments.findBlob(theirBlob)).isEmpty();
        assertThat(attachments.createBlob(Blob.unstored(theirBlob, ImageType.PNG, 100, 10, 10, "image/png", NOW)))
                .as("a blob of its own, though t1 has the same hash").isTrue();
        attachments.markBlobStored(theirBlob);
        Blob stored = attachments.findBlob(theirBlob).orElseThrow();
        assertThat(attachments.markReady(otherTenantsChat, theirs.ready(stored, NOW))).isEqualTo(ReadyOutcome.READY);

        assertThat(referencesOf(theirBlob)).isEqualTo(1);
        assertThat(referencesOf(ours.id())).isZero();
        assertThat(attachments.listUnreferencedBlobs(NOW.plusSeconds(1), 100))
                .contains(ours.id()).doesNotContain(theirBlob);
    }

    // ------------------------------------------------------------------ retention

    @Test
    void dueAttachments_shouldBeListedByTheirRetention_apartFromBlobs_andMovedOrForgotten() {
        Blob blob = storedBlob(blobId("t1", 'c'));
        attachments.drop(chat, readyAttachment(blob, 9), NOW);
        messages.insert(chat, Message.first(chat.chatId(), "m1", "u1", false, "hi", null, NOW));
        Attachment due = Attachment.pending(chat.chatId(), "m1", "a1", ImageType.PNG, 100, null, NOW);
        assertThat(attachments.createPending(chat, due, EXPIRES, NOW.plusSeconds(60))).isEqualTo(CreateOutcome.CREATED);
        pendingAttachment(chat, 2);
        AttachmentRef ref = new AttachmentRef(chat, "m1", "a1");

        assertThat(attachments.listDueAttachments(NOW.plusSeconds(61), 10)).containsExactly(ref);
        assertThat(attachments.listDueAttachments(NOW.plusSeconds(60), 10)).isEmpty();
        assertThat(attachments.listUnreferencedBlobs(NOW.plusSeconds(3600), 10)).as("blobs only")
                .containsExactly(blob.id());

        assertThat(attachments.setRetainUntil(ref, NOW.plusSeconds(7200))).isTrue();
        assertThat(attachments.listDueAttachments(NOW.plusSeconds(3600), 10)).isEmpty();
        assertThat(attachments.setRetainUntil(ref, null)).isTrue();
        assertThat(attachments.listDueAttachments(NOW.plusSeconds(86_400 * 365L), 10)).isEmpty();
        assertThat(attachments.setRetainUntil(new AttachmentRef(chat, "m1", "nothing"), NOW)).isFalse();

        attachments.setRetainUntil(ref, NOW);
        attachments.drop(chat, attachments.find(chat, "m1", "a1").orElseThrow(), NOW);
        assertThat(attachments.listDueAttachments(NOW.plusSeconds(1), 10)).as("dropped").isEmpty();
    }
}
