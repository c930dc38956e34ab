package dev.chathistory.ingest;

import dev.chathistory.ingest.image.ImageInfo;
import dev.chathistory.ingest.image.ImageInspector;
import dev.chathistory.ingest.image.RejectedImageException;
import dev.chathistory.ingest.image.Thumbnail;
import dev.chathistory.ingest.image.Thumbnailer;
import dev.chathistory.shared.attachments.Attachment;
import dev.chathistory.shared.attachments.AttachmentKeys;
import dev.chathistory.shared.attachments.AttachmentKeys.UploadKey;
import dev.chathistory.shared.attachments.AttachmentRepository;
import dev.chathistory.shared.attachments.AttachmentRepository.ReadyOutcome;
import dev.chathistory.shared.attachments.AttachmentStatus;
import dev.chathistory.shared.attachments.Blob;
import dev.chathistory.shared.attachments.BlobId;
import dev.chathistory.shared.attachments.RejectionReason;
import dev.chathistory.shared.config.AttachmentsConfig;
import dev.chathistory.shared.retry.ConflictRetry;
import dev.chathistory.shared.lambda.Priming;
import dev.chathistory.shared.model.ChatRef;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one uploaded object into a checked, stored attachment, or a rejected one. Safe to run
 * any number of times for the same upload, concurrently too: one ingestion at a time claims the
 * attachment (pending to processing, with a lease) before reading a byte, and every other event
 * for it is acknowledged without work; the record only leaves processing once, blobs are created
 * only if absent, and the upload is deleted last.
 */
public final class Ingestion {

    /** What became of one upload; the handler counts these. */
    public enum Outcome { READY, REJECTED, ALREADY_DONE, CLAIMED_ELSEWHERE, NOT_AN_UPLOAD }

    private static final Logger LOG = LoggerFactory.getLogger(Ingestion.class);
    /** A blob being swept cannot take references; give the sweep a moment, then let Lambda retry. */
    private static final int BLOB_ATTEMPTS = 3;
    /**
     * Added to the invocation's deadline for the lease: clocks of different Lambda hosts differ
     * by milliseconds, and Lambda's first retry comes a minute after a failure, so a claim of
     * an invocation that died has always run out when its event is retried.
     */
    static final Duration LEASE_MARGIN = Duration.ofSeconds(5);

    private final AttachmentRepository attachments;
    private final IngestObjects objects;
    private final ImageInspector inspector;
    private final Thumbnailer thumbnailer;
    private final AttachmentsConfig config;
    private final Clock clock;
    private final Path workDirectory;
    private final ConflictRetry retry;
    private final IngestMetrics metrics;

    public Ingestion(AttachmentRepository attachments, IngestObjects objects, AttachmentsConfig config, Clock clock,
                     Path workDirectory, ConflictRetry retry, IngestMetrics metrics) {
        this.attachments = attachments;
        this.objects = objects;
        this.inspector = new ImageInspector(config.maxPixels(), config.maxSide());
        this.thumbnailer = new Thumbnailer(config.thumbnailMaxSide());
        this.config = config;
        this.clock = clock;
        this.workDirectory = workDirectory;
        this.retry = retry;
        this.metrics = metrics;
    }

    /**
     * Processes the object at {@code key} (already URL-decoded). {@code timeLeft} is what the
     * invocation has left: the claim lasts exactly as long as this invocation can hold it.
     */
    public Outcome ingest(String key, Duration timeLeft) {
        Optional<UploadKey> parsed = AttachmentKeys.parseUploadKey(key);
        if (parsed.isEmpty()) {
            // Only our presigned URLs write here; anything else is left for the lifecycle rule.
            LOG.warn("ignored an object that is not an attachment upload");
            return Outcome.NOT_AN_UPLOAD;
        }
        UploadKey upload = parsed.get();
        Optional<Attachment> found = attachments.find(upload.chat(), upload.messageId(), upload.attachmentId());
        if (found.isEmpty() || found.get().status().isDecided()) {
            // A repeated event, or an upload whose record expired or whose message went away.
            objects.delete(key);
            return Outcome.ALREADY_DONE;
        }
        Instant now = clock.instant();
        String holder = UUID.randomUUID().toString();
        if (!attachments.claim(upload.chat(), upload.messageId(), upload.attachmentId(), holder, now,
                now.plus(timeLeft).plus(LEASE_MARGIN))) {
            // Another PUT with the same link, or the same event again, while an ingestion holds it:
            // that one reads whatever bytes are there last and deletes the upload, so leave it be.
            metrics.alreadyClaimed();
            return Outcome.CLAIMED_ELSEWHERE;
        }
        try {
            Outcome outcome = ingestClaimed(upload, found.get());
            if (outcome == Outcome.ALREADY_DONE) {
                // The object was gone, or another ingestion decided first: nothing of ours to
                // keep, and an upload still pending must stay claimable by the next PUT's event.
                release(upload, holder);
            }
            return outcome;
        } catch (RuntimeException e) {
            // Lambda retries the event; the retry must find the upload claimable again.
            release(upload, holder);
            throw e;
        }
    }

    private Outcome ingestClaimed(UploadKey upload, Attachment pending) {
        long limit = Math.min(pending.declaredSize(), config.maxBytes());
        IngestObjects.Download download;
        try {
            Optional<IngestObjects.Download> downloaded = objects.download(upload.key(), limit, workDirectory);
            if (downloaded.isEmpty()) {
                return Outcome.ALREADY_DONE;
            }
            download = downloaded.get();
        } catch (IngestObjects.TooLargeException e) {
            return reject(upload, pending, RejectionReason.TOO_LARGE);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the upload", e);
        }
        try {
            return ingest(upload, pending, download);
        } finally {
            deleteQuietly(download.file());
        }
    }

