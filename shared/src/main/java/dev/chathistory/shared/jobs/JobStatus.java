package dev.chathistory.shared.jobs;

import java.util.Locale;

/**
 * Where a job is. {@code QUEUED} and {@code RUNNING} are open; the others are final, though a
 * failed or expired job that is redriven from the dead-letter queue runs again.
 */
public enum JobStatus {
    QUEUED,
    RUNNING,
    SUCCEEDED,
    FAILED,
    /** Open for longer than any retry path allows: its message was lost or is in the DLQ. */
    EXPIRED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean isOpen() {
        return this == QUEUED || this == RUNNING;
    }
}
