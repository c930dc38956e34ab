package dev.chathistory.shared.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.metrics.CoreMetric;
import software.amazon.awssdk.http.HttpMetric;
import software.amazon.awssdk.metrics.MetricCollector;

/** What reaches the sink from call collections shaped as the SDK publishes them. */
class AwsCallMetricsTest {

    private final AwsCallMetrics metrics = new AwsCallMetrics();
    private final List<String> written = new ArrayList<>();

    @Test
    void drainTo_shouldPassOnPoolFigures_whenAPooledClientReportsThem() {
        MetricCollector call = call("SQS", "SendMessageBatch", 12);
        MetricCollector http = call.createChild("ApiCallAttempt").createChild("HttpClient");
        http.reportMetric(HttpMetric.LEASED_CONCURRENCY, 3);
        http.reportMetric(HttpMetric.PENDING_CONCURRENCY_ACQUIRES, 1);
        http.reportMetric(HttpMetric.AVAILABLE_CONCURRENCY, 47);
        metrics.publish(call.collect());

        metrics.drainTo((name, value, unit) -> written.add(name + "=" + value));

        assertThat(written).containsExactly("SQS.SendMessageBatch.Latency=12.0", "SQS.SendMessageBatch.Attempts=1.0",
                "HttpClient.LeasedConnections=3.0", "HttpClient.PendingAcquires=1.0",
                "HttpClient.AvailableConnections=47.0");
    }

    @Test
    void drainTo_shouldTimeAtMostAHundredCallsPerOperation_butCountThemAll_andStartOverAfterwards() {
        for (int i = 0; i < 130; i++) {
            MetricCollector call = call("DynamoDB", "Query", 5);
            call.createChild("ApiCallAttempt");
            metrics.publish(call.collect());
        }

        assertThat(metrics.drainTo((name, value, unit) -> written.add(name + "=" + value))).isTrue();

        assertThat(written).filteredOn(w -> w.startsWith("DynamoDB.Query.Latency")).hasSize(AwsCallMetrics.MAX_LATENCIES);
        assertThat(written).contains("DynamoDB.Query.Attempts=130.0");
        assertThat(metrics.drainTo((name, value, unit) -> written.add(name))).as("nothing since").isFalse();
    }

    private static MetricCollector call(String service, String operation, long millis) {
        MetricCollector call = MetricCollector.create("ApiCall");
        call.reportMetric(CoreMetric.SERVICE_ID, service);
        call.reportMetric(CoreMetric.OPERATION_NAME, operation);
        call.reportMetric(CoreMetric.API_CALL_DURATION, Duration.ofMillis(millis));
        call.reportMetric(CoreMetric.API_CALL_SUCCESSFUL, true);
        return call;
    }
}
