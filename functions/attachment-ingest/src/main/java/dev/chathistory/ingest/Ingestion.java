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
import dev.chathistory.shared.attachments.RejectionReason;
import dev.chathistory.shared.config.AttachmentsConfig;
import dev.chathistory.shared.retry.ConflictRetry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one uploaded object into a checked, stored attachment, or a rejected one. Safe to run
 * any number of times for the same upload, concurrently too: the attachment record only moves
 * out of {@code pending} once, blobs are created only if absent, and the upload is deleted
 * last.
 */
public final class Ingestion {

    /** What became of one upload; the handler counts these. */
    public enum Outcome { READY, REJECTED, ALREADY_DONE, NOT_AN_UPLOAD }

    private static final Logger LOG = LoggerFactory.getLogger(Ingestion.class);
    /** A blob being swept cannot take references; give the sweep a moment, then let Lambda retry. */
    private static final int BLOB_ATTEMPTS = 3;

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

    /** Processes the object at {@code key} (already URL-decoded). */
    public Outcome ingest(String key) {
        Optional<UploadKey> parsed = AttachmentKeys.parseUploadKey(key);
        if (parsed.isEmpty()) {
            // Only our presigned URLs write here; anything else is left for the lifecycle rule.
            LOG.warn("ignored an object that is not an attachment upload");
            return Outcome.NOT_AN_UPLOAD;
        }
        UploadKey upload = parsed.get();
        Optional<Attachment> found = attachments.find(upload.chat(), upload.messageId(), upload.attachmentId());
        if (found.isEmpty() || found.get().status() != AttachmentStatus.PENDING) {
            // A repeated event, or an upload whose record expired or whose message went away.
            objects.delete(key);
            return Outcome.ALREADY_DONE;
        }
        Attachment pending = found.get();
        long limit = Math.min(pending.declaredSize(), config.maxBytes());
        IngestObjects.Download download;
        try {
            Optional<IngestObjects.Download> downloaded = objects.download(key, limit, workDirectory);
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
        Thumbnail thumbnail = null;
        for (int attempt = 1; attempt <= BLOB_ATTEMPTS; attempt++) {
            Optional<Blob> existing = attachments.findBlob(download.sha256());
            Blob blob;
            if (existing.isPresent() && existing.get().stored()) {
                // Seen before: these exact bytes were checked and thumbnailed when first stored.
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
                blob = store(download, info, thumbnail, existing);
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
        throw new IllegalStateException("blob " + download.sha256() + " is being swept; retry later");
    }

    /** Creates the blob record (unreferenced), then its objects, then marks it stored. */
    private Blob store(IngestObjects.Download download, ImageInfo info, Thumbnail thumbnail, Optional<Blob> existing) {
        Blob blob = existing.orElseGet(() -> Blob.unstored(download.sha256(), info.type(), download.size(),
                info.width(), info.height(), thumbnail.contentType(), clock.instant()));
        if (existing.isEmpty() && attachments.createBlob(blob)) {
            metrics.newBlob();
        }
        objects.putImmutable(blob.objectKey(), download.file(), info.type().contentType());
        objects.putImmutable(blob.thumbnailKey(), thumbnail.bytes(), thumbnail.contentType());
        attachments.markBlobStored(blob.sha256());
        return attachments.findBlob(blob.sha256()).orElse(blob);
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
