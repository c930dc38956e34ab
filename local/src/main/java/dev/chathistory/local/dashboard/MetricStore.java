package dev.chathistory.local.dashboard;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The local dashboard's figures: named series of timestamped values, kept for a window and
 * bounded in size, written by many threads (request threads, functions, the queue sampler) and
 * read by the dashboard.
 */
public final class MetricStore {

    /** One value at one moment. */
    public record Sample(long atMillis, double value) {
    }

    static final int MAX_SAMPLES_PER_SERIES = 20_000;

    private final Map<String, Deque<Sample>> series = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Duration retention;

    public MetricStore(Clock clock, Duration retention) {
        this.clock = clock;
        this.retention = retention;
    }

    public void record(String name, double value) {
        record(name, clock.millis(), value);
    }

    public void record(String name, long atMillis, double value) {
        if (!Double.isFinite(value)) {
            return;
        }
        Deque<Sample> samples = series.computeIfAbsent(name, n -> new ArrayDeque<>());
        long oldest = clock.millis() - retention.toMillis();
        synchronized (samples) {
            samples.addLast(new Sample(atMillis, value));
            while (!samples.isEmpty() && (samples.size() > MAX_SAMPLES_PER_SERIES
                    || samples.peekFirst().atMillis() < oldest)) {
                samples.removeFirst();
            }
        }
    }

    /** Every series' samples at or after {@code fromMillis}, by name. */
    public Map<String, List<Sample>> since(long fromMillis) {
        Map<String, List<Sample>> copy = new TreeMap<>();
        series.forEach((name, samples) -> {
            List<Sample> recent;
            synchronized (samples) {
                recent = samples.stream().filter(s -> s.atMillis() >= fromMillis).toList();
            }
            if (!recent.isEmpty()) {
                copy.put(name, recent);
            }
        });
        return copy;
    }

    public long nowMillis() {
        return clock.millis();
    }
}
