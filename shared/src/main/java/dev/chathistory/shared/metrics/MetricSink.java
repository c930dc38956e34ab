package dev.chathistory.shared.metrics;

import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/** Where metric values go: the function's Powertools metrics in production, a list in tests. */
@FunctionalInterface
public interface MetricSink {

    void add(String name, double value, MetricUnit unit);
}
