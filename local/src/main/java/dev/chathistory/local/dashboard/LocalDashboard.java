package dev.chathistory.local.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chathistory.local.dashboard.MetricStore.Sample;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;

/**
 * {@code /_local/dashboard}: the panels of the deployed stack's CloudWatch dashboard, live, from
 * what the local stack sees. Requests and their latency come from the local API gateway, each
 * function's invocations and errors from its local runtime, queue depths from a sampler, and the
 * rest (cache hit rate, per-call AWS latency, memory) from the EMF documents the functions
 * print ({@link EmfTap}), the same figures CloudWatch gets from them on AWS.
 *
 * <p>The page draws charts from {@code /_local/dashboard/data}, which buckets the last ten
 * minutes.
 */
public final class LocalDashboard {

    static final Duration WINDOW = Duration.ofMinutes(10);
    static final Duration BUCKET = Duration.ofSeconds(10);
    /** Per-call latency lines shown at most, the most called first. */
    static final int MAX_CALL_SERIES = 8;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final MetricStore store;

    public LocalDashboard(MetricStore store) {
        this.store = store;
    }

    public MetricStore store() {
        return store;
    }

    /** One API request the local gateway answered. */
    public void request(int status, long millis) {
        store.record("Api.Requests", 1);
        store.record("Api.Latency", millis);
        if (status >= 400 && status < 500) {
            store.record("Api.4xx", 1);
        } else if (status >= 500) {
            store.record("Api.5xx", 1);
        }
    }

    /** One invocation of a function, by its logical id. */
    public void invocation(String function, long millis, boolean failed) {
        store.record("Function." + function + ".Invocations", 1);
        store.record("Function." + function + ".Duration", millis);
        store.record("Function." + function + ".Errors", failed ? 1 : 0);
    }

    /** A queue's visible messages, by its logical id. */
    public void queueDepth(String queue, long messages) {
        store.record("Queue." + queue + ".Depth", messages);
    }

