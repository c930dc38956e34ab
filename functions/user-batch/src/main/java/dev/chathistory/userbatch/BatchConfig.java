package dev.chathistory.userbatch;

import dev.chathistory.shared.config.Settings;
import java.time.Duration;
import java.util.Map;

/**
 * The batch function's own settings; the template passes the same values the queue uses.
 * {@code leaseTtl} outlasts one invocation (the function's timeout), so a lease only lapses
 * when its holder is gone. {@code settleMargin} is added to the API's directory memory before an
 * erase files chats again (appends in flight). Exports buffer at most about one part each on the
 * function's ephemeral storage, so {@code concurrency} parts must fit it together.
 *
 * <p>The default concurrency is the job queue's default batch size ({@code JobsBatchSize}, 50): a
 * job spends most of its time waiting on DynamoDB, so a whole batch is in flight at once; and the
 * default part (5 MB, S3's smallest) is what lets 50 exports share half of /tmp.
 */
public record BatchConfig(int concurrency, Duration backoffBase, Duration backoffMax, int maxReceiveCount,
                          Duration timeMargin, Duration leaseTtl, ExportJob.Limits export, Duration settleMargin) {

    public static final int DEFAULT_CONCURRENCY = 50;
    public static final Duration DEFAULT_LEASE_TTL = Duration.ofSeconds(330);
    public static final ExportJob.Limits DEFAULT_EXPORT = new ExportJob.Limits(5L * 1024 * 1024,
            Duration.ofSeconds(240), Duration.ofSeconds(20));
    public static final Duration DEFAULT_SETTLE_MARGIN = Duration.ofSeconds(30);
    /** Lambda's default ephemeral storage, which the template keeps. */
    public static final long EPHEMERAL_STORAGE_BYTES = 512L * 1024 * 1024;

    public BatchConfig {
        // Half of /tmp at most: the rest is for the runtime and a part's second copy while a
        // delivery carries its remainder over.
        if (export.partBytes() * concurrency > EPHEMERAL_STORAGE_BYTES / 2) {
            throw new IllegalArgumentException("EXPORT_PART_MB x BATCH_CONCURRENCY must fit half of /tmp");
        }
        if (export.partBytes() < 5L * 1024 * 1024) {
            throw new IllegalArgumentException("EXPORT_PART_MB must be at least 5 (S3's smallest part)");
        }
    }

    public BatchConfig(int concurrency, Duration backoffBase, Duration backoffMax, int maxReceiveCount,
                       Duration timeMargin) {
        this(concurrency, backoffBase, backoffMax, maxReceiveCount, timeMargin, DEFAULT_LEASE_TTL, DEFAULT_EXPORT,
                DEFAULT_SETTLE_MARGIN);
    }

    public static BatchConfig fromEnvironment(Map<String, String> env) {
        return new BatchConfig(
                Settings.intValue(env, "BATCH_CONCURRENCY", DEFAULT_CONCURRENCY, 1, 100),
                Duration.ofSeconds(Settings.intValue(env, "RETRY_BACKOFF_BASE_SECONDS", 30, 1, 43_200)),
                Duration.ofSeconds(Settings.intValue(env, "RETRY_BACKOFF_MAX_SECONDS", 900, 1, 43_200)),
                Settings.intValue(env, "MAX_RECEIVE_COUNT", 5, 1, 1000),
                Duration.ofSeconds(Settings.intValue(env, "TIME_MARGIN_SECONDS", 5, 0, 600)),
                Duration.ofSeconds(Settings.intValue(env, "JOB_LEASE_SECONDS",
                        (int) DEFAULT_LEASE_TTL.getSeconds(), 1, 900)),
                new ExportJob.Limits(Settings.intValue(env, "EXPORT_PART_MB", 5, 5, 100) * 1024L * 1024L,
                        Duration.ofSeconds(Settings.intValue(env, "EXPORT_SLICE_SECONDS", 240, 0, 900)),
                        DEFAULT_EXPORT.finishMargin()),
                Duration.ofSeconds(Settings.intValue(env, "ERASE_SETTLE_MARGIN_SECONDS",
                        (int) DEFAULT_SETTLE_MARGIN.getSeconds(), 0, 600)));
    }
}
