package dev.chathistory.maintenance;

import dev.chathistory.shared.config.ServiceConfig;
import dev.chathistory.shared.config.Settings;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * The maintenance function's own settings, read once per container. A bad value stops the
 * container with a message naming the variable.
 *
 * @param activeUserShards shards per day of the active-users index; must match what writers use
 * @param staleJobAfter    a job open (queued or running) and untouched this long is expired
 * @param firstRunLookback how far back the very first sweep looks, when no checkpoint exists yet
 * @param timeMargin       a sweep stops taking new pages when less than this is left of the invocation
 * @param indexSettleDelay a window ends this long before "now": the active-users index is
 *                         eventually consistent, and an append records activity with its own
 *                         timestamp a moment before the write lands, so the newest moments are
 *                         left for the next window rather than skipped for good
 */
public record MaintenanceConfig(
        String jobsQueueUrl,
        String deadLetterQueueUrl,
        int activeUserShards,
        Duration staleJobAfter,
        Duration firstRunLookback,
        Duration timeMargin,
        Duration indexSettleDelay) {

    public MaintenanceConfig {
        Objects.requireNonNull(jobsQueueUrl, "jobsQueueUrl");
        Objects.requireNonNull(deadLetterQueueUrl, "deadLetterQueueUrl");
        if (activeUserShards < 1 || activeUserShards > 100) {
            throw new IllegalArgumentException("ACTIVE_USER_SHARDS must be between 1 and 100");
        }
        Objects.requireNonNull(staleJobAfter, "staleJobAfter");
        Objects.requireNonNull(firstRunLookback, "firstRunLookback");
        Objects.requireNonNull(timeMargin, "timeMargin");
        Objects.requireNonNull(indexSettleDelay, "indexSettleDelay");
    }

    public static MaintenanceConfig fromEnvironment(Map<String, String> env, ServiceConfig service) {
        return new MaintenanceConfig(
                Settings.required(env, "JOBS_QUEUE_URL"),
                Settings.required(env, "JOBS_DLQ_URL"),
                service.activeUserShards(),
                // Same bounds as the template's StaleJobHours parameter.
                Duration.ofHours(Settings.intValue(env, "STALE_JOB_HOURS", 24, 1, 720)),
                Duration.ofHours(Settings.intValue(env, "FIRST_RUN_LOOKBACK_HOURS", 24, 1, 24 * 366)),
                Duration.ofSeconds(Settings.intValue(env, "TIME_MARGIN_SECONDS", 30, 0, 600)),
                Duration.ofSeconds(Settings.intValue(env, "INDEX_SETTLE_SECONDS", 60, 0, 3600)));
    }
}
