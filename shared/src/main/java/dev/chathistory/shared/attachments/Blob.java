package dev.chathistory.shared.attachments;

import java.time.Instant;
import java.util.Objects;

/**
 * Image bytes stored once per SHA-256, whichever tenants, chats or messages refer to them, with
 * the thumbnail made from them. Both objects are immutable; {@code references} counts the ready
 * attachments that point here, and a blob with none is swept after a grace period.
 *
 * @param stored whether the blob and thumbnail objects are known to be in the bucket; an
 *     attachment may only refer to a stored blob
 */
public record Blob(
        String sha256,
        ImageType type,
        long size,
        int width,
        int height,
        String thumbnailContentType,
        Instant createdAt,
        long references,
        boolean stored) {

    public Blob {
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(thumbnailContentType, "thumbnailContentType");
        Objects.requireNonNull(createdAt, "createdAt");
        if (!sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("sha256 must be 64 lower-case hex digits");
        }
    }

    /** A blob about to be stored: no reference yet, objects not yet confirmed. */
    public static Blob unstored(String sha256, ImageType type, long size, int width, int height,
                                String thumbnailContentType, Instant createdAt) {
        return new Blob(sha256, type, size, width, height, thumbnailContentType, createdAt, 0, false);
    }

    public String objectKey() {
        return AttachmentKeys.blobKey(sha256);
    }

    public String thumbnailKey() {
        return AttachmentKeys.thumbnailKey(sha256);
    }
}
