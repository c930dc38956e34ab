package dev.chathistory.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chathistory.shared.attachments.Attachment;
import dev.chathistory.shared.attachments.AttachmentKeys;
import dev.chathistory.shared.attachments.AttachmentStatus;
import dev.chathistory.shared.attachments.Blob;
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
import java.time.Instant;
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

    private Ingestion ingestion() {
        return new Ingestion(attachments, objects, AttachmentsConfig.defaults(), clock, work,
                ConflictRetry.defaults(), metrics);
    }

    /** A message with a pending attachment whose upload holds {@code bytes}; returns the upload key. */
    private String uploaded(ImageType declared, long declaredSize, byte[] bytes) {
        String messageId = "m" + (++counter);
        messages.insert(CHAT, Message.first(CHAT.chatId(), messageId, "u1", false, "hi", null, NOW));
        Attachment pending = Attachment.pending(CHAT.chatId(), messageId, "a" + counter, declared, declaredSize,
                null, NOW);
        attachments.createPending(CHAT, pending, NOW.plusSeconds(3600));
        String key = AttachmentKeys.uploadKey(CHAT, messageId, pending.attachmentId());
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
        String key = uploaded(ImageType.PNG, png.length, png);

        assertThat(ingestion().ingest(key)).isEqualTo(Ingestion.Outcome.READY);

        Attachment ready = attachmentOf(key);
        assertThat(ready.status()).isEqualTo(AttachmentStatus.READY);
        assertThat(ready.type()).isEqualTo(ImageType.PNG);
        assertThat(ready.width()).isEqualTo(640);
        assertThat(ready.height()).isEqualTo(480);
        assertThat(ready.size()).isEqualTo(png.length);
        assertThat(ready.sha256()).isEqualTo(sha);
        assertThat(objects.objects()).containsOnlyKeys(AttachmentKeys.blobKey(sha), AttachmentKeys.thumbnailKey(sha));
        assertThat(objects.objects().get(AttachmentKeys.blobKey(sha))).isEqualTo(png);
        Blob blob = attachments.findBlob(sha).orElseThrow();
        assertThat(blob.references()).isEqualTo(1);
        assertThat(blob.stored()).isTrue();
        assertThat(metrics.events).containsExactly("newBlob", "ready");
    }

    @Test
    void ingest_shouldReuseTheBlob_withoutAnotherThumbnail_whenTheBytesWereSeenBefore() {
        byte[] jpeg = TestImages.jpeg(800, 600, 2);
        String first = uploaded(ImageType.JPEG, jpeg.length, jpeg);
        String second = uploaded(ImageType.JPEG, jpeg.length, jpeg);

        ingestion().ingest(first);
        ingestion().ingest(second);

        String sha = InMemoryIngestObjects.sha256(jpeg);
        assertThat(objects.writes()).containsExactly(AttachmentKeys.blobKey(sha), AttachmentKeys.thumbnailKey(sha));
        assertThat(attachments.findBlob(sha).orElseThrow().references()).isEqualTo(2);
        assertThat(attachmentOf(second).sha256()).isEqualTo(sha);
        assertThat(metrics.events).containsExactly("newBlob", "ready", "duplicateBlob", "ready");
    }

    @Test
    void ingest_shouldChangeNothing_whenTheSameEventArrivesAgain() {
        byte[] gif = TestImages.gif(100, 50, 3);
        String key = uploaded(ImageType.GIF, gif.length, gif);
        ingestion().ingest(key);
        objects.upload(key, gif); // as if S3 delivered the event again and the object were back

        assertThat(ingestion().ingest(key)).isEqualTo(Ingestion.Outcome.ALREADY_DONE);

        assertThat(attachments.findBlob(InMemoryIngestObjects.sha256(gif)).orElseThrow().references()).isEqualTo(1);
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
            assertThat(ingestion().ingest(key)).as(key).isEqualTo(Ingestion.Outcome.REJECTED);
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

        assertThat(ingestion().ingest(key)).isEqualTo(Ingestion.Outcome.REJECTED);

        assertThat(attachmentOf(key).rejection()).isEqualTo(RejectionReason.MESSAGE_GONE);
        String sha = InMemoryIngestObjects.sha256(png);
        assertThat(attachments.findBlob(sha).orElseThrow().references())
                .as("the blob was stored but nobody refers to it: the sweep will take it").isZero();
    }

    @Test
    void ingest_shouldFailForARetry_whileTheBlobIsBeingSwept() {
        byte[] png = TestImages.png(48, 48, 7);
        String sha = InMemoryIngestObjects.sha256(png);
        attachments.createBlob(Blob.unstored(sha, ImageType.PNG, png.length, 48, 48, "image/png",
                NOW.minusSeconds(100_000)));
        attachments.markBlobStored(sha);
        assertThat(attachments.beginBlobDeletion(sha, NOW)).isTrue();
        String key = uploaded(ImageType.PNG, png.length, png);

        assertThatThrownBy(() -> ingestion().ingest(key)).hasMessageContaining("being swept");

        assertThat(attachmentOf(key).status()).isEqualTo(AttachmentStatus.PENDING);
        assertThat(objects.objects()).containsKey(key);
    }

    @Test
    void ingest_shouldIgnoreKeysThatAreNotUploads() {
        assertThat(ingestion().ingest("uploads/only/three/parts")).isEqualTo(Ingestion.Outcome.NOT_AN_UPLOAD);
        assertThat(ingestion().ingest("uploads/t#1/c/m/a")).isEqualTo(Ingestion.Outcome.NOT_AN_UPLOAD);
    }
}
