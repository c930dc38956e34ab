package dev.chathistory.userbatch;

import dev.chathistory.shared.metrics.FunctionMetrics;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * {@link JobMetrics} as CloudWatch EMF through the function's {@link FunctionMetrics}. Worker
 * threads only bump counters; the handler thread hands them over at flush.
 */
public final class PowertoolsJobMetrics implements JobMetrics {

    private final FunctionMetrics metrics;
    private final AtomicLong succeeded = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    public PowertoolsJobMetrics(FunctionMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void succeeded() {
        succeeded.incrementAndGet();
    }

    @Override
    public void skippedDuplicate() {
        skipped.incrementAndGet();
    }

    @Override
    public void failed(boolean last) {
        (last ? failed : retried).incrementAndGet();
    }

    /** Never throws: a lost metric must not fail a batch whose jobs already ran. */
    @Override
    public void flush() {
        add("JobsSucceeded", succeeded);
        add("DuplicateJobDeliveries", skipped);
        add("JobAttemptsFailed", retried);
        add("JobsFailed", failed);
        metrics.flush();
    }

    private void add(String name, AtomicLong counter) {
        long value = counter.getAndSet(0);
        if (value > 0) {
            metrics.add(name, value, MetricUnit.COUNT);
        }
    }
}
