package dev.chathistory.shared.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import dev.chathistory.shared.metrics.ServiceMetrics;
import java.time.Duration;
import java.util.function.Function;

/**
 * A per-container read-through cache (Caffeine, size-bounded, entries expire a fixed time after
 * they were written) that reports every hit and miss as a metric.
 *
 * <p>Each Lambda container has its own copy, so another container may serve a value up to
 * {@code ttl} old; writes through this container are visible to it immediately.
 */
public final class MeteredCache<K, V> {

    private final String name;
    private final Cache<K, V> cache;
    private final ServiceMetrics metrics;

    public MeteredCache(String name, Duration ttl, long maximumSize, ServiceMetrics metrics) {
        this(name, ttl, maximumSize, metrics, Ticker.systemTicker());
    }

    MeteredCache(String name, Duration ttl, long maximumSize, ServiceMetrics metrics, Ticker ticker) {
        this.name = name;
        this.metrics = metrics;
        this.cache = Caffeine.newBuilder()
                .expireAfterWrite(ttl)
                .maximumSize(maximumSize)
                .ticker(ticker)
                .recordStats()
                .build();
    }

    /** The cached value, or the loader's (which is then cached). The loader must not return null. */
    public V get(K key, Function<? super K, ? extends V> loader) {
        V cached = cache.getIfPresent(key);
        if (cached != null) {
            metrics.cacheHit(name);
            return cached;
        }
        metrics.cacheMiss(name);
        return cache.get(key, loader);
    }

    public void put(K key, V value) {
        cache.put(key, value);
    }

    public void invalidate(K key) {
        cache.invalidate(key);
    }

    /** Hit and miss counts since the container started. */
    public CacheStats stats() {
        return cache.stats();
    }
}
