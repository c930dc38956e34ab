package dev.chathistory.messageapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.chathistory.messageapi.testing.ApiEvent;
import dev.chathistory.messageapi.testing.ApiResult;
import dev.chathistory.messageapi.testing.TestBackends;
import dev.chathistory.shared.archive.ArchivedHistory;
import dev.chathistory.shared.config.JobsConfig;
import dev.chathistory.shared.error.StorageUnavailableException;
import dev.chathistory.shared.lambda.LocalLambdaContext;
import dev.chathistory.shared.repository.MessageRepository;
import dev.chathistory.shared.testing.MutableClock;
import dev.chathistory.shared.testing.RecordingAttachmentStorage;
import dev.chathistory.shared.testing.RecordingMetrics;
import dev.chathistory.shared.testing.TestConfigs;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Nothing a client sends may reach the logs: not message text or metadata, not credentials, not
 * idempotency keys, settings or filenames, and not the chat and user ids that identify people.
 * Each test drives requests carrying such secrets, successes and failures alike, while capturing
 * stdout and stderr (where the JSON log lines go), and checks every captured line afterwards.
 *
 * <p>The package's loggers run at TRACE here: production can be made that verbose with
 * {@code POWERTOOLS_LOG_LEVEL}, and a debug line that leaks is a leak waiting for an incident.
 * Every request must leave at least its "request handled" line in the capture, so a capture that
 * silently caught nothing would fail rather than pass.
 */
class LogSafetyTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * Unique per run, so nothing else in the output contains it by chance. Letters, digits and
     * hyphens only: valid in ids, and no JSON escaping in a log line can disguise it.
     */
    private static final String MARKER = "lsmark" + HexFormat.of().formatHex(randomBytes(8));
    /** An API key as bots will send it: 32 random bytes, base64url, 43 characters. */
    private static final String BEARER_KEY = Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(32));

    private static final String CHAT = "chat-" + MARKER;
    private static final String USER = "user-" + MARKER;
    private static final String TEXT = "text " + MARKER;
    private static final String METADATA_KEY = "key" + MARKER;
    private static final String METADATA_VALUE = "metadata " + MARKER;
    private static final String IDEMPOTENCY_KEY = "idem-" + MARKER;
    private static final String SETTINGS_VALUE = "setting " + MARKER;
    private static final String FILENAME = "photo-" + MARKER + ".png";
    private static final String MESSAGES = "/v1/chats/" + CHAT + "/messages";

    /** What must never appear in a log line, by name for the failure message. */
    private static final Map<String, String> SECRETS = secrets();

    private static Map<String, String> secrets() {
        Map<String, String> secrets = new LinkedHashMap<>();
        secrets.put("marker (in text, metadata, ids, keys, settings, filenames)", MARKER);
        secrets.put("bearer key", BEARER_KEY);
        secrets.put("idempotency key", IDEMPOTENCY_KEY);
        secrets.put("filename", FILENAME);
        return secrets;
    }

    private static Level originalLevel;

    private final TestBackends backends = TestBackends.create();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T10:00:00Z"));
    private final List<String> captured = new ArrayList<>();
    private MessageApiHandler handler = handlerOn(backends.backends());
    private int requests;

    @BeforeAll
    static void logEverythingOurCodeCanLog() {
        originalLevel = LogManager.getLogger("dev.chathistory").getLevel();
        Configurator.setLevel("dev.chathistory", Level.TRACE);
    }

    @AfterAll
    static void restoreLogLevel() {
        Configurator.setLevel("dev.chathistory", originalLevel);
    }

    @AfterEach
    void capturedLines_shouldCarryNoSecret() {
        assertThat(requests).as("requests sent by the test").isPositive();
        assertThat(captured).as("captured log lines").hasSizeGreaterThanOrEqualTo(requests);
        SECRETS.forEach((name, secret) -> assertThat(captured.stream().filter(line -> line.contains(secret))
                .findFirst())
                .as("a log line containing the %s %s", name, secret)
                .isEmpty());
    }

    @Test
    void capture_shouldRunAtTraceLevel_soDebugLinesAreCheckedToo() {
        assertThat(LoggerFactory.getLogger(MessageApi.class).isTraceEnabled()).isTrue();
        assertThat(BEARER_KEY).hasSize(43);

        send(list(), 200);
    }

    @Test
    void append_shouldNotLogTextMetadataKeyOrCredentials_alsoOnReplayAndReuse() {
        send(append(TEXT).header("Idempotency-Key", IDEMPOTENCY_KEY), 201);
        send(append(TEXT).header("Idempotency-Key", IDEMPOTENCY_KEY), 201);
        send(append("other " + TEXT).header("Idempotency-Key", IDEMPOTENCY_KEY), 422);
        send(append(TEXT).header("Idempotency-Key", "bad key " + MARKER), 400);
    }

    @Test
    void readsEditsAndDeletes_shouldNotLogContent_alsoWhenRefused() {
        String id = send(append(TEXT), 201).json().path("messageId").asText();
        String path = MESSAGES + "/" + id;

        send(ApiEvent.fromFile("get-message.json").request("GET", path), 200);
        send(list().query("includeDeleted", "true"), 200);
        send(ApiEvent.fromFile("edit-message.json").request("PATCH", path).header("If-Match", "\"1\"")
                .jsonBody(Map.of("text", "edited " + TEXT, "metadata", Map.of(METADATA_KEY, METADATA_VALUE))), 200);
        send(ApiEvent.fromFile("list-versions.json").request("GET", path + "/versions"), 200);
        send(ApiEvent.fromFile("edit-message.json").request("PATCH", path).header("If-Match", "\"1\"")
                .jsonBody(Map.of("text", "stale " + TEXT)), 412);
        send(ApiEvent.fromFile("edit-message.json").request("PATCH", path).withoutHeader("If-Match")
                .jsonBody(Map.of("text", "unconditional " + TEXT)), 428);
        send(ApiEvent.fromFile("edit-message.json").request("PATCH", path).header("If-Match", "\"" + MARKER + "\"")
                .jsonBody(Map.of("text", TEXT)), 400);
        send(ApiEvent.fromFile("delete-message.json").request("DELETE", path).header("If-Match", "\"2\""), 200);
        send(ApiEvent.fromFile("edit-message.json").request("PATCH", path).header("If-Match", "\"3\"")
                .jsonBody(Map.of("text", "after delete " + TEXT)), 409);
        send(ApiEvent.fromFile("get-message.json").request("GET", path), 404);
        send(ApiEvent.fromFile("get-message.json").request("GET", MESSAGES + "/" + MARKER), 404);
        send(list().query("cursor", MARKER), 400);
    }

    @Test
    void settings_shouldNotLogTheirValues() {
        String path = "/v1/users/" + USER + "/settings";

        send(ApiEvent.fromFile("put-settings.json").request("PUT", path).header("If-Match", "\"0\"")
                .jsonBody(Map.of("apiToken", SETTINGS_VALUE)), 200);
        send(ApiEvent.fromFile("get-settings.json").request("GET", path), 200);
        send(ApiEvent.fromFile("put-settings.json").request("PUT", path).header("If-Match", "\"0\"")
                .jsonBody(Map.of("apiToken", "stale " + SETTINGS_VALUE)), 412);
        send(ApiEvent.fromFile("put-settings.json").request("PUT", path).header("If-Match", "*")
                .jsonBody(Map.of("apiToken", SETTINGS_VALUE.repeat(2_000))), 400);
    }

    @Test
    void attachments_shouldNotLogFilenames() {
        String id = send(append(TEXT), 201).json().path("messageId").asText();
        String path = MESSAGES + "/" + id + "/attachments";

        String attachmentId = send(upload(path, FILENAME), 201).json().path("attachmentId").asText();
        send(ApiEvent.fromFile("list-attachments.json").request("GET", path), 200);
        send(ApiEvent.fromFile("get-attachment.json").request("GET", path + "/" + attachmentId), 200);
        send(upload(path, "../" + FILENAME), 400);
        send(upload(MESSAGES + "/01JDXK3M7Q8Z5V2N4T6R9W1Y0B/attachments", FILENAME), 404);
    }

    @Test
    void jobs_shouldNotLogWhoOrWhichChat_alsoWhenTheQueueRefuses() {
        String path = "/v1/users/" + USER + "/jobs";

        String jobId = send(job(path, Map.of("type", "export")), 202).json().path("jobId").asText();
        send(job(path, Map.of("type", "archive", "chatId", CHAT)), 202);
        send(ApiEvent.fromFile("get-job.json").request("GET", "/v1/jobs/" + jobId), 200);
        send(ApiEvent.fromFile("get-job.json").request("GET", "/v1/jobs/" + MARKER), 404);
        send(job(path, Map.of("type", "archive", "chatId", MARKER + "#x")), 400);

        backends.queue().failWith(new IllegalStateException("queue down"));
        send(job(path, Map.of("type", "archive", "chatId", CHAT)), 503, "could not enqueue job");
    }

    @Test
    void badRequests_shouldNotLogWhatTheyCarried() {
        send(append(TEXT).body("{\"userId\": \"" + USER + "\", \"text\": \"" + TEXT + "\" " + MARKER), 400);
        send(append(TEXT).jsonBody(Map.of("userId", USER, "isBot", true, "text", TEXT, METADATA_KEY, "x")), 400);
        send(append(TEXT).jsonBody(Map.of("userId", USER + "/..", "isBot", true, "text", TEXT)), 400);
        send(append(TEXT).request("POST", "/v1/chats/" + MARKER + "%23x/messages"), 400);
        send(append(TEXT).request("GET", "/v1/" + MARKER + "/anything"), 404);
        send(append(TEXT).request("PUT", MESSAGES), 405);
        send(append(TEXT).body("{\"text\":\"" + TEXT + "x".repeat(300_000) + "\"}"), 413);
        send(append(TEXT).header("Content-Type", "text/plain"), 415);
        send(append(TEXT).base64Encoded(true).body(MARKER), 400);
    }

    @Test
    void failingStorage_shouldLogTheFailure_butNoneOfTheRequest() {
        AwsServiceException unavailable = AwsServiceException.builder().statusCode(503).message("simulated outage")
                .awsErrorDetails(AwsErrorDetails.builder().serviceName("DynamoDb").errorCode("ServiceUnavailable")
                        .build())
                .build();

        handler = handlerOn(backendsWithMessages(failing(new IllegalStateException("simulated storage failure"))));
        send(append(TEXT).header("Idempotency-Key", IDEMPOTENCY_KEY), 500, "unhandled error",
                "simulated storage failure");
        send(ApiEvent.fromFile("get-message.json").request("GET", MESSAGES + "/01JDXK3M7Q8Z5V2N4T6R9W1Y0B"), 500,
                "unhandled error");
        // What the factory's clients raise once the SDK's retries are spent (StorageFailures).
        handler = handlerOn(backendsWithMessages(failing(
                new StorageUnavailableException("DynamoDB", "ServiceUnavailable", unavailable))));
        send(append(TEXT), 503, "DynamoDB unavailable after retries: ServiceUnavailable");
        handler = handlerOn(backendsWithMessages(failing(new StorageUnavailableException("DynamoDB",
                "ApiCallTimeoutException", SdkClientException.create("simulated timeout")))));
        send(list(), 503, "DynamoDB unavailable after retries: ApiCallTimeoutException");
        // An SDK exception nothing translated is a fault of ours, not an outage.
        handler = handlerOn(backendsWithMessages(failing(unavailable)));
        send(list(), 500, "unhandled error");

        handler = handlerOn(backends.backends());
        backends.users().failActivityWrites(new IllegalStateException("simulated activity failure"));
        send(append(TEXT), 201, "could not record user activity");
    }

    // ---------------------------------------------------------------- helpers

    /**
     * Sends one request (with the bearer key, as every bot request will carry one), captures
     * everything written to stdout and stderr meanwhile, and checks that the capture caught this
     * request's line and any other line the path is known to write.
     */
    private ApiResult send(ApiEvent event, int expectedStatus, String... expectedLogFragments) {
        String requestId = "req-logsafety-" + ++requests;
        APIGatewayV2HTTPEvent apiEvent = event.requestId(requestId).header("Authorization", "Bearer " + BEARER_KEY)
                .toEvent();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        ApiResult result;
        try {
            result = ApiResult.of(handler.handleRequest(apiEvent, new LocalLambdaContext()));
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
        List<String> lines = Stream.concat(out.toString(StandardCharsets.UTF_8).lines(),
                err.toString(StandardCharsets.UTF_8).lines()).toList();
        captured.addAll(lines);

        // The status proves the request took the path it is meant to exercise.
        assertThat(result.status()).as("status of %s: %s", requestId, result.body()).isEqualTo(expectedStatus);
        assertThat(lines).as("captured lines of %s", requestId)
                .anyMatch(line -> line.contains("\"correlation_id\":\"" + requestId + "\"")
                        && line.contains("request handled"));
        for (String fragment : expectedLogFragments) {
            assertThat(lines).as("captured lines of %s", requestId).anyMatch(line -> line.contains(fragment));
        }
        return result;
    }

    private MessageApiHandler handlerOn(Backends wiring) {
        return new MessageApiHandler(MessageApi.create(TestConfigs.inMemory(), JobsConfig.of("queue", "bucket"), wiring,
                new RecordingMetrics(), clock), () -> { });
    }

    private Backends backendsWithMessages(MessageRepository messages) {
        return new Backends(messages, backends.users(), ArchivedHistory.none(),
                backends.jobs(), backends.queue(), backends.objects(), backends.attachments(),
                new RecordingAttachmentStorage(), backends.retention(), backends.branches());
    }

    /** A message repository whose every call fails with {@code failure}. */
    private static MessageRepository failing(RuntimeException failure) {
        return (MessageRepository) Proxy.newProxyInstance(MessageRepository.class.getClassLoader(),
                new Class<?>[] {MessageRepository.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "toString" -> "failing message repository";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw failure;
                });
    }

    private static ApiEvent append(String text) {
        return ApiEvent.fromFile("append-message.json").request("POST", MESSAGES).withoutHeader("Idempotency-Key")
                .jsonBody(Map.of("userId", USER, "isBot", false, "text", text,
                        "metadata", Map.of(METADATA_KEY, METADATA_VALUE)));
    }

    private static ApiEvent list() {
        return ApiEvent.fromFile("list-messages.json").request("GET", MESSAGES);
    }

    private static ApiEvent upload(String path, String filename) {
        return ApiEvent.fromFile("create-attachment.json").request("POST", path)
                .jsonBody(Map.of("contentType", "image/png", "size", 500, "filename", filename));
    }

    private static ApiEvent job(String path, Map<String, String> body) {
        return ApiEvent.fromFile("submit-job.json").request("POST", path).withoutHeader("Content-Length")
                .jsonBody(body);
    }

    private static byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
