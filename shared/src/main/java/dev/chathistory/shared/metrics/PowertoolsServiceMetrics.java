package dev.chathistory.shared.metrics;

import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * {@link ServiceMetrics} as CloudWatch embedded-metric-format log lines, through the function's
 * {@link FunctionMetrics}.
 */
public final class PowertoolsServiceMetrics implements ServiceMetrics {

    private final FunctionMetrics metrics;

    public PowertoolsServiceMetrics(FunctionMetrics metrics) {
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

    /** Writes this invocation's metrics with its AWS calls ({@link FunctionMetrics#flush}); never throws. */
    public void flush() {
        metrics.flush();
    }

    private void count(String name) {
        metrics.add(name, 1, MetricUnit.COUNT);
    }
}
