package dev.chathistory.shared.metrics;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.MetricsBuilder;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

class PowertoolsServiceMetricsTest {

    @Test
    void flush_shouldNeverFailTheRequest_whenPowertoolsCannotWrite() {
        // Without a namespace Powertools refuses to flush: exactly the failure a request must survive.
        Metrics misconfigured = MetricsBuilder.builder().withService("test").build();
        misconfigured.addMetric("Probe", 1, MetricUnit.COUNT);
        assertThatThrownBy(misconfigured::flush).isInstanceOf(IllegalArgumentException.class);
        PowertoolsServiceMetrics metrics = new PowertoolsServiceMetrics(misconfigured);

        metrics.messageAppended();

        assertThatCode(metrics::flush).doesNotThrowAnyException();
    }
}
