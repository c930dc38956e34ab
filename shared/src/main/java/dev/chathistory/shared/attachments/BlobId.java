package dev.chathistory.shared.attachments;

import dev.chathistory.shared.ids.Identifiers;
import java.util.Objects;

/**
 * Which stored image: a content hash within one tenant. Blobs are deduplicated per tenant, never
 * across tenants, so no tenant's ingestion (its time, its work, its results) depends on what
 * another tenant has stored.
 */
public record BlobId(String tenantId, String sha256) {

    public BlobId {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(sha256, "sha256");
        if (!Identifiers.isValid(tenantId)) {
            throw new IllegalArgumentException("tenantId is not a valid id");
        }
        if (!sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("sha256 must be 64 lower-case hex digits");
        }
    }

    public String objectKey() {
        return AttachmentKeys.blobKey(this);
    }

    public String thumbnailKey() {
        return AttachmentKeys.thumbnailKey(this);
    }
}