    /** Best effort: if this fails too, the lease runs out with the invocation. */
    /**
     * SnapStart priming: every layer an upload goes through, without one: the upload key, the
     * attachment record's read and the upload's download in the reserved priming tenant (neither
     * exists, so nothing is claimed, stored or deleted), then the image code (decode, inspect,
     * thumbnail) on a small JPEG made here, in a temporary file removed afterwards.
     */
    public void prime() {
        String id = "01JDXK3M7Q8Z5V2N4T6R9W1Y0B";
        UploadKey upload = AttachmentKeys.parseUploadKey(AttachmentKeys.uploadKey(new ChatRef(Priming.TENANT, "priming"),
                id, id)).orElseThrow();
        attachments.find(upload.chat(), upload.messageId(), upload.attachmentId());
        try {
            objects.download(upload.key(), 1, workDirectory).ifPresent(download -> deleteQuietly(download.file()));
        } catch (IOException | IngestObjects.TooLargeException e) {
            LOG.warn("priming could not read the bucket: {}", e.getClass().getSimpleName());
        }
        Path file = null;
        try {
            file = Files.createTempFile(workDirectory, "priming-", ".jpg");
            BufferedImage image = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
            Graphics2D graphics = image.createGraphics();
            graphics.setColor(Color.ORANGE);
            graphics.fillOval(8, 8, 40, 30);
            graphics.dispose();
            ImageIO.write(image, "jpeg", file.toFile());
            thumbnailer.make(file, inspector.inspect(file));
        } catch (IOException | RejectedImageException e) {
            LOG.warn("priming could not decode its own image: {}", e.getClass().getSimpleName());
        } finally {
            if (file != null) {
                deleteQuietly(file);
            }
        }
    }

    private void release(UploadKey upload, String holder) {
        try {
            attachments.releaseClaim(upload.chat(), upload.messageId(), upload.attachmentId(), holder);
        } catch (RuntimeException e) {
            LOG.warn("could not release a claim; its lease will run out: {}", e.getClass().getSimpleName());
        }
    }

    private Outcome ingest(UploadKey upload, Attachment pending, IngestObjects.Download download) {
        ImageInfo info;
        try {
            info = inspector.inspect(download.file());
        } catch (RejectedImageException e) {
            return reject(upload, pending, e.reason());
        }
        if (info.type() != pending.declaredType()) {
            return reject(upload, pending, RejectionReason.TYPE_MISMATCH);
        }
        // The tenant's own blob: whether another tenant stored these bytes must change nothing
        // here, not even how long this takes (docs/security.md).
        BlobId blobId = new BlobId(upload.chat().tenantId(), download.sha256());
        Thumbnail thumbnail = null;
        for (int attempt = 1; attempt <= BLOB_ATTEMPTS; attempt++) {
            Optional<Blob> existing = attachments.findBlob(blobId);
            Blob blob;
            if (existing.isPresent() && existing.get().stored()) {
                // This tenant sent these exact bytes before: they were checked and thumbnailed then.
                metrics.duplicateBlob();
                blob = existing.get();
            } else {
                if (thumbnail == null) {
                    try {
                        thumbnail = thumbnailer.make(download.file(), info);
                    } catch (RejectedImageException e) {
                        return reject(upload, pending, e.reason());
                    }
                }
                blob = store(blobId, download, info, thumbnail, existing);
            }
            Attachment ready = pending.ready(blob, clock.instant());
            ReadyOutcome outcome = retry.run(() -> attachments.markReady(upload.chat(), ready));
            switch (outcome) {
                case READY -> {
                    objects.delete(upload.key());
                    metrics.ready();
                    return Outcome.READY;
                }
                case NOT_PENDING -> {
                    objects.delete(upload.key());
                    return Outcome.ALREADY_DONE;
                }
                case MESSAGE_GONE -> {
                    return reject(upload, pending, RejectionReason.MESSAGE_GONE);
                }
                case BLOB_UNAVAILABLE -> sleepBeforeRetry(attempt);
                default -> throw new IllegalStateException("unexpected outcome " + outcome);
            }
        }
        throw new IllegalStateException("a blob being swept; retry later");
    }

    /** Creates the blob record (unreferenced), then its objects, then marks it stored. */
    private Blob store(BlobId blobId, IngestObjects.Download download, ImageInfo info, Thumbnail thumbnail,
                       Optional<Blob> existing) {
        Blob blob = existing.orElseGet(() -> Blob.unstored(blobId, info.type(), download.size(),
                info.width(), info.height(), thumbnail.contentType(), clock.instant()));
        if (existing.isEmpty() && attachments.createBlob(blob)) {
            metrics.newBlob();
        }
        objects.putImmutable(blob.objectKey(), download.file(), info.type().contentType());
        objects.putImmutable(blob.thumbnailKey(), thumbnail.bytes(), thumbnail.contentType());
        attachments.markBlobStored(blobId);
        return attachments.findBlob(blobId).orElse(blob);
    }

    private Outcome reject(UploadKey upload, Attachment pending, RejectionReason reason) {
        // The reason code is safe to log; the file's contents and name are not.
        LOG.info("upload rejected: {}", reason.code());
        attachments.markRejected(upload.chat(), pending.rejected(reason, clock.instant()),
                clock.instant().plus(AttachmentsConfig.REJECTED_RETENTION));
        objects.delete(upload.key());
        metrics.rejected(reason);
        return Outcome.REJECTED;
    }

    private static void sleepBeforeRetry(int attempt) {
        try {
            Thread.sleep(200L * attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("could not delete a temporary file: {}", e.getClass().getSimpleName());
        }
    }
}
