package dev.chathistory.messageapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chathistory.messageapi.testing.ApiEvent;
import dev.chathistory.messageapi.testing.ApiResult;
import dev.chathistory.messageapi.testing.TestBackends;
import dev.chathistory.shared.config.JobsConfig;
import dev.chathistory.shared.jobs.JobOutcome;
import dev.chathistory.shared.jobs.JobRequest;
import dev.chathistory.shared.jobs.JobType;
import dev.chathistory.shared.lambda.LocalLambdaContext;
import dev.chathistory.shared.model.ChatRef;
import dev.chathistory.shared.testing.InMemoryMessageRepository;
import dev.chathistory.shared.testing.InMemoryUserRepository;
import dev.chathistory.shared.testing.MutableClock;
import dev.chathistory.shared.testing.RecordingMetrics;
import dev.chathistory.shared.testing.TestConfigs;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The handler end to end on in-memory repositories, driven by the sample events. */
class MessageApiHandlerTest {

    private static final ChatRef CHAT = new ChatRef(TestConfigs.TENANT, "chat-42");

    private final TestBackends backends = TestBackends.create();
    private final InMemoryMessageRepository messages = backends.messages();
    private final InMemoryUserRepository users = backends.users();
    private final RecordingMetrics metrics = new RecordingMetrics();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T10:00:00Z"));
    private final MessageApiHandler handler = new MessageApiHandler(
            MessageApi.create(TestConfigs.inMemory(), JobsConfig.of("queue", "bucket"), backends.backends(), metrics,
                    clock),
            () -> { });

    private ApiResult invoke(ApiEvent event) {
        return ApiResult.of(handler.handleRequest(event.toEvent(), new LocalLambdaContext()));
    }

    private ApiResult append(String text) {
        return invoke(ApiEvent.fromFile("append-message.json")
                .withoutHeader("Idempotency-Key")
                .jsonBody(Map.of("userId", "user-7", "isBot", false, "text", text)));
    }

    @Test
    void sampleAppendEvent_shouldCreateVersionOne() {
        ApiResult result = invoke(ApiEvent.fromFile("append-message.json"));

        assertThat(result.status()).isEqualTo(201);
        JsonNode body = result.json();
        assertThat(body.path("version").asLong()).isEqualTo(1);
        assertThat(body.path("parentVersion").isNull()).isTrue();
        assertThat(body.path("text").asText()).isEqualTo("Hello, bot!");
        assertThat(body.path("metadata").path("platform").asText()).isEqualTo("telegram");
        assertThat(body.path("chatId").asText()).isEqualTo("chat-42");
        assertThat(result.header("ETag")).isEqualTo("\"1\"");
        assertThat(result.header("Location"))
                .isEqualTo("/v1/chats/chat-42/messages/" + body.path("messageId").asText());
        assertThat(result.header("Content-Type")).startsWith("application/json");
        assertThat(metrics.count("MessagesAppended")).isEqualTo(1);
    }

    @Test
    void retriedAppend_shouldReplayTheOriginal_andDifferentBodyWithSameKeyIs422() {
        ApiResult first = invoke(ApiEvent.fromFile("append-message.json"));
        ApiResult retry = invoke(ApiEvent.fromFile("append-message.json"));
        ApiResult reused = invoke(ApiEvent.fromFile("append-message.json")
                .jsonBody(Map.of("userId", "user-7", "isBot", false, "text", "something else")));

        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(retry.json().path("messageId")).isEqualTo(first.json().path("messageId"));
        assertThat(reused.status()).isEqualTo(422);
        assertThat(reused.errorCode()).isEqualTo("idempotency_key_reused");
        assertThat(messages.messageCount(CHAT)).isEqualTo(1);
    }

