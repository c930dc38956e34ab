package dev.chathistory.maintenance;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.MetricsBuilder;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

class PowertoolsMaintenanceMetricsTest {

    @Test
    void flush_shouldNeverFailTheInvocation_whenPowertoolsCannotWrite() {
        // Without a namespace Powertools refuses to flush: the failure an invocation must survive.
        Metrics misconfigured = MetricsBuilder.builder().withService("test").build();
        misconfigured.addMetric("Probe", 1, MetricUnit.COUNT);
        assertThatThrownBy(misconfigured::flush).isInstanceOf(IllegalArgumentException.class);
        PowertoolsMaintenanceMetrics metrics = new PowertoolsMaintenanceMetrics(misconfigured);

        metrics.deadLetterQueue(3, 120);

        assertThatCode(metrics::flush).doesNotThrowAnyException();
    }
}
