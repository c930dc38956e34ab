package dev.chathistory.importer;

import dev.chathistory.shared.attachments.Attachment;
import dev.chathistory.shared.attachments.AttachmentKeys;
import dev.chathistory.shared.attachments.AttachmentRepository;
import dev.chathistory.shared.attachments.AttachmentStatus;
import dev.chathistory.shared.config.AttachmentsConfig;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Stores an attachment file the way a bot's upload is stored: a pending attachment record, then
 * the bytes under {@code uploads/}, where the ingest function checks them by their bytes, keeps
 * each distinct image once, makes the thumbnail and marks the attachment ready or rejected. So
 * an imported image is treated exactly like a new one, including its rejection.
 */
final class AttachmentUploads {

    private final AttachmentRepository attachments;
    private final S3Client s3;
    private final String bucket;
    private final Clock clock;

    AttachmentUploads(AttachmentRepository attachments, S3Client s3, String bucket, Clock clock) {
        this.attachments = attachments;
        this.s3 = s3;
        this.bucket = bucket;
        this.clock = clock;
    }

    void store(ChunkPlanner.Upload upload) {
        String messageId = upload.message().messageId();
        Optional<Attachment> recorded = attachments.find(upload.chat(), messageId, upload.attachmentId());
        if (recorded.isPresent() && recorded.get().status() != AttachmentStatus.PENDING) {
            // A resumed import: ingestion decided this one, or holds it (processing) and will
            // decide it, or give it back on failure for Lambda's retry of that event to finish.
            // Uploading again during a claim would only raise an event that is acknowledged.
            return;
        }
        if (recorded.isEmpty() && !createPending(upload, messageId)) {
            return; // deleted by a bot since it was imported
        }
        // Pending but perhaps never uploaded (the import died in between): upload (again);
        // ingestion of a repeated upload leaves the same state.
        s3.putObject(b -> b.bucket(bucket)
                        .key(AttachmentKeys.uploadKey(upload.chat(), messageId, upload.attachmentId()))
                        .contentType(upload.type().contentType())
                        .contentLength(upload.size()),
                RequestBody.fromFile(upload.file()));
    }

    private boolean createPending(ChunkPlanner.Upload upload, String messageId) {
        Instant now = clock.instant();
        Attachment pending = Attachment.pending(upload.chat().chatId(), messageId, upload.attachmentId(),
                upload.type(), upload.size(), upload.filename(), now);
        try {
            return attachments.createPending(upload.chat(), pending, now.plus(AttachmentsConfig.PENDING_RETENTION))
                    != AttachmentRepository.CreateOutcome.MESSAGE_GONE;
        } catch (RuntimeException e) {
            // An attempt that timed out may have written the record before the SDK retried it;
            // then the retry finds it there, which is what was wanted.
            if (attachments.find(upload.chat(), messageId, upload.attachmentId()).isPresent()) {
                return true;
            }
            throw e;
        }
    }
}
