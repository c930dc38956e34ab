package dev.chathistory.messageapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chathistory.messageapi.testing.ApiEvent;
import dev.chathistory.messageapi.testing.ApiResult;
import dev.chathistory.messageapi.testing.TestBackends;
import dev.chathistory.shared.attachments.Attachment;
import dev.chathistory.shared.attachments.AttachmentRepository;
import dev.chathistory.shared.attachments.Blob;
import dev.chathistory.shared.attachments.BlobId;
import dev.chathistory.shared.attachments.ImageType;
import dev.chathistory.shared.config.AttachmentsConfig;
import dev.chathistory.shared.config.JobsConfig;
import dev.chathistory.shared.lambda.LocalLambdaContext;
import dev.chathistory.shared.model.ChatRef;
import dev.chathistory.shared.testing.InMemoryAttachmentRepository;
import dev.chathistory.shared.testing.MutableClock;
import dev.chathistory.shared.testing.RecordingMetrics;
import dev.chathistory.shared.testing.TestConfigs;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The attachment routes on in-memory repositories: what a bot may upload, and what it sees. */
class AttachmentRoutesTest {

    private static final ChatRef CHAT = new ChatRef(TestConfigs.TENANT, "chat-42");
    private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");

    private final TestBackends backends = TestBackends.create();
    private final InMemoryAttachmentRepository attachments = backends.attachments();
    private final MutableClock clock = new MutableClock(NOW);
    private final AttachmentsConfig config = new AttachmentsConfig(1000, 2, Duration.ofMinutes(5),
            Duration.ofMinutes(15), 50_000_000, 16_384, 320, Duration.ofHours(24));
    private final MessageApiHandler handler = new MessageApiHandler(
            MessageApi.create(TestConfigs.inMemory(), JobsConfig.of("queue", "bucket"), config, backends.backends(),
                    new RecordingMetrics(), clock),
            () -> { });

    private ApiResult invoke(ApiEvent event) {
        return ApiResult.of(handler.handleRequest(event.toEvent(), new LocalLambdaContext()));
    }

    private String appendMessage() {
        return invoke(ApiEvent.fromFile("append-message.json").withoutHeader("Idempotency-Key")
                .jsonBody(Map.of("userId", "user-7", "isBot", false, "text", "look at this")))
                .json().path("messageId").asText();
    }

    private static String attachmentsPath(String messageId) {
        return "/v1/chats/chat-42/messages/" + messageId + "/attachments";
    }

    private ApiResult createUpload(String messageId, Object body) {
        return invoke(ApiEvent.fromFile("create-attachment.json").request("POST", attachmentsPath(messageId))
                .jsonBody(body));
    }

    private static Map<String, Object> png(long size) {
        return Map.of("contentType", "image/png", "size", size, "filename", "sunset.png");
    }

    @Test
    void createUpload_shouldReturnAPresignedPut_boundToTypeAndLength_andAPendingAttachment() {
        String messageId = appendMessage();

        ApiResult created = createUpload(messageId, png(500));

        assertThat(created.status()).isEqualTo(201);
        JsonNode body = created.json();
        String attachmentId = body.path("attachmentId").asText();
        assertThat(created.header("Location")).isEqualTo(attachmentsPath(messageId) + "/" + attachmentId);
        assertThat(body.path("status").asText()).isEqualTo("pending");
        assertThat(body.path("declaredContentType").asText()).isEqualTo("image/png");
        assertThat(body.path("filename").asText()).isEqualTo("sunset.png");
        JsonNode upload = body.path("upload");
        assertThat(upload.path("method").asText()).isEqualTo("PUT");
        assertThat(upload.path("url").asText())
                .contains("uploads/" + TestConfigs.TENANT + "/chat-42/" + messageId + "/" + attachmentId)
                .contains("type=image/png").contains("length=500").contains("ttl=300");
        assertThat(upload.path("headers").path("Content-Type").asText()).isEqualTo("image/png");
        assertThat(upload.path("headers").path("Content-Length").asText()).isEqualTo("500");
        assertThat(Instant.parse(upload.path("expiresAt").asText())).isEqualTo(NOW.plusSeconds(300));

        ApiResult fetched = invoke(ApiEvent.fromFile("get-attachment.json")
                .request("GET", attachmentsPath(messageId) + "/" + attachmentId));
        ApiResult listed = invoke(ApiEvent.fromFile("list-attachments.json").request("GET", attachmentsPath(messageId)));
        assertThat(fetched.status()).isEqualTo(200);
        assertThat(fetched.json().path("status").asText()).isEqualTo("pending");
        assertThat(fetched.json().path("url").isNull()).as("no link before the bytes are checked").isTrue();
        assertThat(listed.json().path("items")).hasSize(1);
    }

    static Stream<Arguments> badUploads() {
        Map<String, Object> unknownField = new HashMap<>(png(10));
        unknownField.put("sha256", "abc");
        return Stream.of(
                Arguments.of(Map.of("contentType", "text/plain", "size", 10), 415, "unsupported_media_type"),
                Arguments.of(Map.of("contentType", "image/svg+xml", "size", 10), 415, "unsupported_media_type"),
                Arguments.of(png(1001), 413, "attachment_too_large"),
                Arguments.of(Map.of("contentType", "image/png"), 400, "validation_failed"),
                Arguments.of(Map.of("contentType", "image/png", "size", "10"), 400, "validation_failed"),
                Arguments.of(Map.of("contentType", "image/png", "size", 1.5), 400, "validation_failed"),
                Arguments.of(Map.of("contentType", "image/png", "size", 0), 400, "validation_failed"),
                Arguments.of(Map.of("size", 10), 400, "validation_failed"),
                Arguments.of(Map.of("contentType", "image/png", "size", 10, "filename", "../../etc/passwd"), 400,
                        "validation_failed"),
                Arguments.of(unknownField, 400, "validation_failed"));
    }

