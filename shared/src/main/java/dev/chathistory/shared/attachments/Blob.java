package dev.chathistory.shared.attachments;

import java.time.Instant;
import java.util.Objects;

/**
 * Image bytes stored once per tenant and SHA-256, whichever of the tenant's chats or messages
 * refer to them, with the thumbnail made from them. Both objects are immutable; {@code references}
 * counts the ready attachments that point here, and a blob with none is swept after a grace
 * period.
 *
 * @param stored whether the blob and thumbnail objects are known to be in the bucket; an
 *     attachment may only refer to a stored blob
 */
public record Blob(
        BlobId id,
        ImageType type,
        long size,
        int width,
        int height,
        String thumbnailContentType,
        Instant createdAt,
        long references,
        boolean stored) {

    public Blob {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(thumbnailContentType, "thumbnailContentType");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** A blob about to be stored: no reference yet, objects not yet confirmed. */
    public static Blob unstored(BlobId id, ImageType type, long size, int width, int height,
                                String thumbnailContentType, Instant createdAt) {
        return new Blob(id, type, size, width, height, thumbnailContentType, createdAt, 0, false);
    }

    public String sha256() {
        return id.sha256();
    }

    public String objectKey() {
        return id.objectKey();
    }

    public String thumbnailKey() {
        return id.thumbnailKey();
    }
}
