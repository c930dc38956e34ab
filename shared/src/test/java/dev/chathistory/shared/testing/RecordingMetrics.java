package dev.chathistory.shared.testing;

import dev.chathistory.shared.metrics.ServiceMetrics;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Counts every metric by the name the EMF implementation would use. */
public final class RecordingMetrics implements ServiceMetrics {

    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();

    @Override
    public void messageAppended() {
        add("MessagesAppended");
    }

    @Override
    public void idempotentReplay() {
        add("IdempotentReplays");
    }

    @Override
    public void versionConflict() {
        add("VersionConflicts");
    }

    @Override
    public void cacheHit(String cacheName) {
        add(cacheName + "CacheHits");
    }

    @Override
    public void cacheMiss(String cacheName) {
        add(cacheName + "CacheMisses");
    }

    public long count(String name) {
        AtomicLong value = counts.get(name);
        return value == null ? 0 : value.get();
    }

    private void add(String name) {
        counts.computeIfAbsent(name, n -> new AtomicLong()).incrementAndGet();
    }
}
