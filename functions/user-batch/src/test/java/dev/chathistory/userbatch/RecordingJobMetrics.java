package dev.chathistory.userbatch;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts like the real metrics, and records each flush as one line. */
final class RecordingJobMetrics implements JobMetrics {

    private final AtomicInteger succeeded = new AtomicInteger();
    private final AtomicInteger skipped = new AtomicInteger();
    private final AtomicInteger retried = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final List<String> flushed = new ArrayList<>();

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

    @Override
    public synchronized void flush() {
        flushed.add("succeeded=" + succeeded.getAndSet(0) + " skipped=" + skipped.getAndSet(0)
                + " retried=" + retried.getAndSet(0) + " failed=" + failed.getAndSet(0));
    }

    synchronized List<String> flushed() {
        return List.copyOf(flushed);
    }
}
