package dev.chathistory.shared.attachments;

import java.util.Locale;

/**
 * Where an upload stands: waiting for its bytes, claimed by one ingestion while it checks them,
 * checked and stored, or refused with a reason.
 */
public enum AttachmentStatus {
    PENDING,
    /**
     * One ingestion holds a lease on the upload and is checking it; every other event for it is
     * acknowledged without work. Nothing is decided yet, so outside (API, export) it reads as
     * {@code pending}.
     */
    PROCESSING,
    READY,
    REJECTED;

    /** How the API and exports show it: a claim is ingestion's own business. */
    public String wireName() {
        return this == PROCESSING ? PENDING.storedName() : storedName();
    }

    /** How the attachment record stores it. */
    public String storedName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static AttachmentStatus fromStoredName(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }

    /** Ready or rejected: ingestion is done with it for good. */
    public boolean isDecided() {
        return this == READY || this == REJECTED;
    }
}
