package dev.chathistory.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chathistory.contract.ContractExempt;
import dev.chathistory.local.LocalDeployment;
import dev.chathistory.local.resources.LocalResources;
import dev.chathistory.tests.fixtures.Deliveries;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * The local runtime's event sources behave like Lambda's, shown on a fixture stack
 * (src/test/resources/fixture-stack/template.yaml) whose functions record what they receive.
 */
@ContractExempt("its stack is the fixture template's echo and file routes, not the chat-history API")
class LocalDeploymentIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PATIENCE = FixtureStack.PATIENCE;

    private static FixtureStack stack;
    private static LocalDeployment deployment;
    private static SqsClient sqs;
    private static S3Client s3;
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void deploy() {
        stack = new FixtureStack("fx");
        deployment = stack.deployment;
        sqs = stack.sqs;
        s3 = stack.s3;
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    @Test
    void sqsBatchWithAPoisonRecord_shouldRedeliverOnlyThatRecord_untilItIsDeadLettered() {
        String run = UUID.randomUUID().toString();
        List<String> good = List.of("good-1-" + run, "good-2-" + run, "good-3-" + run, "good-4-" + run);
        String poison = "poison-" + run;
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
        for (String body : List.of(good.get(0), good.get(1), poison, good.get(2), good.get(3))) {
            entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(entries.size()))
                    .messageBody(body).build());
        }
        sqs.sendMessageBatch(b -> b.queueUrl(queue("JobsQueue").url()).entries(entries));

        List<Message> deadLettered = awaitMessages(queue("JobsDeadLetterQueue").url(), 1);

        assertThat(deadLettered).extracting(Message::body).containsExactly(poison);
        assertThat(good).allSatisfy(body -> {
            assertThat(Deliveries.count("sqs-processed", body)).as(body + " processed once").isEqualTo(1);
            assertThat(Deliveries.of("sqs-delivered", body)).as(body + " delivered once").containsExactly("1");
        });
        assertThat(Deliveries.of("sqs-delivered", poison)).as("one delivery per receive, up to maxReceiveCount")
                .containsExactly("1", "2", "3");
        assertThat(Deliveries.count("sqs-processed", poison)).isZero();
        assertThat(queueDepth(queue("JobsQueue").url())).isZero();
    }

    @Test
    void sqsFunctionError_shouldLeaveTheWholeBatchForRedelivery() {
        String body = "crash-once-" + UUID.randomUUID();
        sqs.sendMessage(b -> b.queueUrl(queue("JobsQueue").url()).messageBody(body));

        await(() -> Deliveries.count("sqs-processed", body) == 1);

        assertThat(Deliveries.of("sqs-delivered", body)).containsExactly("1", "2");
    }

    @Test
    void s3ObjectCreated_shouldReachTheFunction_onlyUnderTheFilteredPrefix() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String bucket = deployment.resources().buckets().get("UploadsBucket");
        s3.putObject(b -> b.bucket(bucket).key("uploads/photo " + run + ".png"), RequestBody.fromString("png"));
        s3.putObject(b -> b.bucket(bucket).key("other/" + run + ".png"), RequestBody.fromString("png"));

        await(() -> Deliveries.count("s3", "uploads/photo " + run + ".png") == 1);
        Thread.sleep(2_000);

        assertThat(Deliveries.of("s3", "uploads/photo " + run + ".png")).singleElement().satisfies(detail -> {
            assertThat(detail).startsWith("ObjectCreated:").contains(" " + bucket + " ");
            assertThat(detail).as("keys arrive URL-encoded, as S3 sends them").doesNotContain("photo " + run);
        });
        assertThat(Deliveries.count("s3", "other/" + run + ".png")).isZero();
    }

    @Test
    void s3FailedInvocation_shouldBeRetried_thenParked() {
        String id = UUID.randomUUID().toString();
        String key = "uploads/fail-" + id + ".png";
        String bucket = deployment.resources().buckets().get("UploadsBucket");
        s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString("png"));

        String failedQueue = sqs.getQueueUrl(b -> b.queueName(
                deployment.resources().queues().get("JobsQueue").name().replace("-JobsQueue", "")
                        + "-IngestFunction-Uploads-failed")).queueUrl();
        List<Message> parked = awaitMessages(failedQueue, 1);

        assertThat(Deliveries.count("s3", key)).as("first try and MaximumRetryAttempts: 1").isEqualTo(2);
        assertThat(parked.get(0).body()).as("the parked event").contains(id).contains("ObjectCreated");
        assertThat(parked.get(0).body()).as("Lambda's invocation record")
                .contains("\"condition\":\"RetriesExhausted\"").contains("\"approximateInvokeCount\":2");
    }

    @Test
    void schedule_shouldFireOnDemand_withItsInput() throws Exception {
        int before = Deliveries.count("schedule", "tick");

        HttpResponse<String> fired = send(HttpRequest.newBuilder(url("/_local/schedules/TickFunction/Tick"))
                .POST(HttpRequest.BodyPublishers.noBody()));

        assertThat(fired.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(fired.body()).path("ran").asText()).isEqualTo("tick");
        assertThat(Deliveries.count("schedule", "tick")).isEqualTo(before + 1);
        assertThat(deployment.schedules()).containsExactly("TickFunction/Tick");
    }

    @Test
    void httpApi_shouldRouteAndShapeEventsLikeApiGateway() throws Exception {
        HttpResponse<String> named = send(HttpRequest.newBuilder(url("/echo/al%20ice?x=1&x=2&y=z")).GET());
        HttpResponse<String> literal = send(HttpRequest.newBuilder(url("/echo/fixed")).GET());
        HttpResponse<String> greedy = send(HttpRequest.newBuilder(url("/files/a/b/c.txt"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"k\":1}")));
        HttpResponse<String> unknown = send(HttpRequest.newBuilder(url("/nothing/here")).GET());

        JsonNode echo = JSON.readTree(named.body());
        assertThat(named.statusCode()).isEqualTo(200);
        assertThat(named.headers().firstValue("X-Echo")).contains("yes");
        assertThat(echo.path("routeKey").asText()).isEqualTo("GET /echo/{name}");
        assertThat(echo.path("pathParameters").path("name").asText()).isEqualTo("al ice");
        assertThat(echo.path("queryStringParameters").path("x").asText()).isEqualTo("1,2");
        assertThat(echo.path("greeting").asText()).as("Globals environment").isEqualTo("hello");
        assertThat(echo.path("queueUrl").asText()).isEqualTo(queue("JobsQueue").url());
        assertThat(echo.path("bucket").asText()).isEqualTo(deployment.resources().buckets().get("UploadsBucket"));
        assertThat(JSON.readTree(literal.body()).path("routeKey").asText()).isEqualTo("GET /echo/fixed");
        JsonNode greedyEcho = JSON.readTree(greedy.body());
        assertThat(greedyEcho.path("routeKey").asText()).isEqualTo("ANY /files/{path+}");
        assertThat(greedyEcho.path("pathParameters").path("path").asText()).isEqualTo("a/b/c.txt");
        assertThat(greedyEcho.path("method").asText()).isEqualTo("POST");
        assertThat(greedyEcho.path("body").asText()).isEqualTo("{\"k\":1}");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).isEqualTo("{\"message\":\"Not Found\"}");
    }

    private static LocalResources.Queue queue(String logicalId) {
        return deployment.resources().queues().get(logicalId);
    }

    private static URI url(String path) {
        return deployment.baseUrl().resolve(path);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<Message> awaitMessages(String queueUrl, int count) {
        List<Message> received = new ArrayList<>();
        Instant deadline = Instant.now().plus(PATIENCE);
        while (received.size() < count && Instant.now().isBefore(deadline)) {
            received.addAll(sqs.receiveMessage(b -> b.queueUrl(queueUrl).waitTimeSeconds(1)
                    .maxNumberOfMessages(10)).messages());
        }
        assertThat(received).as("messages on " + queueUrl).hasSize(count);
        return received;
    }

    private static int queueDepth(String queueUrl) {
        Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl)
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    private static void await(BooleanSupplier condition) {
        FixtureStack.await(condition);
    }
}
