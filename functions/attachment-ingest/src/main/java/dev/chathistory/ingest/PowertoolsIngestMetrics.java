package dev.chathistory.ingest;

import dev.chathistory.shared.metrics.FunctionMetrics;
import dev.chathistory.shared.attachments.RejectionReason;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/** {@link IngestMetrics} as CloudWatch EMF through the function's {@link FunctionMetrics}, flushed once per invocation. */
public final class PowertoolsIngestMetrics implements IngestMetrics {

    private final FunctionMetrics metrics;
    private final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();

    public PowertoolsIngestMetrics(FunctionMetrics metrics) {
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
        for (Map.Entry<String, AtomicLong> counter : counters.entrySet()) {
            long value = counter.getValue().getAndSet(0);
            if (value > 0) {
                metrics.add(counter.getKey(), value, MetricUnit.COUNT);
            }
        }
        metrics.flush();
    }

    private void count(String name) {
        counters.computeIfAbsent(name, n -> new AtomicLong()).incrementAndGet();
    }
}
