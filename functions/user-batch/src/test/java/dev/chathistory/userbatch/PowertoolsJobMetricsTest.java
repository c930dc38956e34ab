package dev.chathistory.userbatch;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.MetricsBuilder;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

class PowertoolsJobMetricsTest {

    @Test
    void flush_shouldNeverFailTheBatch_whenPowertoolsCannotWrite() {
        // Without a namespace Powertools refuses to flush: the failure a batch must survive.
        Metrics misconfigured = MetricsBuilder.builder().withService("test").build();
        misconfigured.addMetric("Probe", 1, MetricUnit.COUNT);
        assertThatThrownBy(misconfigured::flush).isInstanceOf(IllegalArgumentException.class);
        PowertoolsJobMetrics metrics = new PowertoolsJobMetrics(misconfigured);

        metrics.succeeded();
        metrics.failed(true);

        assertThatCode(metrics::flush).doesNotThrowAnyException();
    }
}
