package dev.chathistory.shared.config;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Settings of background jobs and the archive, read from the environment the template sets.
 * The queue and bucket are optional so a function that needs neither can run without them.
 */
public record JobsConfig(
        Optional<String> jobsQueueUrl,
        Optional<String> dataBucket,
        int archiveAfterDays,
        Duration jobRecordTtl,
        Duration exportUrlTtl,
        long archiveCacheBytes,
        Duration chatDirectoryCacheTtl) {

    /** S3 caps a presigned URL at seven days. */
    public static final Duration MAX_EXPORT_URL_TTL = Duration.ofDays(7);

    public JobsConfig {
        if (archiveAfterDays < 1 || archiveAfterDays > 36_500) {
            throw new IllegalArgumentException("ARCHIVE_AFTER_DAYS must be between 1 and 36500");
        }
        if (jobRecordTtl.isNegative() || jobRecordTtl.isZero()) {
            throw new IllegalArgumentException("JOB_RECORD_TTL_DAYS must be positive");
        }
        if (exportUrlTtl.getSeconds() < 60 || exportUrlTtl.compareTo(MAX_EXPORT_URL_TTL) > 0) {
            throw new IllegalArgumentException("EXPORT_URL_TTL_SECONDS must be between 60 and 604800");
        }
        if (archiveCacheBytes < 1024 * 1024) {
            throw new IllegalArgumentException("ARCHIVE_CACHE_MB must be at least 1");
        }
    }

    public static JobsConfig fromEnvironment(Map<String, String> env) {
        return new JobsConfig(
                text(env, "JOBS_QUEUE_URL"),
                text(env, "DATA_BUCKET"),
                Settings.intValue(env, "ARCHIVE_AFTER_DAYS", 90),
                Duration.ofDays(Settings.intValue(env, "JOB_RECORD_TTL_DAYS", 14)),
                Duration.ofSeconds(Settings.intValue(env, "EXPORT_URL_TTL_SECONDS", 3600)),
                Settings.intValue(env, "ARCHIVE_CACHE_MB", 32) * 1024L * 1024L,
                Duration.ofSeconds(Settings.intValue(env, "CHAT_DIRECTORY_CACHE_SECONDS", 300)));
    }

    /** Defaults with the given queue and bucket, for tests and the local stack. */
    public static JobsConfig of(String jobsQueueUrl, String dataBucket) {
        return new JobsConfig(Optional.ofNullable(jobsQueueUrl), Optional.ofNullable(dataBucket), 90,
                Duration.ofDays(14), Duration.ofHours(1), 32L * 1024 * 1024, Duration.ofMinutes(5));
    }

    private static Optional<String> text(Map<String, String> env, String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }
}
