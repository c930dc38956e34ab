package dev.chathistory.shared.attachments;

import java.time.Instant;
import java.util.Objects;

/**
 * One image attached to one message. Created {@link AttachmentStatus#PENDING} with what the bot
 * declared; ingestion claims it ({@code PROCESSING}), then turns it {@code READY} with what the
 * bytes really are (type, size, dimensions, content hash), or {@code REJECTED} with a reason.
 * Fields of a later state are null before it.
 */
public record Attachment(
        String chatId,
        String messageId,
        String attachmentId,
        AttachmentStatus status,
        ImageType declaredType,
        long declaredSize,
        String filename,
        Instant createdAt,
        ImageType type,
        Long size,
        Integer width,
        Integer height,
        String sha256,
        RejectionReason rejection,
        Instant completedAt) {

    public Attachment {
        Objects.requireNonNull(chatId, "chatId");
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(attachmentId, "attachmentId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(declaredType, "declaredType");
        Objects.requireNonNull(createdAt, "createdAt");
        if (status == AttachmentStatus.READY && (type == null || sha256 == null || size == null
                || width == null || height == null || completedAt == null)) {
            throw new IllegalArgumentException("a ready attachment needs type, size, dimensions, hash and time");
        }
        if (status == AttachmentStatus.REJECTED && (rejection == null || completedAt == null)) {
            throw new IllegalArgumentException("a rejected attachment needs a reason and time");
        }
    }

    public static Attachment pending(String chatId, String messageId, String attachmentId, ImageType declaredType,
                                     long declaredSize, String filename, Instant createdAt) {
        return new Attachment(chatId, messageId, attachmentId, AttachmentStatus.PENDING, declaredType, declaredSize,
                filename, createdAt, null, null, null, null, null, null, null);
    }

    /** The same upload, claimed by an ingestion (which keeps its lease in the record, not here). */
    public Attachment processing() {
        return new Attachment(chatId, messageId, attachmentId, AttachmentStatus.PROCESSING, declaredType, declaredSize,
                filename, createdAt, null, null, null, null, null, null, null);
    }

    public Attachment ready(Blob blob, Instant at) {
        return new Attachment(chatId, messageId, attachmentId, AttachmentStatus.READY, declaredType, declaredSize,
                filename, createdAt, blob.type(), blob.size(), blob.width(), blob.height(), blob.sha256(), null, at);
    }

    public Attachment rejected(RejectionReason reason, Instant at) {
        return new Attachment(chatId, messageId, attachmentId, AttachmentStatus.REJECTED, declaredType, declaredSize,
                filename, createdAt, null, null, null, null, null, reason, at);
    }

    public boolean isReady() {
        return status == AttachmentStatus.READY;
    }
}
