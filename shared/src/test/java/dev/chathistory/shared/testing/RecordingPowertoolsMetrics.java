package dev.chathistory.shared.testing;

import com.amazonaws.services.lambda.runtime.Context;
import dev.chathistory.shared.metrics.FunctionMetrics;
import dev.chathistory.shared.metrics.MemorySampler;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.model.DimensionSet;
import software.amazon.lambda.powertools.metrics.model.MetricResolution;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * Powertools metrics that keep what each flush would have written, so tests can assert the
 * metric names and values a function emits through {@link FunctionMetrics}.
 */
public final class RecordingPowertoolsMetrics implements Metrics {

    /** One value added under a name. */
    public record Value(String name, double value, MetricUnit unit) {
    }

    private final List<Value> pending = new ArrayList<>();
    private final List<List<Value>> flushed = new ArrayList<>();

    /** Function metrics on this recorder, with a memory sample every {@code memoryEvery} invocations. */
    public FunctionMetrics functionMetrics(int memoryEvery) {
        return new FunctionMetrics(this, new MemorySampler(memoryEvery, () -> 64L * 1024 * 1024,
                () -> OptionalLong.of(128L * 1024 * 1024)));
    }

    /** Every document written so far, oldest first. */
    public synchronized List<List<Value>> flushed() {
        return List.copyOf(flushed);
    }

    /** The last document written, as name -> values. */
    public synchronized Map<String, List<Double>> lastFlush() {
        if (flushed.isEmpty()) {
            return Map.of();
        }
        return flushed.get(flushed.size() - 1).stream().collect(Collectors.groupingBy(Value::name,
                LinkedHashMap::new, Collectors.mapping(Value::value, Collectors.toList())));
    }

    @Override
    public synchronized void addMetric(String name, double value, MetricUnit unit, MetricResolution resolution) {
        pending.add(new Value(name, value, unit));
    }

    @Override
    public synchronized void flush() {
        flushed.add(List.copyOf(pending));
        pending.clear();
    }

    @Override
    public void addDimension(DimensionSet dimensions) {
    }

    @Override
    public void setTimestamp(java.time.Instant timestamp) {
    }

    @Override
    public void addMetadata(String key, Object value) {
    }

    @Override
    public void setDefaultDimensions(DimensionSet dimensions) {
    }

    @Override
    public DimensionSet getDefaultDimensions() {
        return new DimensionSet();
    }

    @Override
    public void setNamespace(String namespace) {
    }

    @Override
    public void setRaiseOnEmptyMetrics(boolean raise) {
    }

    @Override
    public void clearDefaultDimensions() {
    }

    @Override
    public void captureColdStartMetric(Context context, DimensionSet dimensions) {
    }

    @Override
    public void captureColdStartMetric(DimensionSet dimensions) {
    }

    @Override
    public void flushMetrics(Consumer<Metrics> metrics) {
        metrics.accept(this);
        flush();
    }
}
