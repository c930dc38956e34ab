package dev.chathistory.userbatch;

/**
 * What the batch function counts: jobs that succeeded, deliveries of finished jobs that were
 * skipped, failed attempts that will be retried, and jobs that failed for good (their message is
 * going to the DLQ). Called from worker threads; flushed once per invocation.
 */
public interface JobMetrics {

    void succeeded();

    void skippedDuplicate();

    /** @param last true when no delivery is left: the job failed for good */
    void failed(boolean last);

    void flush();

    static JobMetrics noop() {
        return new JobMetrics() {
            @Override
            public void succeeded() {
            }

            @Override
            public void skippedDuplicate() {
            }

            @Override
            public void failed(boolean last) {
            }

            @Override
            public void flush() {
            }
        };
    }
}
