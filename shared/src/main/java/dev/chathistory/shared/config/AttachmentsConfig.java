package dev.chathistory.shared.config;

import java.time.Duration;
import java.util.Map;

/**
 * Limits and timings of image attachments, read from the environment the template sets. The API
 * uses the upload limits and link lifetimes; ingestion the size and pixel limits; maintenance
 * the grace period.
 */
public record AttachmentsConfig(
        long maxBytes,
        int maxPerMessage,
        Duration uploadUrlTtl,
        Duration downloadUrlTtl,
        long maxPixels,
        int maxSide,
        int thumbnailMaxSide,
        Duration blobGracePeriod) {

    /** An upload that never arrives stops counting against its message after this. */
    public static final Duration PENDING_RETENTION = Duration.ofDays(1);
    /** A rejected attachment stays readable (with its reason) this long. */
    public static final Duration REJECTED_RETENTION = Duration.ofDays(7);

    public AttachmentsConfig {
        check("MAX_ATTACHMENT_BYTES", maxBytes, 1, 5L * 1024 * 1024 * 1024);
        check("MAX_ATTACHMENTS_PER_MESSAGE", maxPerMessage, 1, 100);
        // S3 caps presigned URLs at 7 days; an upload link should live minutes, not days.
        check("UPLOAD_URL_TTL_SECONDS", uploadUrlTtl.getSeconds(), 10, 3600);
        check("ATTACHMENT_URL_TTL_SECONDS", downloadUrlTtl.getSeconds(), 10, 604_800);
        check("MAX_IMAGE_PIXELS", maxPixels, 1, 500_000_000L);
        check("MAX_IMAGE_SIDE", maxSide, 1, 65_535);
        check("THUMBNAIL_MAX_SIDE", thumbnailMaxSide, 16, 2048);
        check("BLOB_GRACE_HOURS", blobGracePeriod.toHours(), 1, 24 * 365);
    }

    public static AttachmentsConfig fromEnvironment(Map<String, String> env) {
        return new AttachmentsConfig(
                Settings.intValue(env, "MAX_ATTACHMENT_BYTES", 10 * 1024 * 1024),
                Settings.intValue(env, "MAX_ATTACHMENTS_PER_MESSAGE", 10),
                Duration.ofSeconds(Settings.intValue(env, "UPLOAD_URL_TTL_SECONDS", 300)),
                Duration.ofSeconds(Settings.intValue(env, "ATTACHMENT_URL_TTL_SECONDS", 900)),
                Settings.intValue(env, "MAX_IMAGE_PIXELS", 50_000_000),
                Settings.intValue(env, "MAX_IMAGE_SIDE", 16_384),
                Settings.intValue(env, "THUMBNAIL_MAX_SIDE", 320),
                Duration.ofHours(Settings.intValue(env, "BLOB_GRACE_HOURS", 24)));
    }

    public static AttachmentsConfig defaults() {
        return fromEnvironment(Map.of());
    }

    private static void check(String name, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be between " + min + " and " + max);
        }
    }
}
