package dev.chathistory.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chathistory.local.aws.AwsGateway;
import dev.chathistory.local.aws.FaultPlan;
import dev.chathistory.messageapi.testing.ApiEvent;
import dev.chathistory.messageapi.testing.ApiResult;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A write DynamoDB applied whose answer never came back (a timeout after the write): the SDK
 * retries it, the retry fails its own condition against the write that applied, and the API
 * must still answer as if the first attempt had: read back and compare, not a 500 ("message id
 * collision", "job id collision") nor a 412 against one's own edit. The local AWS gateway
 * loses exactly one answer of the named action for each case.
 */
class LostAnswerIT {

    private static final String API = "MessageApiFunction";

    private static JobsStack stack;
    private static AwsGateway gateway;

    @BeforeAll
    static void start() {
        stack = new JobsStack(5);
        gateway = stack.stack.deployment().awsGateway();
    }

    @AfterAll
    static void close() {
        gateway.injectFaults(FaultPlan.none());
        stack.close();
    }

    /** Runs the request with the next call needing {@code action} losing its answer; checks it was lost. */
    private static ApiResult withTheAnswerOfOneLost(String action, ApiEvent request) {
        long lostBefore = gateway.injectedFaults().get(FaultPlan.Fault.LOST_RESPONSE);
        gateway.injectFaults(FaultPlan.lostAnswers(API, action, 1));
        try {
            return stack.call(request);
        } finally {
            gateway.injectFaults(FaultPlan.none());
            assertThat(gateway.injectedFaults().get(FaultPlan.Fault.LOST_RESPONSE))
                    .as("one answer of %s was lost", action).isEqualTo(lostBefore + 1);
        }
    }

    private static ApiEvent append(String chat, String text) {
        return ApiEvent.fromFile("append-message.json").request("POST", "/v1/chats/" + chat + "/messages")
                .withoutHeader("Idempotency-Key")
                .jsonBody(Map.of("userId", "lost-user", "isBot", false, "text", text));
    }

    @Test
    void anAppendWhoseAnswerWasLost_shouldBe201_andStoredOnce() {
        String chat = "lost-append-" + UUID.randomUUID();

        ApiResult created = withTheAnswerOfOneLost("dynamodb:PutItem", append(chat, "only once"));

        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(stack.history(chat, 50, true)).extracting(m -> m.path("text").asText()).containsExactly("only once");
    }

    @Test
    void anIdempotentAppendWhoseAnswerWasLost_shouldBe201_andStoredOnce() {
        String chat = "lost-idempotent-" + UUID.randomUUID();

        ApiResult created = withTheAnswerOfOneLost("dynamodb:PutItem", append(chat, "keyed")
                .header("Idempotency-Key", UUID.randomUUID().toString()));

        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(stack.history(chat, 50, true)).extracting(m -> m.path("text").asText()).containsExactly("keyed");
    }

    @Test
    void anEditWhoseAnswerWasLost_shouldBe200_withTheNextVersion_andAnUnbrokenChain() {
        String chat = "lost-edit-" + UUID.randomUUID();
        JsonNode message = stack.append(chat, "lost-user", false, "first");
        String path = "/v1/chats/" + chat + "/messages/" + message.path("messageId").asText();

        ApiResult edited = withTheAnswerOfOneLost("dynamodb:PutItem", ApiEvent.fromFile("edit-message.json")
                .request("PATCH", path).header("If-Match", "\"1\"").jsonBody(Map.of("text", "second")));

        assertThat(edited.status()).as(edited.body()).isEqualTo(200);
        assertThat(edited.json().path("version").asLong()).isEqualTo(2);
        ApiResult versions = stack.call(ApiEvent.fromFile("list-versions.json").request("GET", path + "/versions"));
        assertThat(versions.json().path("items")).extracting(v -> v.path("version").asLong()).containsExactly(2L, 1L);
    }

    @Test
    void settingsWhoseAnswerWasLost_shouldBe200_withVersionOne() {
        String user = "lost-settings-" + UUID.randomUUID();

        ApiResult put = withTheAnswerOfOneLost("dynamodb:UpdateItem", ApiEvent.fromFile("put-settings.json")
                .request("PUT", "/v1/users/" + user + "/settings").header("If-Match", "\"0\"")
                .jsonBody(Map.of("language", "de")));

        assertThat(put.status()).as(put.body()).isEqualTo(200);
        assertThat(put.header("ETag")).isEqualTo("\"1\"");
    }

    @Test
    void aJobWhoseRecordsAnswerWasLost_shouldBe202_andQueuedOnce() {
        String user = "lost-job-" + UUID.randomUUID();

        ApiResult accepted = withTheAnswerOfOneLost("dynamodb:PutItem", ApiEvent.fromFile("submit-job.json")
                .request("POST", "/v1/users/" + user + "/jobs").jsonBody(Map.of("type", "recount")));

        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        assertThat(stack.job(accepted.json().path("jobId").asText()).path("status").asText()).isEqualTo("queued");
    }
}