    @Test
    void editAndDelete_shouldFollowTheVersionChain_withPreconditions() {
        String id = append("v1").json().path("messageId").asText();
        String path = "/v1/chats/chat-42/messages/" + id;

        ApiResult noIfMatch = invoke(ApiEvent.fromFile("edit-message.json").request("PATCH", path)
                .withoutHeader("If-Match"));
        ApiResult edited = invoke(ApiEvent.fromFile("edit-message.json").request("PATCH", path));
        ApiResult stale = invoke(ApiEvent.fromFile("edit-message.json").request("PATCH", path));
        ApiResult deleted = invoke(ApiEvent.fromFile("delete-message.json").request("DELETE", path));
        ApiResult hidden = invoke(ApiEvent.fromFile("get-message.json").request("GET", path));
        ApiResult shown = invoke(ApiEvent.fromFile("get-message.json").request("GET", path)
                .query("includeDeleted", "true"));
        ApiResult versions = invoke(ApiEvent.fromFile("list-versions.json").request("GET", path + "/versions"));

        assertThat(noIfMatch.status()).isEqualTo(428);
        assertThat(noIfMatch.errorCode()).isEqualTo("precondition_required");
        assertThat(edited.status()).isEqualTo(200);
        assertThat(edited.header("ETag")).isEqualTo("\"2\"");
        assertThat(edited.json().path("parentVersion").asLong()).isEqualTo(1);
        assertThat(stale.status()).isEqualTo(412);
        assertThat(stale.errorCode()).isEqualTo("precondition_failed");
        assertThat(stale.json().path("error").path("currentVersion").asLong()).isEqualTo(2);
        assertThat(stale.header("ETag")).isEqualTo("\"2\"");
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.json().path("deleted").asBoolean()).isTrue();
        assertThat(deleted.header("ETag")).isEqualTo("\"3\"");
        assertThat(hidden.status()).isEqualTo(404);
        assertThat(shown.status()).isEqualTo(200);
        assertThat(versions.json().path("items")).extracting(v -> v.path("version").asLong())
                .containsExactly(3L, 2L, 1L);
        assertThat(metrics.count("VersionConflicts")).isEqualTo(1);
    }

    @Test
    void listing_shouldPageWithAnOpaqueCursor() {
        for (int i = 0; i < 5; i++) {
            append("m" + i);
        }

        ApiResult first = invoke(ApiEvent.fromFile("list-messages.json").query("limit", "3"));
        String cursor = first.json().path("nextCursor").asText();
        ApiResult second = invoke(ApiEvent.fromFile("list-messages.json").query("limit", "3")
                .query("cursor", cursor));

        assertThat(first.json().path("items")).extracting(m -> m.path("text").asText())
                .containsExactly("m4", "m3", "m2");
        assertThat(second.json().path("items")).extracting(m -> m.path("text").asText())
                .containsExactly("m1", "m0");
        assertThat(second.json().path("nextCursor").isNull()).isTrue();
    }

    @Test
    void settings_shouldRoundTripWithEtags() {
        ApiResult empty = invoke(ApiEvent.fromFile("get-settings.json"));
        ApiResult saved = invoke(ApiEvent.fromFile("put-settings.json"));
        ApiResult read = invoke(ApiEvent.fromFile("get-settings.json"));
        // The same write at the same instant would be taken for a retry that finds its own result,
        // as the DynamoDB repository does (UserRepositoryContract); a later one is stale.
        clock.advance(Duration.ofSeconds(1));
        ApiResult stale = invoke(ApiEvent.fromFile("put-settings.json"));
        ApiResult overwrite = invoke(ApiEvent.fromFile("put-settings.json").header("If-Match", "*")
                .jsonBody(Map.of("language", "fr")));
        ApiResult missingPrecondition = invoke(ApiEvent.fromFile("put-settings.json").withoutHeader("If-Match"));

        assertThat(empty.json().isEmpty()).isTrue();
        assertThat(empty.header("ETag")).isEqualTo("\"0\"");
        assertThat(saved.status()).isEqualTo(200);
        assertThat(saved.header("ETag")).isEqualTo("\"1\"");
        assertThat(read.json().path("language").asText()).isEqualTo("de");
        assertThat(read.header("ETag")).isEqualTo("\"1\"");
        assertThat(stale.status()).isEqualTo(412);
        assertThat(overwrite.header("ETag")).isEqualTo("\"2\"");
        assertThat(missingPrecondition.status()).isEqualTo(428);
    }

    static Stream<Arguments> badRequests() {
        String messages = "/v1/chats/chat-42/messages";
        return Stream.of(
                Arguments.of("malformed JSON", append().body("{\"userId\": "), 400, "invalid_json"),
                Arguments.of("trailing garbage", append().body("{\"userId\":\"u\",\"isBot\":true,\"text\":\"x\"} x"),
                        400, "invalid_json"),
                Arguments.of("duplicate keys", append().body("{\"userId\":\"u\",\"userId\":\"v\",\"isBot\":true,\"text\":\"x\"}"),
                        400, "invalid_json"),
                Arguments.of("deep nesting", append().body("{\"userId\":\"u\",\"isBot\":true,\"text\":\"x\",\"metadata\":"
                        + "{\"a\":".repeat(40) + "1" + "}".repeat(41)), 400, "invalid_json"),
                Arguments.of("array body", append().body("[]"), 400, "validation_failed"),
                Arguments.of("empty body", append().body(null), 400, "invalid_json"),
                Arguments.of("missing text", append().jsonBody(Map.of("userId", "u", "isBot", true)),
                        400, "validation_failed"),
                Arguments.of("isBot as string", append().jsonBody(Map.of("userId", "u", "isBot", "yes", "text", "x")),
                        400, "validation_failed"),
                Arguments.of("text as number", append().jsonBody(Map.of("userId", "u", "isBot", true, "text", 5)),
                        400, "validation_failed"),
                Arguments.of("metadata as array", append().body("{\"userId\":\"u\",\"isBot\":true,\"text\":\"x\",\"metadata\":[1]}"),
                        400, "validation_failed"),
                Arguments.of("unknown field", append().jsonBody(Map.of("userId", "u", "isBot", true, "txt", "x")),
                        400, "validation_failed"),
                Arguments.of("bad user id", append().jsonBody(Map.of("userId", "u/../x", "isBot", true, "text", "x")),
                        400, "invalid_id"),
                Arguments.of("bad chat id", append().request("POST", "/v1/chats/chat%23other/messages"), 400, "invalid_id"),
                Arguments.of("over-long chat id", append().request("POST", "/v1/chats/" + "c".repeat(129) + "/messages"),
                        400, "invalid_id"),
                Arguments.of("text over 32 KiB", append().jsonBody(Map.of("userId", "u", "isBot", true,
                        "text", "x".repeat(32 * 1024 + 1))), 400, "text_too_long"),
                Arguments.of("body over 256 KiB", append().body("{\"text\":\"" + "x".repeat(256 * 1024) + "\"}"),
                        413, "payload_too_large"),
                Arguments.of("text/plain body", append().header("Content-Type", "text/plain"), 415, "unsupported_media_type"),
                Arguments.of("no content type", append().withoutHeader("Content-Type"), 415, "unsupported_media_type"),
                Arguments.of("bad idempotency key", append().header("Idempotency-Key", "has spaces"), 400,
                        "invalid_idempotency_key"),
                Arguments.of("unknown route", list().request("GET", "/v1/nothing"), 404, "route_not_found"),
                Arguments.of("unknown route under chats", list().request("GET", messages + "/x/y/z"), 404, "route_not_found"),
                Arguments.of("wrong method", list().request("PUT", messages), 405, "method_not_allowed"),
                Arguments.of("limit zero", list().query("limit", "0"), 400, "invalid_parameter"),
                Arguments.of("limit 101", list().query("limit", "101"), 400, "invalid_parameter"),
                Arguments.of("limit not a number", list().query("limit", "ten"), 400, "invalid_parameter"),
                Arguments.of("includeDeleted not boolean", list().query("includeDeleted", "yes"), 400, "invalid_parameter"),
                Arguments.of("forged cursor", list().query("cursor", "eyJrIjoibWVzc2FnZXMifQ"), 400, "invalid_cursor"),
                Arguments.of("bad If-Match", edit().header("If-Match", "\"abc\""), 400, "invalid_if_match"),
                Arguments.of("star If-Match on a message", edit().header("If-Match", "*"), 400, "invalid_if_match"),
                Arguments.of("edit of a missing message", edit(), 404, "message_not_found"),
                Arguments.of("settings not an object", settings().body("[1,2]"), 400, "validation_failed"),
                Arguments.of("settings too large", settings().jsonBody(Map.of("k", "v".repeat(17 * 1024))),
                        400, "settings_too_large"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void badInput_shouldGetA4xxWithAnErrorCode_andWriteNothing(String name, ApiEvent event, int status, String code) {
        ApiResult result = invoke(event);

        assertThat(result.status()).isEqualTo(status);
        assertThat(result.errorCode()).isEqualTo(code);
        assertThat(result.json().path("error").path("message").asText()).isNotBlank();
        assertThat(messages.messageCount(CHAT)).isZero();
        assertThat(users.activityWrites()).isEmpty();
    }

    @Test
    void submitJob_shouldRecordItQueued_andEnqueueIt() {
        ApiResult accepted = invoke(ApiEvent.fromFile("submit-job.json"));

        assertThat(accepted.status()).isEqualTo(202);
        String jobId = accepted.json().path("jobId").asText();
        assertThat(accepted.header("Location")).isEqualTo("/v1/jobs/" + jobId);
        assertThat(accepted.json().path("status").asText()).isEqualTo("queued");
        assertThat(backends.queue().sent()).singleElement().satisfies(request -> {
            assertThat(request.jobId()).isEqualTo(jobId);
            assertThat(request.type()).isEqualTo(JobType.EXPORT);
            assertThat(request.tenantId()).isEqualTo(TestConfigs.TENANT);
            assertThat(request.userId()).isEqualTo("user-7");
        });
        ApiResult status = invoke(ApiEvent.fromFile("get-job.json").request("GET", "/v1/jobs/" + jobId));
        assertThat(status.status()).isEqualTo(200);
        assertThat(status.json().path("status").asText()).isEqualTo("queued");
        assertThat(status.json().path("resultUrl").isNull()).isTrue();
    }

    @Test
    void finishedExport_shouldCarryAFreshDownloadLink() {
        String jobId = invoke(ApiEvent.fromFile("submit-job.json")).json().path("jobId").asText();
        JobRequest request = backends.queue().sent().get(0);
        backends.jobs().start(request, 1, clock.instant(), clock.instant().plusSeconds(3600));
        backends.jobs().succeed(request, new JobOutcome(Map.of("messages", 3L), "exports/x.jsonl.gz"),
                clock.instant(), clock.instant().plusSeconds(3600));

        ApiResult status = invoke(ApiEvent.fromFile("get-job.json").request("GET", "/v1/jobs/" + jobId));

        assertThat(status.json().path("status").asText()).isEqualTo("succeeded");
        assertThat(status.json().path("counts").path("messages").asLong()).isEqualTo(3);
        assertThat(status.json().path("resultUrl").asText()).isEqualTo("https://objects.test/exports/x.jsonl.gz?expires=3600");
        assertThat(status.json().path("resultUrlExpiresAt").asText()).isEqualTo("2026-11-28T11:00:00.000Z");
    }

    @Test
    void submitJob_shouldAnswer503AndMarkTheJobFailed_whenTheQueueRefuses() {
        backends.queue().failWith(new IllegalStateException("queue down"));

        ApiResult refused = invoke(ApiEvent.fromFile("submit-job.json"));

        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.errorCode()).isEqualTo("service_unavailable");
    }

    @ParameterizedTest
    @MethodSource("badJobs")
    void submitJob_shouldRejectBadInput(String body, String code) {
        ApiResult rejected = invoke(ApiEvent.fromFile("submit-job.json").body(body));

        assertThat(rejected.status()).isEqualTo(400);
        assertThat(rejected.errorCode()).isEqualTo(code);
        assertThat(backends.queue().sent()).isEmpty();
    }

    static Stream<Arguments> badJobs() {
        return Stream.of(
                Arguments.of("{}", "validation_failed"),
                Arguments.of("{\"type\":\"defragment\"}", "validation_failed"),
                Arguments.of("{\"type\":\"export\",\"chatId\":\"chat-1\"}", "validation_failed"),
                Arguments.of("{\"type\":\"archive\",\"chatId\":\"no/slashes\"}", "invalid_id"),
                Arguments.of("{\"type\":\"archive\",\"extra\":1}", "validation_failed"),
                Arguments.of("[\"archive\"]", "validation_failed"),
                Arguments.of("{\"type\":", "invalid_json"));
    }

    @Test
    void unknownJob_shouldBe404() {
        ApiResult missing = invoke(ApiEvent.fromFile("get-job.json"));

        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.errorCode()).isEqualTo("job_not_found");
    }

    @Test
    void wrongMethod_shouldListTheAllowedOnes() {
        ApiResult result = invoke(list().request("DELETE", "/v1/chats/chat-42/messages"));

        assertThat(result.header("Allow")).isEqualTo("GET, POST");
    }

    @Test
    void base64EncodedBodies_shouldBeDecoded() {
        String json = "{\"userId\":\"u\",\"isBot\":true,\"text\":\"encoded\"}";
        ApiResult result = invoke(append().base64Encoded(true)
                .body(Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8))));

        assertThat(result.status()).isEqualTo(201);
        assertThat(result.json().path("text").asText()).isEqualTo("encoded");
    }

    @Test
    void logs_shouldCarryTheRequestIdAsCorrelationId_andNeverTheMessageText() {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            invoke(append().requestId("req-log-check")
                    .jsonBody(Map.of("userId", "u", "isBot", true, "text", "TOP-SECRET-TEXT",
                            "metadata", Map.of("token", "SECRET-METADATA"))));
        } finally {
            System.setOut(original);
        }

        String logs = captured.toString(StandardCharsets.UTF_8);
        assertThat(logs).contains("request handled")
                .contains("\"correlation_id\":\"req-log-check\"")
                .contains("\"route\":\"/v1/chats/{chatId}/messages\"")
                .contains("\"status\":201");
        assertThat(logs).doesNotContain("TOP-SECRET-TEXT").doesNotContain("SECRET-METADATA");
    }

    private static ApiEvent append() {
        return ApiEvent.fromFile("append-message.json").withoutHeader("Idempotency-Key");
    }

    private static ApiEvent list() {
        return ApiEvent.fromFile("list-messages.json");
    }

    private static ApiEvent edit() {
        return ApiEvent.fromFile("edit-message.json");
    }

    private static ApiEvent settings() {
        return ApiEvent.fromFile("put-settings.json").header("If-Match", "*");
    }
}
