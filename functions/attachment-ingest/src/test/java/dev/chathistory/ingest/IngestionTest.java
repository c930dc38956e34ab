package dev.chathistory.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chathistory.shared.attachments.Attachment;
import dev.chathistory.shared.attachments.AttachmentKeys;
import dev.chathistory.shared.attachments.AttachmentStatus;
import dev.chathistory.shared.attachments.Blob;
import dev.chathistory.shared.attachments.BlobId;
import dev.chathistory.shared.attachments.ImageType;
import dev.chathistory.shared.attachments.RejectionReason;
import dev.chathistory.shared.config.AttachmentsConfig;
import dev.chathistory.shared.model.ChatRef;
import dev.chathistory.shared.model.Message;
import dev.chathistory.shared.retry.ConflictRetry;
import dev.chathistory.shared.testing.InMemoryAttachmentRepository;
import dev.chathistory.shared.testing.InMemoryMessageRepository;
import dev.chathistory.shared.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ingestion on in-memory storage: each outcome, what it stores, and what it leaves behind. */
class IngestionTest {

    private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");
    private static final ChatRef CHAT = new ChatRef("t1", "chat-1");

    @TempDir
    Path work;

    private final InMemoryMessageRepository messages = new InMemoryMessageRepository();
    private final InMemoryAttachmentRepository attachments = new InMemoryAttachmentRepository(messages);
    private final InMemoryIngestObjects objects = new InMemoryIngestObjects();
    private final RecordingIngestMetrics metrics = new RecordingIngestMetrics();
    private final MutableClock clock = new MutableClock(NOW);
    private int counter;

    /** What a fresh invocation of the function has left: its whole 120 s timeout. */
    private static final Duration TIME_LEFT = Duration.ofSeconds(120);

    private Ingestion.Outcome ingest(String key) {
        return ingestion().ingest(key, TIME_LEFT);
    }

    private Ingestion ingestion() {
        return new Ingestion(attachments, objects, AttachmentsConfig.defaults(), clock, work,
                ConflictRetry.defaults(), metrics);
    }

    /** A message with a pending attachment whose upload holds {@code bytes}; returns the upload key. */
    private String uploaded(ImageType declared, long declaredSize, byte[] bytes) {
        return uploaded(CHAT, declared, declaredSize, bytes);
    }

    private String uploaded(ChatRef chat, ImageType declared, long declaredSize, byte[] bytes) {
        String messageId = "m" + (++counter);
        messages.insert(chat, Message.first(chat.chatId(), messageId, "u1", false, "hi", null, NOW));
        Attachment pending = Attachment.pending(chat.chatId(), messageId, "a" + counter, declared, declaredSize,
                null, NOW);
        attachments.createPending(chat, pending, NOW.plusSeconds(3600));
        String key = AttachmentKeys.uploadKey(chat, messageId, pending.attachmentId());
        objects.upload(key, bytes);
        return key;
    }

    private Attachment attachmentOf(String key) {
        AttachmentKeys.UploadKey parsed = AttachmentKeys.parseUploadKey(key).orElseThrow();
        return attachments.find(parsed.chat(), parsed.messageId(), parsed.attachmentId()).orElseThrow();
    }

    @Test
    void ingest_shouldStoreTheBlobAndThumbnail_recordTheAttachment_andRemoveTheUpload() {
        byte[] png = TestImages.png(640, 480, 1);
        String sha = InMemoryIngestObjects.sha256(png);
        BlobId blobId = new BlobId(CHAT.tenantId(), sha);
        String key = uploaded(ImageType.PNG, png.length, png);

        assertThat(ingest(key)).isEqualTo(Ingestion.Outcome.READY);

        Attachment ready = attachmentOf(key);
        assertThat(ready.status()).isEqualTo(AttachmentStatus.READY);
        assertThat(ready.type()).isEqualTo(ImageType.PNG);
        assertThat(ready.width()).isEqualTo(640);
        assertThat(ready.height()).isEqualTo(480);
        assertThat(ready.size()).isEqualTo(png.length);
        assertThat(ready.sha256()).isEqualTo(sha);
        assertThat(objects.objects()).containsOnlyKeys("blobs/t1/sha256/" + sha, "thumbnails/t1/sha256/" + sha);
        assertThat(objects.objects().get(blobId.objectKey())).isEqualTo(png);
        Blob blob = attachments.findBlob(blobId).orElseThrow();
        assertThat(blob.references()).isEqualTo(1);
        assertThat(blob.stored()).isTrue();
        assertThat(metrics.events).containsExactly("newBlob", "ready");
    }

