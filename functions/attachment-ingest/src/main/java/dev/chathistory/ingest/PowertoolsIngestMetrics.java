package dev.chathistory.ingest;

import dev.chathistory.shared.attachments.RejectionReason;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/** {@link IngestMetrics} as CloudWatch EMF through Powertools, flushed once per invocation. */
public final class PowertoolsIngestMetrics implements IngestMetrics {

    private static final Logger LOG = LoggerFactory.getLogger(PowertoolsIngestMetrics.class);

    private final Metrics metrics;
    private final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();

    public PowertoolsIngestMetrics(Metrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void ready() {
        count("AttachmentsReady");
    }

    @Override
    public void rejected(RejectionReason reason) {
        count("AttachmentsRejected");
    }

    @Override
    public void newBlob() {
        count("BlobsStored");
    }

    @Override
    public void duplicateBlob() {
        count("DuplicateUploads");
    }

    @Override
    public void alreadyClaimed() {
        count("UploadsAlreadyClaimed");
    }

    /** Never throws: a lost metric must not fail an ingestion that already happened. */
    @Override
    public void flush() {
        boolean any = false;
        for (Map.Entry<String, AtomicLong> counter : counters.entrySet()) {
            long value = counter.getValue().getAndSet(0);
            if (value > 0) {
                metrics.addMetric(counter.getKey(), value, MetricUnit.COUNT);
                any = true;
            }
        }
        if (any) {
            try {
                metrics.flush();
            } catch (RuntimeException e) {
                LOG.warn("could not flush metrics: {}", e.toString());
            }
        }
    }

    private void count(String name) {
        counters.computeIfAbsent(name, n -> new AtomicLong()).incrementAndGet();
    }
}
