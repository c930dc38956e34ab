package dev.chathistory.shared.metrics;

import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.metrics.MetricPublisher;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.MetricsBuilder;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * The one metrics setup every function handler uses (the authorizer excepted: it carries no
 * Powertools, and Lambda's own metrics cover its one lookup). Built once per container, it
 * holds the function's Powertools metrics (CloudWatch EMF on stdout; namespace and service from
 * {@code POWERTOOLS_METRICS_NAMESPACE} and {@code POWERTOOLS_SERVICE_NAME}), the
 * {@link AwsCallMetrics} its AWS clients publish to, and a {@link MemorySampler}.
 *
 * <p>The function's own metrics go in through {@link #add}; the handler calls {@link #flush}
 * once at the end of every invocation, which adds the AWS calls and the memory sample and writes
 * one EMF document.
 */
public final class FunctionMetrics implements MetricSink {

    /** A memory sample every this many invocations, and on a container's first. */
    public static final int MEMORY_SAMPLE_EVERY = 10;

    private static final Logger LOG = LoggerFactory.getLogger(FunctionMetrics.class);

    private final Metrics metrics;
    private final AwsCallMetrics awsCalls = new AwsCallMetrics();
    private final MemorySampler memory;
    private boolean recorded;

    public FunctionMetrics(Metrics metrics, MemorySampler memory) {
        this.metrics = metrics;
        this.memory = memory;
    }

    /** The production setup, from the function's environment. */
    public static FunctionMetrics fromEnvironment(Map<String, String> env) {
        return new FunctionMetrics(MetricsBuilder.builder()
                .withNamespace(env.getOrDefault("POWERTOOLS_METRICS_NAMESPACE", "ChatHistory"))
                .withService(env.getOrDefault("POWERTOOLS_SERVICE_NAME", "chat-history"))
                .build(), MemorySampler.ofThisProcess(MEMORY_SAMPLE_EVERY));
    }

    /** Register on every AWS client the function builds ({@code ClientSettings.withMetricPublisher}). */
    public MetricPublisher awsCalls() {
        return awsCalls;
    }

    @Override
    public synchronized void add(String name, double value, MetricUnit unit) {
        metrics.addMetric(name, value, unit);
        recorded = true;
    }

    /**
     * Ends an invocation's metrics: adds the AWS calls and the memory sample, then writes what was
     * recorded, if anything. Never throws: losing a metric must not fail work that already
     * succeeded.
     */
    public synchronized void flush() {
        try {
            awsCalls.drainTo(this);
            memory.sampleInto(this);
            if (recorded) {
                recorded = false;
                metrics.flush();
            }
        } catch (RuntimeException e) {
            recorded = false;
            LOG.warn("could not flush metrics: {}", e.toString());
        }
    }
}
