package dev.chathistory.shared.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.xray.interceptors.TracingInterceptor;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Tracing is on only on Lambda, and what a subsegment may record is names and counts. That each
 * call becomes a subsegment of the invocation's trace is shown by LambdaZipIT (tests/), which
 * runs the zips with a sampled trace header and a daemon socket.
 */
class AwsCallTracingTest {

    private static final Map<String, String> ON_LAMBDA = Map.of(
            "LAMBDA_TASK_ROOT", "/var/task", "AWS_XRAY_DAEMON_ADDRESS", "169.254.79.129:2000");

    /** Request fields a subsegment may copy: resource names, paging and sizes, never keys or items. */
    private static final Set<String> NAMES_AND_SETTINGS = Set.of("TableName", "IndexName", "Limit",
            "ScanIndexForward", "ConsistentRead", "Segment", "TotalSegments", "QueueUrl", "DelaySeconds",
            "MaxNumberOfMessages", "WaitTimeSeconds", "VisibilityTimeout", "Bucket", "SourceBucket",
            "DestinationBucket");
    private static final Set<String> COUNTS = Set.of("Count", "ScannedCount");

    @Test
    void interceptors_shouldTraceOnLambda() {
        assertThat(AwsCallTracing.interceptors(ON_LAMBDA)).singleElement().isInstanceOf(TracingInterceptor.class);
    }

    @Test
    void interceptors_shouldShareOneRecorderAcrossClients() {
        assertThat(AwsCallTracing.interceptors(ON_LAMBDA).get(0))
                .isSameAs(AwsCallTracing.interceptors(ON_LAMBDA).get(0));
    }

    @Test
    void interceptors_shouldBeNone_offLambda() {
        assertThat(AwsCallTracing.interceptors(Map.of())).isEmpty();
        assertThat(AwsCallTracing.interceptors(Map.of("AWS_XRAY_DAEMON_ADDRESS", "127.0.0.1:2000"))).isEmpty();
        assertThat(AwsCallTracing.interceptors(Map.of("LAMBDA_TASK_ROOT", "/var/task"))).isEmpty();
        assertThat(AwsCallTracing.interceptors(Map.of("LAMBDA_TASK_ROOT", "/var/task",
                "AWS_XRAY_DAEMON_ADDRESS", " "))).isEmpty();
    }

    @Test
    void parameters_shouldRecordNamesAndCountsOnly() throws IOException {
        JsonNode services = parameters().path("services");
        List<String> copied = new ArrayList<>();
        services.forEach(service -> service.path("operations").forEach(operation -> {
            operation.path("request_parameters").forEach(name -> copied.add(name.asText()));
            operation.path("response_parameters").forEach(name -> assertThat(COUNTS).contains(name.asText()));
            for (String descriptors : List.of("request_descriptors", "response_descriptors")) {
                operation.path(descriptors).forEach(descriptor -> assertThat(
                        descriptor.path("get_keys").asBoolean() || descriptor.path("get_count").asBoolean())
                        .as("a descriptor copies a map's keys (table names) or a list's size: " + descriptor)
                        .isTrue());
            }
        }));

        assertThat(copied).isNotEmpty().allSatisfy(name -> assertThat(NAMES_AND_SETTINGS).contains(name));
    }

    @Test
    void parameters_shouldNameOperationsTheClientsHave() throws IOException {
        JsonNode services = parameters().path("services");
        Map<String, Class<?>> clients = Map.of("DynamoDb", DynamoDbClient.class, "Sqs", SqsClient.class,
                "S3", S3Client.class);

        assertThat(services.properties()).extracting(Map.Entry::getKey)
                .containsExactlyInAnyOrderElementsOf(clients.keySet());
        services.properties().forEach(service -> service.getValue().path("operations").properties().forEach(
                operation -> assertThat(Arrays.stream(clients.get(service.getKey()).getMethods())
                        .map(method -> method.getName()))
                        .as(service.getKey() + "." + operation.getKey())
                        .contains(Character.toLowerCase(operation.getKey().charAt(0)) + operation.getKey().substring(1))));
    }

    private static JsonNode parameters() throws IOException {
        try (InputStream in = AwsCallTracing.class.getResourceAsStream("xray-parameters.json")) {
            assertThat(in).as("xray-parameters.json beside AwsCallTracing").isNotNull();
            return new ObjectMapper().readTree(in);
        }
    }
}
