package dev.chathistory.shared.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.chathistory.shared.aws.AwsClientFactory;
import dev.chathistory.shared.aws.ClientSettings;
import dev.chathistory.shared.error.StorageUnavailableException;
import dev.chathistory.shared.testing.RecordingPowertoolsMetrics;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.MetricsBuilder;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * The one metrics setup: what a handler's flush writes, with a real SDK client publishing its
 * calls against a stand-in DynamoDB on loopback that answers from a script.
 */
class FunctionMetricsTest {

    private static final String THROTTLED = "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ThrottlingException\","
            + "\"message\":\"Rate of requests exceeds the allowed throughput.\"}";

    private final Deque<Integer> statuses = new ArrayDeque<>();
    private HttpServer dynamoDb;

    @AfterEach
    void stop() {
        if (dynamoDb != null) {
            dynamoDb.stop(0);
        }
    }

    @Test
    void flush_shouldWriteEachAwsCallsLatencyAttemptsAndThrottles_underItsServiceAndOperation() throws IOException {
        RecordingPowertoolsMetrics powertools = new RecordingPowertoolsMetrics();
        FunctionMetrics metrics = powertools.functionMetrics(1000);
        DynamoDbClient client = clientPublishingTo(metrics);
        statuses.addAll(List.of(400, 200, 200));

        client.getItem(b -> b.tableName("t").key(Map.of("pk", AttributeValue.fromS("a"))));
        client.getItem(b -> b.tableName("t").key(Map.of("pk", AttributeValue.fromS("b"))));
        metrics.add("MessagesAppended", 1, MetricUnit.COUNT);
        metrics.flush();

        Map<String, List<Double>> written = powertools.lastFlush();
        assertThat(written.get("DynamoDB.GetItem.Latency")).as("one latency per call").hasSize(2)
                .allSatisfy(ms -> assertThat(ms).isGreaterThanOrEqualTo(0.0));
        assertThat(written).containsEntry("DynamoDB.GetItem.Attempts", List.of(3.0))
                .containsEntry("DynamoDB.GetItem.Throttles", List.of(1.0))
                .containsEntry("MessagesAppended", List.of(1.0))
                .doesNotContainKey("DynamoDB.GetItem.Failures")
                // url-connection has no pool, so no pool figures.
                .doesNotContainKeys("HttpClient.LeasedConnections", "HttpClient.PendingAcquires");
    }

    @Test
    void flush_shouldCountACallThatFailedAfterEveryAttempt() throws IOException {
        RecordingPowertoolsMetrics powertools = new RecordingPowertoolsMetrics();
        FunctionMetrics metrics = powertools.functionMetrics(1000);
        DynamoDbClient client = clientPublishingTo(metrics);
        statuses.addAll(List.of(400, 400));

        // Throttled on every attempt: the caller sees storage unavailable (StorageFailures).
        assertThatThrownBy(() -> client.putItem(b -> b.tableName("t").item(Map.of("pk", AttributeValue.fromS("a")))))
                .isInstanceOf(StorageUnavailableException.class);
        metrics.flush();

        assertThat(powertools.lastFlush()).containsEntry("DynamoDB.PutItem.Attempts", List.of(2.0))
                .containsEntry("DynamoDB.PutItem.Throttles", List.of(2.0))
                .containsEntry("DynamoDB.PutItem.Failures", List.of(1.0));
    }

    @Test
    void flush_shouldSampleMemoryOnTheFirstInvocationAndThenEveryNth_andWriteNothingWhenNothingHappened() {
        RecordingPowertoolsMetrics powertools = new RecordingPowertoolsMetrics();
        FunctionMetrics metrics = powertools.functionMetrics(3);

        for (int i = 0; i < 5; i++) {
            metrics.flush();
        }

        assertThat(powertools.flushed()).as("invocations 1 and 4 sampled; the others had nothing to write").hasSize(2);
        assertThat(powertools.lastFlush()).containsEntry("HeapUsed", List.of(64.0))
                .containsEntry("ResidentMemory", List.of(128.0));
    }

    @Test
    void flush_shouldNeverFailTheInvocation_whenPowertoolsCannotWrite() {
        // Without a namespace Powertools refuses to flush: exactly the failure an invocation must survive.
        Metrics misconfigured = MetricsBuilder.builder().withService("test").build();
        misconfigured.addMetric("Probe", 1, MetricUnit.COUNT);
        assertThatThrownBy(misconfigured::flush).isInstanceOf(IllegalArgumentException.class);
        FunctionMetrics metrics = new FunctionMetrics(misconfigured, MemorySampler.ofThisProcess(1));

        metrics.add("MessagesAppended", 1, MetricUnit.COUNT);

        assertThatCode(metrics::flush).doesNotThrowAnyException();
    }

    /** A DynamoDB client on the stand-in, two attempts per call, publishing to {@code metrics}. */
    private DynamoDbClient clientPublishingTo(FunctionMetrics metrics) throws IOException {
        dynamoDb = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        dynamoDb.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            int status;
            synchronized (statuses) {
                status = statuses.isEmpty() ? 200 : statuses.removeFirst();
            }
            byte[] body = (status == 200 ? "{}" : THROTTLED).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        dynamoDb.start();
        URI endpoint = URI.create("http://127.0.0.1:" + dynamoDb.getAddress().getPort());
        ClientSettings settings = new ClientSettings("us-east-1", Optional.of(endpoint),
                Optional.of(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"))),
                Duration.ofSeconds(10), Duration.ofSeconds(5), 2)
                .withMetricPublisher(metrics.awsCalls());
        return AwsClientFactory.dynamoDb(settings, List.of());
    }
}