    /** The page. */
    public static String page() {
        try (InputStream in = LocalDashboard.class.getResourceAsStream("/dashboard/dashboard.html")) {
            if (in == null) {
                throw new IllegalStateException("dashboard/dashboard.html is missing from the local module");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The panels' series over the last {@link #WINDOW}, in {@link #BUCKET}s. */
    public ObjectNode data() {
        long now = store.nowMillis();
        long bucket = BUCKET.toMillis();
        long from = (now - WINDOW.toMillis()) / bucket * bucket;
        Map<String, List<Sample>> all = store.since(from);
        Buckets buckets = new Buckets(from, bucket);

        ObjectNode root = JSON.createObjectNode();
        root.put("now", now).put("from", from).put("bucketSeconds", BUCKET.toSeconds());
        ArrayNode panels = root.putArray("panels");

        ObjectNode requests = panel(panels, "api-requests", "API requests", "per " + BUCKET.toSeconds() + " s");
        series(requests, "requests", buckets.sum(all.get("Api.Requests")));
        series(requests, "4xx", buckets.sumWhere(all.get("Api.4xx"), all.get("Api.Requests")));
        series(requests, "5xx", buckets.sumWhere(all.get("Api.5xx"), all.get("Api.Requests")));

        ObjectNode latency = panel(panels, "api-latency", "API latency", "ms");
        series(latency, "p50", buckets.percentile(all.get("Api.Latency"), 50));
        series(latency, "p99", buckets.percentile(all.get("Api.Latency"), 99));

        ObjectNode invocations = panel(panels, "invocations", "Function invocations", "per " + BUCKET.toSeconds() + " s");
        ObjectNode errors = panel(panels, "errors", "Function errors and API 5xx", "per " + BUCKET.toSeconds() + " s");
        ObjectNode duration = panel(panels, "duration", "Function duration p99", "ms");
        all.forEach((name, samples) -> {
            if (name.startsWith("Function.") && name.endsWith(".Invocations")) {
                String function = name.substring("Function.".length(), name.length() - ".Invocations".length());
                series(invocations, function, buckets.sum(samples));
                series(errors, function, buckets.sum(all.get("Function." + function + ".Errors")));
                series(duration, function, buckets.percentile(all.get("Function." + function + ".Duration"), 99));
            }
        });
        series(errors, "API 5xx", buckets.sumWhere(all.get("Api.5xx"), all.get("Api.Requests")));

        ObjectNode queues = panel(panels, "queues", "Job queue and dead-letter queue", "messages visible");
        all.forEach((name, samples) -> {
            if (name.startsWith("Queue.") && name.endsWith(".Depth")) {
                series(queues, name.substring("Queue.".length(), name.length() - ".Depth".length()),
                        buckets.last(samples));
            }
        });

        ObjectNode cache = panel(panels, "cache-hit-rate", "Cache hit rate", "%");
        all.forEach((name, samples) -> {
            if (name.endsWith("CacheHits")) {
                String cacheName = name.substring(0, name.length() - "CacheHits".length());
                series(cache, cacheName, buckets.ratio(samples, all.get(cacheName + "CacheMisses")));
            } else if (name.endsWith("CacheMisses") && !all.containsKey(name.replace("CacheMisses", "CacheHits"))) {
                // Only misses so far: a hit rate of 0 %, which is data too.
                series(cache, name.substring(0, name.length() - "CacheMisses".length()),
                        buckets.ratio(List.of(), samples));
            }
        });

        ObjectNode calls = panel(panels, "aws-call-latency", "AWS call latency p99", "ms");
        all.entrySet().stream()
                .filter(e -> e.getKey().endsWith(".Latency") && !e.getKey().startsWith("Api."))
                .sorted(Comparator.comparingInt((Map.Entry<String, List<Sample>> e) -> e.getValue().size()).reversed())
                .limit(MAX_CALL_SERIES)
                .forEach(e -> series(calls, e.getKey().substring(0, e.getKey().length() - ".Latency".length()),
                        buckets.percentile(e.getValue(), 99)));

        ObjectNode memory = panel(panels, "memory", "Memory after invocations", "MB");
        series(memory, "heap used", buckets.average(all.get("HeapUsed")));
        series(memory, "resident", buckets.average(all.get("ResidentMemory")));
        return root;
    }

    private static ObjectNode panel(ArrayNode panels, String id, String title, String unit) {
        ObjectNode panel = panels.addObject().put("id", id).put("title", title).put("unit", unit);
        panel.putArray("series");
        return panel;
    }

    private static void series(ObjectNode panel, String name, TreeMap<Long, Double> points) {
        if (points.isEmpty()) {
            return;
        }
        ObjectNode series = ((ArrayNode) panel.get("series")).addObject().put("name", name);
        ArrayNode values = series.putArray("points");
        points.forEach((at, value) -> values.addArray().add(at).add(Math.round(value * 100) / 100.0));
    }

    /** Groups samples into fixed buckets from {@code from}. */
    private record Buckets(long from, long width) {

        private TreeMap<Long, List<Double>> group(List<Sample> samples) {
            TreeMap<Long, List<Double>> grouped = new TreeMap<>();
            if (samples != null) {
                for (Sample sample : samples) {
                    long start = from + (sample.atMillis() - from) / width * width;
                    grouped.computeIfAbsent(start, k -> new ArrayList<>()).add(sample.value());
                }
            }
            return grouped;
        }

        private TreeMap<Long, Double> reduce(List<Sample> samples, ToDoubleFunction<List<Double>> f) {
            TreeMap<Long, Double> reduced = new TreeMap<>();
            group(samples).forEach((at, values) -> reduced.put(at, f.applyAsDouble(values)));
            return reduced;
        }

        TreeMap<Long, Double> sum(List<Sample> samples) {
            return reduce(samples, values -> values.stream().mapToDouble(Double::doubleValue).sum());
        }

        TreeMap<Long, Double> average(List<Sample> samples) {
            return reduce(samples, values -> values.stream().mapToDouble(Double::doubleValue).average().orElse(0));
        }

        TreeMap<Long, Double> last(List<Sample> samples) {
            return reduce(samples, values -> values.get(values.size() - 1));
        }

        TreeMap<Long, Double> percentile(List<Sample> samples, int percent) {
            return reduce(samples, values -> {
                List<Double> sorted = values.stream().sorted().toList();
                int rank = (int) Math.ceil(percent / 100.0 * sorted.size()) - 1;
                return sorted.get(Math.max(0, Math.min(rank, sorted.size() - 1)));
            });
        }

        /** The sum of {@code samples} in every bucket {@code basis} has, zero where it has none. */
        TreeMap<Long, Double> sumWhere(List<Sample> samples, List<Sample> basis) {
            TreeMap<Long, Double> sums = new TreeMap<>();
            sum(basis).keySet().forEach(at -> sums.put(at, 0.0));
            sums.putAll(sum(samples));
            return sums;
        }

        /** hits / (hits + misses) in percent, per bucket with either. */
        TreeMap<Long, Double> ratio(List<Sample> hits, List<Sample> misses) {
            TreeMap<Long, Double> hitSums = sum(hits);
            TreeMap<Long, Double> missSums = sum(misses);
            TreeMap<Long, Double> rates = new TreeMap<>();
            Set<Long> keys = new TreeSet<>(hitSums.keySet());
            keys.addAll(missSums.keySet());
            for (long at : keys) {
                double h = hitSums.getOrDefault(at, 0.0);
                double m = missSums.getOrDefault(at, 0.0);
                if (h + m > 0) {
                    rates.put(at, 100.0 * h / (h + m));
                }
            }
            return rates;
        }
    }
}
