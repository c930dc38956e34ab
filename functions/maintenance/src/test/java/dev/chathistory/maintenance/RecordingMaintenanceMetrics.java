package dev.chathistory.maintenance;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Keeps the last value of every metric by the name the EMF implementation uses, and counts flushes. */
final class RecordingMaintenanceMetrics implements MaintenanceMetrics {

    private final Map<String, Long> values = new ConcurrentHashMap<>();
    private volatile int flushes;

    @Override
    public void jobsEnqueued(long count) {
        values.put("JobsEnqueued", count);
    }

    @Override
    public void staleJobsExpired(long count) {
        values.put("StaleJobsExpired", count);
    }

    @Override
    public void deadLetterQueue(long depth, long oldestAgeSeconds) {
        values.put("DeadLetterQueueDepth", depth);
        values.put("DeadLetterQueueOldestAgeSeconds", oldestAgeSeconds);
    }

    @Override
    public void jobsRedriven(long count) {
        values.put("JobsRedriven", count);
    }

    @Override
    public void orphanedChunksDeleted(long count) {
        values.put("OrphanedChunksDeleted", count);
    }

    @Override
    public void retentionSwept(long attachmentsDropped, long exportsDeleted, long jobsQueued) {
        values.put("ExpiredAttachmentsDropped", attachmentsDropped);
        values.put("ExpiredExportsDeleted", exportsDeleted);
        values.put("RetentionJobsQueued", jobsQueued);
    }

    @Override
    public void flush() {
        flushes++;
    }

    Long value(String name) {
        return values.get(name);
    }

    Map<String, Long> values() {
        return Map.copyOf(values);
    }

    int flushes() {
        return flushes;
    }
}
