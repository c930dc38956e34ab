package dev.chathistory.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chathistory.shared.attachments.Attachment;
import dev.chathistory.shared.attachments.AttachmentKeys;
import dev.chathistory.shared.attachments.AttachmentStatus;
import dev.chathistory.shared.attachments.ImageType;
import dev.chathistory.shared.config.AttachmentsConfig;
import dev.chathistory.shared.json.Json;
import dev.chathistory.shared.lambda.LocalLambdaContext;
import dev.chathistory.shared.model.ChatRef;
import dev.chathistory.shared.model.Message;
import dev.chathistory.shared.retry.ConflictRetry;
import dev.chathistory.shared.testing.InMemoryAttachmentRepository;
import dev.chathistory.shared.testing.InMemoryMessageRepository;
import dev.chathistory.shared.testing.MutableClock;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The handler on the sample S3 event: every record, keys decoded, bad input acknowledged. */
class AttachmentIngestHandlerTest {

    private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");
    private static final Path SAMPLE = Path.of("../../events/attachment-uploaded.json");

    @TempDir
    Path work;

    private final InMemoryMessageRepository messages = new InMemoryMessageRepository();
    private final InMemoryAttachmentRepository attachments = new InMemoryAttachmentRepository(messages);
    private final InMemoryIngestObjects objects = new InMemoryIngestObjects();
    private final RecordingIngestMetrics metrics = new RecordingIngestMetrics();

    private AttachmentIngestHandler handler(String bucket) {
        Ingestion ingestion = new Ingestion(attachments, objects, AttachmentsConfig.defaults(), new MutableClock(NOW),
                work, ConflictRetry.defaults(), metrics);
        return new AttachmentIngestHandler(ingestion, bucket, metrics::flush);
    }

    private static JsonNode sample() throws IOException {
        return Json.mapper().readTree(Files.readAllBytes(SAMPLE));
    }

