package dev.chathistory.shared.attachments;

import java.util.Locale;

/** Where an upload stands: waiting for its bytes, checked and stored, or refused with a reason. */
public enum AttachmentStatus {
    PENDING,
    READY,
    REJECTED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static AttachmentStatus fromWireName(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
