package dev.chathistory.shared.attachments;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Why ingestion refused an upload; the code is what {@code GET .../attachments/{id}} shows. */
public enum RejectionReason {
    /** The bytes are not a JPEG, PNG, GIF or WebP image, whatever the name or declared type say. */
    UNSUPPORTED_TYPE("the file is not a JPEG, PNG, GIF or WebP image"),
    /** The bytes are an allowed image, but not of the type declared when the upload was created. */
    TYPE_MISMATCH("the file's content is not of the declared content type"),
    /** The object is larger than the size declared, or than the configured maximum. */
    TOO_LARGE("the file is larger than declared or allowed"),
    /** The header declares more pixels (or a longer side) than the configured limit: never decoded. */
    TOO_MANY_PIXELS("the image's dimensions exceed the limit"),
    /** The header is readable but the image data is not (truncated or damaged). */
    CORRUPT_IMAGE("the image data is truncated or damaged"),
    /** The message was deleted or erased before the upload was processed. */
    MESSAGE_GONE("the message no longer exists");

    private final String description;

    RejectionReason(String description) {
        this.description = description;
    }

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String description() {
        return description;
    }

    public static Optional<RejectionReason> fromCode(String code) {
        return Arrays.stream(values()).filter(r -> r.code().equals(code)).findFirst();
    }
}
