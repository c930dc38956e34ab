package dev.chathistory.shared.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chathistory.shared.testing.RecordingMetrics;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MeteredCacheTest {

    private final AtomicLong nanos = new AtomicLong();
    private final RecordingMetrics metrics = new RecordingMetrics();
    private final MeteredCache<String, String> cache =
            new MeteredCache<>("Test", Duration.ofSeconds(30), 2, metrics, nanos::get);
    private final AtomicInteger loads = new AtomicInteger();

    private String load(String key) {
        loads.incrementAndGet();
        return key.toUpperCase();
    }

    @Test
    void get_shouldLoadOnce_thenHitUntilTheTtlPasses() {
        assertThat(cache.get("a", this::load)).isEqualTo("A");
        assertThat(cache.get("a", this::load)).isEqualTo("A");
        nanos.addAndGet(Duration.ofSeconds(29).toNanos());
        cache.get("a", this::load);
        nanos.addAndGet(Duration.ofSeconds(2).toNanos());
        cache.get("a", this::load);

        assertThat(loads).hasValue(2);
        assertThat(metrics.count("TestCacheHits")).isEqualTo(2);
        assertThat(metrics.count("TestCacheMisses")).isEqualTo(2);
        assertThat(cache.stats().hitCount()).isEqualTo(2);
    }

    @Test
    void put_shouldReplaceTheCachedValue() {
        cache.get("a", this::load);
        cache.put("a", "fresh");

        assertThat(cache.get("a", this::load)).isEqualTo("fresh");
        assertThat(loads).hasValue(1);
    }

    @Test
    void invalidate_shouldForceTheNextLoad() {
        cache.get("a", this::load);
        cache.invalidate("a");
        cache.get("a", this::load);

        assertThat(loads).hasValue(2);
    }
}
