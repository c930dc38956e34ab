package dev.chathistory.maintenance;

import dev.chathistory.shared.metrics.FunctionMetrics;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * {@link MaintenanceMetrics} as CloudWatch embedded-metric-format log lines, through the
 * function's {@link FunctionMetrics}.
 */
public final class PowertoolsMaintenanceMetrics implements MaintenanceMetrics {

    private final FunctionMetrics metrics;

    public PowertoolsMaintenanceMetrics(FunctionMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void jobsEnqueued(long count) {
        add("JobsEnqueued", count, MetricUnit.COUNT);
    }

    @Override
    public void staleJobsExpired(long count) {
        add("StaleJobsExpired", count, MetricUnit.COUNT);
    }

    @Override
    public void deadLetterQueue(long depth, long oldestAgeSeconds) {
        add("DeadLetterQueueDepth", depth, MetricUnit.COUNT);
        add("DeadLetterQueueOldestAgeSeconds", oldestAgeSeconds, MetricUnit.SECONDS);
    }

    @Override
    public void jobsRedriven(long count) {
        add("JobsRedriven", count, MetricUnit.COUNT);
    }

    @Override
    public void orphanedChunksDeleted(long count) {
        add("OrphanedChunksDeleted", count, MetricUnit.COUNT);
    }

    @Override
    public void retentionSwept(long attachmentsDropped, long exportsDeleted, long jobsQueued) {
        add("ExpiredAttachmentsDropped", attachmentsDropped, MetricUnit.COUNT);
        add("ExpiredExportsDeleted", exportsDeleted, MetricUnit.COUNT);
        add("RetentionJobsQueued", jobsQueued, MetricUnit.COUNT);
    }

    /**
     * Never throws ({@link FunctionMetrics#flush}): losing a metric must not turn a sweep that
     * already enqueued its jobs into a failed invocation that the scheduler retries.
     */
    @Override
    public void flush() {
        metrics.flush();
    }

    private void add(String name, long value, MetricUnit unit) {
        metrics.add(name, value, unit);
    }
}
