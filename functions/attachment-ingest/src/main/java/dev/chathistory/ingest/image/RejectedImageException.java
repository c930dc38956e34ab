package dev.chathistory.ingest.image;

import dev.chathistory.shared.attachments.RejectionReason;
import java.util.Objects;

/**
 * An upload that is not an acceptable image. The message is made only of the reason and text
 * written here, never of anything read from the file, and no decoder exception is chained: their
 * messages quote header fields and marker bytes, and rejections get logged.
 */
public final class RejectedImageException extends Exception {

    private static final long serialVersionUID = 1L;

    private final RejectionReason reason;

    public RejectedImageException(RejectionReason reason) {
        this(reason, null);
    }

    /** @param detail what went wrong, in our own words (e.g. an exception's class name), or null */
    public RejectedImageException(RejectionReason reason, String detail) {
        super(message(Objects.requireNonNull(reason, "reason"), detail));
        this.reason = reason;
    }

    public RejectionReason reason() {
        return reason;
    }

    private static String message(RejectionReason reason, String detail) {
        String message = reason.code() + ": " + reason.description();
        return detail == null ? message : message + " (" + detail + ")";
    }
}
