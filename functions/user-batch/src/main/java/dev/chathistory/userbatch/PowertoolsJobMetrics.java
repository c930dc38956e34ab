package dev.chathistory.userbatch;

import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * {@link JobMetrics} as CloudWatch EMF through Powertools. Worker threads only bump counters;
 * the handler thread hands them to Powertools at flush, so the metrics logger is only ever used
 * from one thread.
 */
public final class PowertoolsJobMetrics implements JobMetrics {

    private static final Logger LOG = LoggerFactory.getLogger(PowertoolsJobMetrics.class);

    private final Metrics metrics;
    private final AtomicLong succeeded = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    public PowertoolsJobMetrics(Metrics metrics) {
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
        boolean any = add("JobsSucceeded", succeeded) | add("DuplicateJobDeliveries", skipped)
                | add("JobAttemptsFailed", retried) | add("JobsFailed", failed);
        if (any) {
            try {
                metrics.flush();
            } catch (RuntimeException e) {
                LOG.warn("could not flush metrics: {}", e.toString());
            }
        }
    }

    private boolean add(String name, AtomicLong counter) {
        long value = counter.getAndSet(0);
        if (value == 0) {
            return false;
        }
        metrics.addMetric(name, value, MetricUnit.COUNT);
        return true;
    }
}
