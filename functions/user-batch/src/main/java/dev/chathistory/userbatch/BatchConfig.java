package dev.chathistory.userbatch;

import dev.chathistory.shared.config.Settings;
import java.time.Duration;
import java.util.Map;

/** The batch function's own settings; the template passes the same values the queue uses. */
public record BatchConfig(int concurrency, Duration backoffBase, Duration backoffMax, int maxReceiveCount,
                          Duration timeMargin) {

    public static BatchConfig fromEnvironment(Map<String, String> env) {
        return new BatchConfig(
                Settings.intValue(env, "BATCH_CONCURRENCY", 10, 1, 100),
                Duration.ofSeconds(Settings.intValue(env, "RETRY_BACKOFF_BASE_SECONDS", 30, 1, 43_200)),
                Duration.ofSeconds(Settings.intValue(env, "RETRY_BACKOFF_MAX_SECONDS", 900, 1, 43_200)),
                Settings.intValue(env, "MAX_RECEIVE_COUNT", 5, 1, 1000),
                Duration.ofSeconds(Settings.intValue(env, "TIME_MARGIN_SECONDS", 5, 0, 600)));
    }
}