    @Test
    void ingest_shouldReuseTheBlob_withoutAnotherThumbnail_whenTheBytesWereSeenBefore() {
        byte[] jpeg = TestImages.jpeg(800, 600, 2);
        String first = uploaded(ImageType.JPEG, jpeg.length, jpeg);
        String second = uploaded(ImageType.JPEG, jpeg.length, jpeg);

        ingest(first);
        ingest(second);

        String sha = InMemoryIngestObjects.sha256(jpeg);
        BlobId blobId = new BlobId(CHAT.tenantId(), sha);
        assertThat(objects.writes()).containsExactly(blobId.objectKey(), blobId.thumbnailKey());
        assertThat(attachments.findBlob(blobId).orElseThrow().references()).isEqualTo(2);
        assertThat(attachmentOf(second).sha256()).isEqualTo(sha);
        assertThat(metrics.events).containsExactly("newBlob", "ready", "duplicateBlob", "ready");
    }

    @Test
    void ingest_shouldDoTheWholeWorkAgain_whenOnlyAnotherTenantStoredTheseBytes() {
        byte[] jpeg = TestImages.jpeg(800, 600, 12);
        String sha = InMemoryIngestObjects.sha256(jpeg);
        ChatRef other = new ChatRef("t2", "chat-9");
        ingest(uploaded(ImageType.JPEG, jpeg.length, jpeg));
        List<String> firstTenantsWork = List.copyOf(metrics.events);
        List<String> firstTenantsWrites = objects.writes();
        metrics.events.clear();

        String key = uploaded(other, ImageType.JPEG, jpeg.length, jpeg);
        assertThat(ingest(key)).isEqualTo(Ingestion.Outcome.READY);

        // Exactly what the first tenant's ingestion did: a new blob, checked, thumbnailed, stored.
        assertThat(metrics.events).isEqualTo(firstTenantsWork).containsExactly("newBlob", "ready");
        BlobId theirs = new BlobId("t2", sha);
        assertThat(objects.writes()).containsExactlyElementsOf(concat(firstTenantsWrites,
                List.of(theirs.objectKey(), theirs.thumbnailKey())));
        assertThat(attachments.findBlob(theirs).orElseThrow().references()).isEqualTo(1);
        assertThat(attachments.findBlob(new BlobId("t1", sha)).orElseThrow().references())
                .as("the first tenant's blob is not touched").isEqualTo(1);
        assertThat(attachmentOf(key).sha256()).isEqualTo(sha);
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    @Test
    void ingest_shouldChangeNothing_whenTheSameEventArrivesAgain() {
        byte[] gif = TestImages.gif(100, 50, 3);
        String key = uploaded(ImageType.GIF, gif.length, gif);
        ingest(key);
        objects.upload(key, gif); // as if S3 delivered the event again and the object were back

        assertThat(ingest(key)).isEqualTo(Ingestion.Outcome.ALREADY_DONE);

        assertThat(attachments.findBlob(new BlobId(CHAT.tenantId(), InMemoryIngestObjects.sha256(gif))).orElseThrow()
                .references()).isEqualTo(1);
        assertThat(objects.objects()).doesNotContainKey(key);
    }

    @Test
    void ingest_shouldRejectWithAReason_andKeepNothing() {
        byte[] png = TestImages.png(64, 64, 4);
        String mismatch = uploaded(ImageType.JPEG, png.length, png);
        String larger = uploaded(ImageType.PNG, png.length - 1, png);
        String text = uploaded(ImageType.PNG, TestImages.text().length, TestImages.text());
        String bomb = uploaded(ImageType.PNG, 1000, TestImages.pngClaiming(20_000, 20_000));
        byte[] cut = TestImages.truncated(TestImages.png(300, 300, 5), 0.5);
        String truncated = uploaded(ImageType.PNG, cut.length, cut);

        for (String key : new String[] {mismatch, larger, text, bomb, truncated}) {
            assertThat(ingest(key)).as(key).isEqualTo(Ingestion.Outcome.REJECTED);
        }

        assertThat(attachmentOf(mismatch).rejection()).isEqualTo(RejectionReason.TYPE_MISMATCH);
        assertThat(attachmentOf(larger).rejection()).isEqualTo(RejectionReason.TOO_LARGE);
        assertThat(attachmentOf(text).rejection()).isEqualTo(RejectionReason.UNSUPPORTED_TYPE);
        assertThat(attachmentOf(bomb).rejection()).isEqualTo(RejectionReason.TOO_MANY_PIXELS);
        assertThat(attachmentOf(truncated).rejection()).isEqualTo(RejectionReason.CORRUPT_IMAGE);
        assertThat(objects.objects()).as("uploads removed, nothing stored").isEmpty();
        assertThat(attachments.listUnreferencedBlobs(NOW.plusSeconds(1), 10)).isEmpty();
    }

    @Test
    void ingest_shouldReject_whenTheMessageWasDeletedMeanwhile() {
        byte[] png = TestImages.png(32, 32, 6);
        String key = uploaded(ImageType.PNG, png.length, png);
        AttachmentKeys.UploadKey parsed = AttachmentKeys.parseUploadKey(key).orElseThrow();
        Message current = messages.find(CHAT, parsed.messageId()).orElseThrow();
        messages.replace(CHAT, current.nextVersion(current.text(), null, true, NOW), 1, current.toVersion());

        assertThat(ingest(key)).isEqualTo(Ingestion.Outcome.REJECTED);

        assertThat(attachmentOf(key).rejection()).isEqualTo(RejectionReason.MESSAGE_GONE);
        BlobId blobId = new BlobId(CHAT.tenantId(), InMemoryIngestObjects.sha256(png));
        assertThat(attachments.findBlob(blobId).orElseThrow().references())
                .as("the blob was stored but nobody refers to it: the sweep will take it").isZero();
    }

    @Test
    void ingest_shouldFailForARetry_whileTheBlobIsBeingSwept() {
        byte[] png = TestImages.png(48, 48, 7);
        BlobId sha = new BlobId(CHAT.tenantId(), InMemoryIngestObjects.sha256(png));
        attachments.createBlob(Blob.unstored(sha, ImageType.PNG, png.length, 48, 48, "image/png",
                NOW.minusSeconds(100_000)));
        attachments.markBlobStored(sha);
        assertThat(attachments.beginBlobDeletion(sha, NOW)).isTrue();
        String key = uploaded(ImageType.PNG, png.length, png);

        assertThatThrownBy(() -> ingest(key)).hasMessageContaining("being swept");

        assertThat(attachmentOf(key).status()).isEqualTo(AttachmentStatus.PENDING);
        assertThat(objects.objects()).containsKey(key);
    }

    @Test
    void ingest_shouldIgnoreKeysThatAreNotUploads() {
        assertThat(ingest("uploads/only/three/parts")).isEqualTo(Ingestion.Outcome.NOT_AN_UPLOAD);
        assertThat(ingest("uploads/t#1/c/m/a")).isEqualTo(Ingestion.Outcome.NOT_AN_UPLOAD);
    }

    @Test
    void ingest_shouldAcknowledgeWithoutReading_whileAnotherIngestionHoldsALiveLease() {
        byte[] png = TestImages.png(64, 48, 8);
        String key = uploaded(ImageType.PNG, png.length, png);
        AttachmentKeys.UploadKey upload = AttachmentKeys.parseUploadKey(key).orElseThrow();
        assertThat(attachments.claim(CHAT, upload.messageId(), upload.attachmentId(), "first", NOW,
                NOW.plusSeconds(125))).isTrue();
        clock.advance(Duration.ofSeconds(125));

        for (int put = 0; put < 50; put++) {
            assertThat(ingest(key)).isEqualTo(Ingestion.Outcome.CLAIMED_ELSEWHERE);
        }

        assertThat(objects.downloads()).as("not one byte read").isZero();
        assertThat(objects.objects()).as("the holder's upload is left to it").containsOnlyKeys(key);
        assertThat(attachmentOf(key).status()).isEqualTo(AttachmentStatus.PROCESSING);
        assertThat(attachments.claimHolder(CHAT, upload.messageId(), upload.attachmentId())).contains("first");
        assertThat(metrics.events).hasSize(50).containsOnly("alreadyClaimed");
    }

    @Test
    void ingest_shouldReclaimAndFinish_whenTheHoldersLeaseRanOut() {
        byte[] png = TestImages.png(64, 48, 9);
        String key = uploaded(ImageType.PNG, png.length, png);
        AttachmentKeys.UploadKey upload = AttachmentKeys.parseUploadKey(key).orElseThrow();
        attachments.claim(CHAT, upload.messageId(), upload.attachmentId(), "crashed", NOW, NOW.plusSeconds(125));
        clock.advance(Duration.ofSeconds(126));

        assertThat(ingest(key)).isEqualTo(Ingestion.Outcome.READY);

        assertThat(attachmentOf(key).status()).isEqualTo(AttachmentStatus.READY);
        assertThat(objects.downloads()).isEqualTo(1);
    }

    @Test
    void ingest_shouldGiveTheClaimBack_whenItFails_soLambdasRetryCanClaimIt() {
        byte[] png = TestImages.png(48, 48, 10);
        BlobId sha = new BlobId(CHAT.tenantId(), InMemoryIngestObjects.sha256(png));
        attachments.createBlob(Blob.unstored(sha, ImageType.PNG, png.length, 48, 48, "image/png",
                NOW.minusSeconds(100_000)));
        attachments.markBlobStored(sha);
        attachments.beginBlobDeletion(sha, NOW);
        String key = uploaded(ImageType.PNG, png.length, png);
        AttachmentKeys.UploadKey upload = AttachmentKeys.parseUploadKey(key).orElseThrow();

        assertThatThrownBy(() -> ingest(key)).isInstanceOf(IllegalStateException.class);

        assertThat(attachmentOf(key).status()).isEqualTo(AttachmentStatus.PENDING);
        assertThat(attachments.claimHolder(CHAT, upload.messageId(), upload.attachmentId())).isEmpty();
        assertThat(attachments.claim(CHAT, upload.messageId(), upload.attachmentId(), "retry", NOW,
                NOW.plusSeconds(125))).as("the retry, at once, with no lease to wait out").isTrue();
    }

    @Test
    void ingest_shouldHoldTheClaim_forTheInvocationsTimeLeftAndAMargin_whileItReads() {
        byte[] png = TestImages.png(64, 48, 11);
        String key = uploaded(ImageType.PNG, png.length, png);
        AttachmentKeys.UploadKey upload = AttachmentKeys.parseUploadKey(key).orElseThrow();
        List<Object> seen = new ArrayList<>();
        objects.duringDownload(() -> {
            seen.add(attachmentOf(key).status());
            seen.add(attachments.leaseUntil(CHAT, upload.messageId(), upload.attachmentId()).orElseThrow());
        });

        assertThat(ingestion().ingest(key, Duration.ofSeconds(30))).isEqualTo(Ingestion.Outcome.READY);

        assertThat(seen).containsExactly(AttachmentStatus.PROCESSING, NOW.plusSeconds(30).plus(Ingestion.LEASE_MARGIN));
        assertThat(attachments.claimHolder(CHAT, upload.messageId(), upload.attachmentId()))
                .as("a decided attachment holds no claim").isEmpty();
    }
}
