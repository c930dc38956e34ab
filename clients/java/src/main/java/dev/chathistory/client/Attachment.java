package dev.chathistory.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;

/**
 * An image attached to a message. It is {@code pending} until the service has checked the
 * uploaded bytes, then {@code ready} (with what the bytes really are, and download links) or
 * {@code rejected} (with {@link #rejection()}).
 *
 * <p>{@code declaredContentType} and {@code declaredSize} are what the upload was announced
 * as; {@code contentType}, {@code size}, {@code width}, {@code height} and {@code sha256} are
 * what the bytes turned out to be, {@code null} until ready. {@code url} and
 * {@code thumbnailUrl} are download links, signed on each read and valid until
 * {@code urlsExpireAt}; {@code null} unless ready.
 *
 * @param upload where to PUT the bytes; only on the answer to
 *               {@link ChatHistoryClient#createUpload}, {@code null} on every read
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Attachment(
        String attachmentId,
        String chatId,
        String messageId,
        String status,
        String declaredContentType,
        long declaredSize,
        String filename,
        String contentType,
        Long size,
        Integer width,
        Integer height,
        String sha256,
        Rejection rejection,
        String url,
        String thumbnailUrl,
        Instant urlsExpireAt,
        Instant createdAt,
        Instant completedAt,
        UploadLink upload) {

    public static final String PENDING = "pending";
    public static final String READY = "ready";
    public static final String REJECTED = "rejected";

    /** Still waiting for the bytes, or for the service to check them: poll again. */
    public boolean isPending() {
        return PENDING.equals(status);
    }

    public boolean isReady() {
        return READY.equals(status);
    }

    public boolean isRejected() {
        return REJECTED.equals(status);
    }

    /**
     * Why the service refused the bytes.
     *
     * @param reason one of {@code unsupported_type}, {@code type_mismatch}, {@code too_large},
     *               {@code too_many_pixels}, {@code corrupt_image}, {@code message_gone}
     *               (new reasons may be added)
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Rejection(String reason, String message) {
    }
}
