package dev.chathistory.shared.metrics;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * {@link ServiceMetrics} as CloudWatch embedded-metric-format log lines through Powertools.
 * Namespace and service come from {@code POWERTOOLS_METRICS_NAMESPACE} and
 * {@code POWERTOOLS_SERVICE_NAME}, set in the template.
 */
public final class PowertoolsServiceMetrics implements ServiceMetrics {

    private static final Logger LOG = LoggerFactory.getLogger(PowertoolsServiceMetrics.class);

    private final Metrics metrics;
    private final AtomicBoolean recorded = new AtomicBoolean();

    public PowertoolsServiceMetrics(Metrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void messageAppended() {
        count("MessagesAppended");
    }

    @Override
    public void idempotentReplay() {
        count("IdempotentReplays");
    }

    @Override
    public void versionConflict() {
        count("VersionConflicts");
    }

    @Override
    public void cacheHit(String cacheName) {
        count(cacheName + "CacheHits");
    }

    @Override
    public void cacheMiss(String cacheName) {
        count(cacheName + "CacheMisses");
    }

    /**
     * Writes this invocation's metrics, if any. Skipping empty flushes keeps reads that record
     * nothing from logging an empty-metrics warning on every request. Never throws: losing a
     * metric must not turn a request that already succeeded into an error.
     */
    public void flush() {
        if (recorded.getAndSet(false)) {
            try {
                metrics.flush();
            } catch (RuntimeException e) {
                LOG.warn("could not flush metrics: {}", e.toString());
            }
        }
    }

    private void count(String name) {
        metrics.addMetric(name, 1, MetricUnit.COUNT);
        recorded.set(true);
    }
}