    @ParameterizedTest
    @MethodSource("badUploads")
    void createUpload_shouldRefuseBadRequests_withoutRecordingAnything(Map<String, Object> body, int status,
                                                                      String code) {
        String messageId = appendMessage();

        ApiResult result = createUpload(messageId, body);

        assertThat(result.status()).isEqualTo(status);
        assertThat(result.errorCode()).isEqualTo(code);
        assertThat(attachments.all()).isEmpty();
    }

    @Test
    void createUpload_shouldRefuseMissingAndDeletedMessages_andMoreThanTheLimit() {
        ApiResult missing = createUpload("01JDXK3M7Q8Z5V2N4T6R9W1Y0B", png(10));
        String messageId = appendMessage();
        createUpload(messageId, png(10));
        createUpload(messageId, png(10));
        ApiResult third = createUpload(messageId, png(10));
        String deletedId = appendMessage();
        invoke(ApiEvent.fromFile("delete-message.json").request("DELETE", "/v1/chats/chat-42/messages/" + deletedId)
                .header("if-match", "\"1\""));
        ApiResult onDeleted = createUpload(deletedId, png(10));

        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.errorCode()).isEqualTo("message_not_found");
        assertThat(third.status()).isEqualTo(409);
        assertThat(third.errorCode()).isEqualTo("too_many_attachments");
        assertThat(onDeleted.status()).isEqualTo(409);
        assertThat(onDeleted.errorCode()).isEqualTo("message_deleted");
        assertThat(attachments.all()).hasSize(2);
    }

    @Test
    void getAttachment_shouldBe404ForUnknownIds_and400ForInvalidOnes() {
        String messageId = appendMessage();

        ApiResult unknown = invoke(ApiEvent.fromFile("get-attachment.json")
                .request("GET", attachmentsPath(messageId) + "/01JDXK4A2B3C4D5E6F7G8H9J0K"));
        ApiResult invalid = invoke(ApiEvent.fromFile("get-attachment.json")
                .request("GET", attachmentsPath(messageId) + "/bad%23id"));
        ApiResult unknownMessage = invoke(ApiEvent.fromFile("list-attachments.json")
                .request("GET", attachmentsPath("01JDXK3M7Q8Z5V2N4T6R9W1Y0B")));

        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.errorCode()).isEqualTo("attachment_not_found");
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(unknownMessage.status()).isEqualTo(404);
        assertThat(unknownMessage.errorCode()).isEqualTo("message_not_found");
    }

    @Test
    void readyAttachment_shouldShowWhatTheBytesAre_withShortLivedLinks_andGoWithItsMessage() {
        String messageId = appendMessage();
        String attachmentId = createUpload(messageId, png(500)).json().path("attachmentId").asText();
        String sha = "c0".repeat(32);
        BlobId blob = new BlobId(CHAT.tenantId(), sha);
        attachments.createBlob(Blob.unstored(blob, ImageType.PNG, 480, 640, 480, "image/jpeg", NOW));
        attachments.markBlobStored(blob);
        Attachment pending = attachments.find(CHAT, messageId, attachmentId).orElseThrow();
        assertThat(attachments.markReady(CHAT, pending.ready(attachments.findBlob(blob).orElseThrow(), NOW)))
                .isEqualTo(AttachmentRepository.ReadyOutcome.READY);

        JsonNode ready = invoke(ApiEvent.fromFile("get-attachment.json")
                .request("GET", attachmentsPath(messageId) + "/" + attachmentId)).json();

        assertThat(ready.path("status").asText()).isEqualTo("ready");
        assertThat(ready.path("contentType").asText()).isEqualTo("image/png");
        assertThat(ready.path("size").asLong()).isEqualTo(480);
        assertThat(ready.path("width").asInt()).isEqualTo(640);
        assertThat(ready.path("height").asInt()).isEqualTo(480);
        assertThat(ready.path("sha256").asText()).isEqualTo(sha);
        String tenant = CHAT.tenantId();
        assertThat(ready.path("url").asText()).contains("blobs/" + tenant + "/sha256/" + sha).contains("ttl=900");
        assertThat(ready.path("thumbnailUrl").asText()).contains("thumbnails/" + tenant + "/sha256/" + sha);
        assertThat(attachments.findBlob(blob).orElseThrow().references()).isEqualTo(1);

        ApiResult deleted = invoke(ApiEvent.fromFile("delete-message.json")
                .request("DELETE", "/v1/chats/chat-42/messages/" + messageId).header("if-match", "\"1\""));

        assertThat(deleted.status()).isEqualTo(200);
        assertThat(attachments.all()).isEmpty();
        assertThat(attachments.findBlob(blob).orElseThrow().references()).isZero();
        assertThat(attachments.listUnreferencedBlobs(NOW.plusSeconds(1), 10)).containsExactly(blob);
    }
}
