package dev.chathistory.shared.attachments;

import java.time.Duration;

/** Signed links to attachment objects; clients move the bytes to and from S3 themselves. */
public interface AttachmentStorage {

    /**
     * A URL that accepts one PUT of exactly {@code contentLength} bytes with this
     * {@code Content-Type} to {@code key}, until it expires. Both headers are part of the
     * signature, so S3 refuses any other type or length.
     */
    String uploadUrl(String key, String contentType, long contentLength, Duration validFor);

    String downloadUrl(String key, Duration validFor);
}
