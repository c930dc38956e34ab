package dev.chathistory.maintenance;

/** The metrics maintenance emits. CloudWatch EMF in a deployment; tests record them. */
public interface MaintenanceMetrics {

    /** Job messages the sweep sent in this invocation ({@code JobsEnqueued}). */
    void jobsEnqueued(long count);

    /** Open jobs marked expired ({@code StaleJobsExpired}). */
    void staleJobsExpired(long count);

    /** {@code DeadLetterQueueDepth} and {@code DeadLetterQueueOldestAgeSeconds}. */
    void deadLetterQueue(long depth, long oldestAgeSeconds);

    /** Messages moved from the DLQ back to the job queue ({@code JobsRedriven}). */
    void jobsRedriven(long count);

    /** Archive chunk objects no manifest named, deleted by the sweep ({@code OrphanedChunksDeleted}). */
    void orphanedChunksDeleted(long count);

    /**
     * What the retention sweep did: attachments of expired messages dropped
     * ({@code ExpiredAttachmentsDropped}), exports past retention deleted
     * ({@code ExpiredExportsDeleted}), retention jobs queued for chats with expired archived
     * messages ({@code RetentionJobsQueued}).
     */
    void retentionSwept(long attachmentsDropped, long exportsDeleted, long jobsQueued);

    /** Writes what this invocation recorded. Never throws. */
    void flush();
}
