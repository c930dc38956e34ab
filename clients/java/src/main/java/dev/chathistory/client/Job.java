package dev.chathistory.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.Map;

/**
 * A background job for one user, from {@link ChatHistoryClient#submitJob} and
 * {@link ChatHistoryClient#getJob}.
 *
 * @param type one of {@link #ARCHIVE}, {@link #EXPORT}, {@link #ERASE}, {@link #RECOUNT}
 * @param chatId the one chat an archive job is limited to, else {@code null}
 * @param status {@code queued}, {@code running}, {@code succeeded}, {@code failed} or
 *               {@code expired}; strings, so a status added later still parses
 * @param counts what the job has done so far, by name (never {@code null})
 * @param resultUrl an export's download link once it has succeeded, valid until
 *                  {@code resultUrlExpiresAt}
 * @param nextAttemptAt when a failed attempt will be retried, if it will
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Job(
        String jobId,
        String type,
        String userId,
        String chatId,
        String status,
        int attempts,
        Map<String, Long> counts,
        String error,
        String resultUrl,
        Instant resultUrlExpiresAt,
        Instant createdAt,
        Instant updatedAt,
        Instant nextAttemptAt) {

    public static final String ARCHIVE = "archive";
    public static final String EXPORT = "export";
    public static final String ERASE = "erase";
    public static final String RECOUNT = "recount";
    /** Applies the retention policy in force to a user's stored messages. */
    public static final String RETENTION = "retention";

    public Job {
        counts = counts == null ? Map.of() : Map.copyOf(counts);
    }

    /** True once the job will not change any more: neither {@code queued} nor {@code running}. */
    public boolean isFinished() {
        return !"queued".equals(status) && !"running".equals(status);
    }

    public boolean isSucceeded() {
        return "succeeded".equals(status);
    }
}
