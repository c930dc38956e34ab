package dev.chathistory.maintenance;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * {@link MaintenanceMetrics} as CloudWatch embedded-metric-format log lines through Powertools,
 * in the namespace and with the service dimension the template sets.
 */
public final class PowertoolsMaintenanceMetrics implements MaintenanceMetrics {

    private static final Logger LOG = LoggerFactory.getLogger(PowertoolsMaintenanceMetrics.class);

    private final Metrics metrics;
    private final AtomicBoolean recorded = new AtomicBoolean();

    public PowertoolsMaintenanceMetrics(Metrics metrics) {
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

    /**
     * Skips empty flushes (an invocation that failed before recording anything), which
     * Powertools would log a warning for. Never throws: losing a metric must not turn a sweep
     * that already enqueued its jobs into a failed invocation that the scheduler retries.
     */
    @Override
    public void flush() {
        if (recorded.getAndSet(false)) {
            try {
                metrics.flush();
            } catch (RuntimeException e) {
                LOG.warn("could not flush metrics: {}", e.toString());
            }
        }
    }

    private void add(String name, long value, MetricUnit unit) {
        metrics.addMetric(name, value, unit);
        recorded.set(true);
    }
}