    private String invoke(AttachmentIngestHandler handler, String event) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out,
                new LocalLambdaContext());
        return out.toString(StandardCharsets.UTF_8);
    }

    private String pendingUpload(ChatRef chat, String messageId, String attachmentId, byte[] bytes) {
        messages.insert(chat, Message.first(chat.chatId(), messageId, "u1", false, "hi", null, NOW));
        attachments.createPending(chat, Attachment.pending(chat.chatId(), messageId, attachmentId, ImageType.PNG,
                bytes.length, null, NOW), NOW.plusSeconds(3600));
        String key = AttachmentKeys.uploadKey(chat, messageId, attachmentId);
        objects.upload(key, bytes);
        return key;
    }

    @Test
    void sampleEvent_shouldIngestTheUploadItNames() throws IOException {
        JsonNode event = sample();
        JsonNode record = event.path("Records").get(0);
        AttachmentKeys.UploadKey upload = AttachmentKeys.parseUploadKey(
                record.path("s3").path("object").path("key").asText()).orElseThrow();
        pendingUpload(upload.chat(), upload.messageId(), upload.attachmentId(), TestImages.png(40, 30, 1));

        String result = invoke(handler(record.path("s3").path("bucket").path("name").asText()), event.toString());

        assertThat(result).isEqualTo("{}");
        assertThat(attachments.find(upload.chat(), upload.messageId(), upload.attachmentId()).orElseThrow().status())
                .isEqualTo(AttachmentStatus.READY);
        assertThat(metrics.flushes).isEqualTo(1);
    }

    @Test
    void everyRecord_shouldBeProcessed_withUrlEncodedKeysDecoded() throws IOException {
        ChatRef chat = new ChatRef("default", "chat:with.dots");
        String first = pendingUpload(chat, "m:1", "a1", TestImages.png(10, 10, 2));
        String second = pendingUpload(chat, "m:2", "a2", TestImages.gif(10, 10, 3));
        ObjectNode event = (ObjectNode) sample();
        ObjectNode template = (ObjectNode) event.path("Records").get(0);
        event.putArray("Records")
                .add(withKey(template, first.replace(":", "%3A")))
                .add(withKey(template, second.replace(":", "%3A")));

        invoke(handler("chat-history-attachments-123456789012-us-east-1"), event.toString());

        assertThat(attachments.find(chat, "m:1", "a1").orElseThrow().status()).isEqualTo(AttachmentStatus.READY);
        assertThat(attachments.find(chat, "m:2", "a2").orElseThrow().status())
                .as("declared PNG, is a GIF").isEqualTo(AttachmentStatus.REJECTED);
    }

    @Test
    void malformedOrForeignEvents_shouldBeAcknowledged_withoutTouchingAnything() throws IOException {
        AttachmentIngestHandler handler = handler("chat-history-attachments-123456789012-us-east-1");
        String key = pendingUpload(new ChatRef("default", "c"), "m", "a", TestImages.png(10, 10, 4));
        ObjectNode template = (ObjectNode) sample().path("Records").get(0);
        ObjectNode foreignBucket = withKey(template, key);
        ((ObjectNode) foreignBucket.path("s3").path("bucket")).put("name", "someone-elses-bucket");
        ObjectNode removal = withKey(template, key).put("eventName", "ObjectRemoved:Delete");

        for (String event : new String[] {"", "not json", "[]", "{\"Records\":{}}", "{\"Records\":[{}, 42]}",
                "{\"Records\":[" + foreignBucket + "," + removal + "]}",
                "{\"Records\":[" + withKey(template, "uploads/%ZZ") + "]}"}) {
            assertThat(invoke(handler, event)).as(event).isEqualTo("{}");
        }
        assertThat(objects.objects()).containsOnlyKeys(key);
    }

    @Test
    void aFailingRecord_shouldFailTheInvocation_afterTheOthersAreDone() throws IOException {
        ChatRef chat = new ChatRef("default", "c");
        String good = pendingUpload(chat, "m1", "a1", TestImages.png(10, 10, 5));
        ObjectNode template = (ObjectNode) sample().path("Records").get(0);
        IngestObjects broken = new IngestObjects() {
            @Override
            public java.util.Optional<Download> download(String key, long maxBytes, Path directory)
                    throws IOException, TooLargeException {
                if (key.endsWith("a0")) {
                    throw new IOException("connection reset");
                }
                return objects.download(key, maxBytes, directory);
            }

            @Override
            public void putImmutable(String key, Path file, String contentType) {
                objects.putImmutable(key, file, contentType);
            }

            @Override
            public void putImmutable(String key, byte[] bytes, String contentType) {
                objects.putImmutable(key, bytes, contentType);
            }

            @Override
            public void delete(String key) {
                objects.delete(key);
            }
        };
        String failing = pendingUpload(chat, "m0", "a0", TestImages.png(10, 10, 6));
        AttachmentIngestHandler handler = new AttachmentIngestHandler(new Ingestion(attachments, broken,
                AttachmentsConfig.defaults(), new MutableClock(NOW), work, ConflictRetry.defaults(), metrics),
                "chat-history-attachments-123456789012-us-east-1", metrics::flush);
        String event = "{\"Records\":[" + withKey(template, failing) + "," + withKey(template, good) + "]}";

        assertThatThrownBy(() -> invoke(handler, event)).hasMessageContaining("could not read the upload");

        assertThat(attachments.find(chat, "m1", "a1").orElseThrow().status()).isEqualTo(AttachmentStatus.READY);
        assertThat(attachments.find(chat, "m0", "a0").orElseThrow().status()).isEqualTo(AttachmentStatus.PENDING);
    }

    private static ObjectNode withKey(ObjectNode record, String key) {
        ObjectNode copy = record.deepCopy();
        ((ObjectNode) copy.path("s3").path("object")).put("key", key);
        return copy;
    }
}
