package dev.chathistory.local.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

class LocalDashboardTest {

    private static final Instant NOW = Instant.parse("2026-12-03T12:00:05Z");

    private final MetricStore store = new MetricStore(Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofMinutes(15));
    private final LocalDashboard dashboard = new LocalDashboard(store);

    @Test
    void data_shouldBucketRequestsAndTakePercentiles_countErrorsPerFunction_andKeepQueueDepths() {
        for (int i = 1; i <= 100; i++) {
            dashboard.request(i <= 2 ? 503 : i <= 7 ? 404 : 200, i);
        }
        dashboard.invocation("MessageApiFunction", 40, false);
        dashboard.invocation("MessageApiFunction", 90, true);
        dashboard.queueDepth("JobsQueue", 3);
        dashboard.queueDepth("JobsQueue", 1);

        JsonNode data = dashboard.data();

        assertThat(lastValue(data, "api-requests", "requests")).isEqualTo(100.0);
        assertThat(lastValue(data, "api-requests", "4xx")).isEqualTo(5.0);
        assertThat(lastValue(data, "api-requests", "5xx")).isEqualTo(2.0);
        assertThat(lastValue(data, "api-latency", "p50")).isEqualTo(50.0);
        assertThat(lastValue(data, "api-latency", "p99")).isEqualTo(99.0);
        assertThat(lastValue(data, "invocations", "MessageApiFunction")).isEqualTo(2.0);
        assertThat(lastValue(data, "errors", "MessageApiFunction")).isEqualTo(1.0);
        assertThat(lastValue(data, "queues", "JobsQueue")).as("the latest sample").isEqualTo(1.0);
    }

    @Test
    void data_shouldShowEmfFigures_hitRatePerCache_andCallLatencyByOperation() {
        long at = NOW.toEpochMilli();
        String document = "{\"_aws\":{\"Timestamp\":" + at + ",\"CloudWatchMetrics\":[{\"Namespace\":\"ChatHistory\","
                + "\"Dimensions\":[[\"Service\"]],\"Metrics\":[{\"Name\":\"SettingsCacheHits\",\"Unit\":\"Count\"},"
                + "{\"Name\":\"SettingsCacheMisses\",\"Unit\":\"Count\"},{\"Name\":\"DynamoDB.Query.Latency\","
                + "\"Unit\":\"Milliseconds\"},{\"Name\":\"HeapUsed\",\"Unit\":\"Megabytes\"}]}]},"
                + "\"Service\":\"chat-history\",\"SettingsCacheHits\":3.0,\"SettingsCacheMisses\":1.0,"
                + "\"DynamoDB.Query.Latency\":[4.0,8.0,12.0],\"HeapUsed\":42.5}";

        EmfTap.accept(document, List.of(store));
        EmfTap.accept("{\"level\":\"INFO\",\"message\":\"not a metric\"}", List.of(store));

        JsonNode data = dashboard.data();
        assertThat(lastValue(data, "cache-hit-rate", "Settings")).isEqualTo(75.0);
        assertThat(lastValue(data, "aws-call-latency", "DynamoDB.Query")).isEqualTo(12.0);
        assertThat(lastValue(data, "memory", "heap used")).isEqualTo(42.5);
        assertThat(store.since(0)).containsOnlyKeys("SettingsCacheHits", "SettingsCacheMisses",
                "DynamoDB.Query.Latency", "HeapUsed");
    }

    @Test
    void page_shouldBeServedFromTheModule() {
        assertThat(LocalDashboard.page()).contains("/_local/dashboard/data").contains("data-points");
    }

    private static double lastValue(JsonNode data, String panelId, String seriesName) {
        JsonNode panel = StreamSupport.stream(data.path("panels").spliterator(), false)
                .filter(p -> p.path("id").asText().equals(panelId)).findFirst().orElseThrow();
        JsonNode series = StreamSupport.stream(panel.path("series").spliterator(), false)
                .filter(s -> s.path("name").asText().equals(seriesName)).findFirst()
                .orElseThrow(() -> new AssertionError(panelId + " has no series " + seriesName + ": " + panel));
        JsonNode points = series.path("points");
        return points.get(points.size() - 1).get(1).asDouble();
    }
}
