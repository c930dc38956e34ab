package dev.chathistory.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chathistory.contract.ContractExempt;
import dev.chathistory.local.LocalDeployment;
import dev.chathistory.local.functions.FunctionFailedException;
import dev.chathistory.local.functions.LocalFunction;
import dev.chathistory.local.template.SamTemplate;
import dev.chathistory.local.template.UnsupportedTemplateException;
import dev.chathistory.tests.fixtures.Deliveries;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Lambda's own limits on the local stack, with the fixture template's LimitsFunction (one
 * second, at most two batches at a time from its queue, a route API Gateway waits 500 ms for,
 * S3 events retried once and then sent to its on-failure queue) and ReservedFunction
 * (reserved concurrency 1).
 */
@ContractExempt("its stack is the fixture template, not the chat-history API")
class LambdaLimitsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static FixtureStack stack;

    @BeforeAll
    static void deploy() {
        stack = new FixtureStack("lim");
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    @Test
    void anInvocationPastItsTimeout_shouldFail_comeBackFromTheQueue_andWriteNothingAfterTheDeadline() {
        String key = "late/" + UUID.randomUUID();
        String body = "outlive:" + key;
        String queue = stack.deployment.resources().queues().get("LimitsQueue").url();
        stack.sqs.sendMessage(b -> b.queueUrl(queue).messageBody(body));

        FixtureStack.await(() -> Deliveries.count("limits-late-write", key) == 2);

        assertThat(Deliveries.of("limits-delivered", body)).as("timed out, so redelivered until dead-lettered")
                .containsExactly("1", "2");
        assertThat(Deliveries.of("limits-late-write", key)).as("the threads it started, after the deadline")
                .allSatisfy(outcome -> assertThat(outcome).startsWith("refused"));
        String bucket = stack.deployment.resources().buckets().get("UploadsBucket");
        assertThatThrownBy(() -> stack.s3.headObject(b -> b.bucket(bucket)
                .key(key))).isInstanceOf(NoSuchKeyException.class);
    }

    @Test
    void aDirectInvocationPastItsTimeout_shouldFailAsLambdaSays() {
        assertThatThrownBy(() -> stack.deployment.function("LimitsFunction").invoke("{\"sleepMillis\":1500}"))
                .isInstanceOfSatisfying(FunctionFailedException.class, e -> {
                    assertThat(e.errorType()).isEqualTo("Sandbox.Timedout");
                    assertThat(e.getMessage()).contains("Task timed out after 1.00 seconds");
                });
    }

    @Test
    void anS3EventTimingOutEveryAttempt_shouldBeRetried_thenRecordedAtItsDestination() throws Exception {
        String id = UUID.randomUUID().toString();
        String key = "slow/" + id;
        String bucket = stack.deployment.resources().buckets().get("UploadsBucket");
        String failures = stack.deployment.resources().queues().get("LimitsFailuresQueue").url();
        stack.s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString("slow"));

        List<Message> recorded = new ArrayList<>();
        FixtureStack.await(() -> {
            recorded.addAll(stack.sqs.receiveMessage(b -> b.queueUrl(failures).waitTimeSeconds(1)).messages());
            return recorded.stream().anyMatch(m -> m.body().contains(id));
        });

        assertThat(Deliveries.of("limits-s3-attempts", key)).as("the first attempt and MaximumRetryAttempts: 1")
                .containsExactly("1", "2");
        JsonNode record = JSON.readTree(recorded.stream().filter(m -> m.body().contains(id)).findFirst()
                .orElseThrow().body());
        assertThat(record.path("requestContext").path("condition").asText()).isEqualTo("RetriesExhausted");
        assertThat(record.path("requestContext").path("approximateInvokeCount").asInt()).isEqualTo(2);
        assertThat(record.path("responsePayload").path("errorType").asText()).isEqualTo("Sandbox.Timedout");
    }

    @Test
    void theQueuesMaximumConcurrency_shouldBoundTheBatchesInFlight() {
        String queue = stack.deployment.resources().queues().get("LimitsQueue").url();
        for (int i = 0; i < 8; i++) {
            stack.sqs.sendMessage(b -> b.queueUrl(queue).messageBody("sleep:300"));
        }

        FixtureStack.await(() -> Deliveries.count("limits-delivered", "sleep:300") >= 8);

        assertThat(Deliveries.of("limits-overlap", "max").stream().mapToInt(Integer::parseInt).max().orElse(0))
                .as("batches of one in flight at once").isEqualTo(2);
    }

    @Test
    void reservedConcurrency_shouldThrottleWhatGoesBeyondIt() throws Exception {
        LocalFunction reserved = stack.deployment.function("ReservedFunction");
        CompletableFuture<String> first = CompletableFuture.supplyAsync(
                () -> reserved.invoke("{\"sleepMillis\":1500}"));
        Thread.sleep(300);

        assertThatThrownBy(() -> reserved.invoke("{\"sleepMillis\":0}"))
                .isInstanceOfSatisfying(FunctionFailedException.class, e -> {
                    assertThat(e.errorType()).isEqualTo("TooManyRequestsException");
                    assertThat(e.throttled()).isTrue();
                });
        assertThat(first.get()).contains("padding");
        assertThat(reserved.invoke("{\"sleepMillis\":0}")).as("free again").contains("padding");
    }

    @Test
    void payloadsOverLambdasLimits_shouldBeRefused() {
        LocalFunction function = stack.deployment.function("ReservedFunction");
        String sevenMegabytes = "{\"sleepMillis\":0,\"pad\":\"" + "x".repeat(7 * 1024 * 1024) + "\"}";
        String twoMegabytes = "{\"sleepMillis\":0,\"pad\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}";

        assertThatThrownBy(() -> function.invoke(sevenMegabytes)).isInstanceOfSatisfying(FunctionFailedException.class,
                e -> assertThat(e.errorType()).isEqualTo("RequestEntityTooLargeException"));
        assertThat(function.invoke(twoMegabytes, LocalFunction.InvocationType.REQUEST_RESPONSE)).contains("padding");
        assertThatThrownBy(() -> function.invoke(twoMegabytes, LocalFunction.InvocationType.EVENT))
                .isInstanceOfSatisfying(FunctionFailedException.class,
                        e -> assertThat(e.errorType()).isEqualTo("RequestEntityTooLargeException"));
        assertThatThrownBy(() -> function.invoke("{\"responseBytes\":" + (7 * 1024 * 1024) + "}"))
                .isInstanceOfSatisfying(FunctionFailedException.class,
                        e -> assertThat(e.errorType()).isEqualTo("Function.ResponseSizeTooLarge"));
    }

    @Test
    void aRoutePastItsIntegrationTimeout_shouldBe503() throws Exception {
        HttpResponse<String> quick = post("/slow?sleepMillis=0");
        HttpResponse<String> slow = post("/slow?sleepMillis=800");

        assertThat(quick.statusCode()).isEqualTo(200);
        assertThat(slow.statusCode()).isEqualTo(503);
        assertThat(slow.body()).isEqualTo("{\"message\":\"Service Unavailable\"}");
    }

    @Test
    void mappingSettingsLambdaRefuses_shouldStopTheDeployment() {
        JsonNode tree = FixtureStack.template().document();
        ((ObjectNode) tree.path("Resources").path("LimitsFunction").path("Properties").path("Events").path("Work")
                .path("Properties")).put("BatchSize", 11);

        assertThatThrownBy(() -> LocalDeployment.start(LocalDeployment.Options.defaults(
                SamTemplate.of(tree, "fixture with a batch of 11 and no window"), 0)
                .withStackName(TestAws.stackName("limbad")).withSchedulesEnabled(false), TestAws.emulator().endpoint()))
                .isInstanceOf(UnsupportedTemplateException.class)
                .hasMessageContaining("Maximum batch window in seconds must be greater than 0");
    }

    private static HttpResponse<String> post(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(stack.deployment.baseUrl().resolve(path))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }
}
