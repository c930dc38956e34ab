package dev.chathistory.shared.metrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.core.metrics.CoreMetric;
import software.amazon.awssdk.http.HttpMetric;
import software.amazon.awssdk.metrics.MetricCollection;
import software.amazon.awssdk.metrics.MetricPublisher;
import software.amazon.awssdk.metrics.SdkMetric;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * Every AWS SDK call's figures, from the SDK's own metrics rather than timers around calls: the
 * clients publish a {@link MetricCollection} per call to this publisher, which keeps per service
 * and operation the call latencies, attempts, throttled attempts and failed calls until the
 * handler flushes them as {@code DynamoDB.Query.Latency}, {@code .Attempts}, {@code .Throttles}
 * and {@code .Failures}.
 *
 * <p>The operation is in the metric name, not in a dimension: one EMF document per invocation
 * then carries every operation, where a dimension would take a log line per operation.
 *
 * <p>Pool figures ({@code HttpClient.LeasedConnections}, {@code .PendingAcquires},
 * {@code .AvailableConnections}) come only from clients that have a pool (Apache, CRT, Netty).
 * The functions use the url-connection client, which starts fastest (docs/performance.md); it
 * reuses connections through the JDK's keep-alive cache, which reports nothing, so a deployed
 * stack shows none of these.
 *
 * <p>Thread-safe: the SDK publishes on whichever thread made the call (the batch function's
 * workers, maintenance's steps), and the handler thread drains.
 */
public final class AwsCallMetrics implements MetricPublisher {

    /** Latencies kept per operation per flush; calls beyond are counted but not timed. */
    static final int MAX_LATENCIES = 100;

    private static final String ATTEMPT = "ApiCallAttempt";
    /** The value {@link CoreMetric#ERROR_TYPE} documents for a throttled attempt. */
    private static final String THROTTLING = "Throttling";

    private final Map<String, Operation> operations = new TreeMap<>();
    private final PoolFigures pool = new PoolFigures();

    /** One operation's figures since the last drain. */
    private static final class Operation {
        final List<Double> latencies = new ArrayList<>();
        long attempts;
        long throttles;
        long failures;
    }

    /** The highest pool figures seen since the last drain, or -1 when no call reported them. */
    private static final class PoolFigures {
        int leased = -1;
        int pending = -1;
        int available = -1;
    }

    @Override
    public void publish(MetricCollection call) {
        String service = first(call, CoreMetric.SERVICE_ID, "Unknown");
        String operation = first(call, CoreMetric.OPERATION_NAME, "Unknown");
        Duration latency = first(call, CoreMetric.API_CALL_DURATION, null);
        boolean succeeded = first(call, CoreMetric.API_CALL_SUCCESSFUL, Boolean.TRUE);
        int attempts = 0;
        int throttles = 0;
        for (MetricCollection child : call.children()) {
            if (ATTEMPT.equals(child.name())) {
                attempts++;
                if (child.metricValues(CoreMetric.ERROR_TYPE).contains(THROTTLING)) {
                    throttles++;
                }
                child.children().forEach(this::recordPool);
            }
        }
        if (attempts == 0) {
            // No attempt breakdown (not expected from the SDK): the retry count still tells.
            attempts = first(call, CoreMetric.RETRY_COUNT, 0) + 1;
        }
        synchronized (this) {
            Operation figures = operations.computeIfAbsent(service + "." + operation, k -> new Operation());
            if (latency != null && figures.latencies.size() < MAX_LATENCIES) {
                figures.latencies.add((double) latency.toMillis());
            }
            figures.attempts += attempts;
            figures.throttles += throttles;
            if (!succeeded) {
                figures.failures++;
            }
        }
    }

    private void recordPool(MetricCollection http) {
        int leased = max(http.metricValues(HttpMetric.LEASED_CONCURRENCY));
        int pending = max(http.metricValues(HttpMetric.PENDING_CONCURRENCY_ACQUIRES));
        int available = max(http.metricValues(HttpMetric.AVAILABLE_CONCURRENCY));
        synchronized (this) {
            pool.leased = Math.max(pool.leased, leased);
            pool.pending = Math.max(pool.pending, pending);
            pool.available = Math.max(pool.available, available);
        }
    }

    /**
     * Hands every figure since the last drain to {@code sink} and starts over.
     *
     * @return whether there was anything to hand over
     */
    public boolean drainTo(MetricSink sink) {
        Map<String, Operation> drained;
        PoolFigures poolFigures;
        synchronized (this) {
            if (operations.isEmpty() && pool.leased < 0 && pool.pending < 0 && pool.available < 0) {
                return false;
            }
            drained = new TreeMap<>(operations);
            operations.clear();
            poolFigures = new PoolFigures();
            poolFigures.leased = pool.leased;
            poolFigures.pending = pool.pending;
            poolFigures.available = pool.available;
            pool.leased = -1;
            pool.pending = -1;
            pool.available = -1;
        }
        drained.forEach((name, figures) -> {
            figures.latencies.forEach(ms -> sink.add(name + ".Latency", ms, MetricUnit.MILLISECONDS));
            sink.add(name + ".Attempts", figures.attempts, MetricUnit.COUNT);
            // Zero throttles and failures are the usual case; leaving them out keeps the line short.
            if (figures.throttles > 0) {
                sink.add(name + ".Throttles", figures.throttles, MetricUnit.COUNT);
            }
            if (figures.failures > 0) {
                sink.add(name + ".Failures", figures.failures, MetricUnit.COUNT);
            }
        });
        addIfReported(sink, "HttpClient.LeasedConnections", poolFigures.leased);
        addIfReported(sink, "HttpClient.PendingAcquires", poolFigures.pending);
        addIfReported(sink, "HttpClient.AvailableConnections", poolFigures.available);
        return true;
    }

    @Override
    public void close() {
        // Nothing held: the handler drains at every flush.
    }

    private static void addIfReported(MetricSink sink, String name, int value) {
        if (value >= 0) {
            sink.add(name, value, MetricUnit.COUNT);
        }
    }

    private static <T> T first(MetricCollection collection, SdkMetric<T> metric, T otherwise) {
        List<T> values = collection.metricValues(metric);
        return values.isEmpty() || values.get(0) == null ? otherwise : values.get(0);
    }

    private static int max(List<Integer> values) {
        return values.stream().filter(v -> v != null).mapToInt(Integer::intValue).max().orElse(-1);
    }
}
