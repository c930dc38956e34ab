package dev.chathistory.attachments;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chathistory.ingest.TestImages;
import dev.chathistory.local.aws.FaultPlan;
import dev.chathistory.maintenance.TimeBudget;
import dev.chathistory.maintenance.UnreferencedBlobSweep;
import dev.chathistory.shared.archive.Gzip;
import dev.chathistory.shared.attachments.AttachmentStatus;
import dev.chathistory.shared.attachments.Blob;
import dev.chathistory.shared.attachments.BlobId;
import dev.chathistory.shared.json.Json;
import dev.chathistory.shared.model.ChatRef;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.imageio.ImageIO;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Image attachments end to end on the local stack: real images made here, uploaded through
 * presigned links, ingested by the S3-triggered function, read back over HTTP.
 */
class AttachmentsIT {

    /** Ids with ':' and '.', which S3 events carry URL-encoded. */
    private static final String CHAT = "chat:photos.v1";

    private static AttachmentsStack stack;

    @BeforeAll
    static void deploy() throws Exception {
        stack = new AttachmentsStack();
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** This stack's tenant's blob of these bytes. */
    private static BlobId blob(String sha256) {
        return new BlobId(stack.tenant, sha256);
    }

    private static byte[] image(String type, int width, int height, long seed) {
        return switch (type) {
            case "image/jpeg" -> TestImages.jpeg(width, height, seed);
            case "image/png" -> TestImages.pngWithAlpha(width, height, seed);
            case "image/gif" -> TestImages.gif(width, height, seed);
            case "image/webp" -> TestImages.webp(width, height, 0xFF336699 + (int) seed);
            default -> throw new IllegalArgumentException(type);
        };
    }

    @ParameterizedTest
    @CsvSource({
        "image/jpeg, 1024, 768, image/jpeg",
        "image/png, 300, 500, image/png",
        "image/gif, 120, 90, image/jpeg",
        "image/webp, 640, 200, image/jpeg",
    })
    void eachAllowedType_shouldBecomeReady_withItsRealDimensions_hashAndThumbnail(
            String type, int width, int height, String thumbnailType) throws Exception {
        byte[] bytes = image(type, width, height, width);
        String messageId = stack.appendMessage(CHAT);

        String attachmentId = stack.upload(CHAT, messageId, type, bytes.length, bytes, "picture");
        JsonNode ready = stack.awaitDecided(CHAT, messageId, attachmentId);

        assertThat(ready.path("status").asText()).as(ready.toString()).isEqualTo("ready");
        assertThat(ready.path("contentType").asText()).isEqualTo(type);
        assertThat(ready.path("width").asInt()).isEqualTo(width);
        assertThat(ready.path("height").asInt()).isEqualTo(height);
        assertThat(ready.path("size").asLong()).isEqualTo(bytes.length);
        assertThat(ready.path("sha256").asText()).isEqualTo(sha256(bytes));
        assertThat(stack.download(ready.path("url").asText())).isEqualTo(bytes);
        byte[] thumbnailBytes = stack.download(ready.path("thumbnailUrl").asText());
        BufferedImage thumbnail = ImageIO.read(new ByteArrayInputStream(thumbnailBytes));
        assertThat(Math.max(thumbnail.getWidth(), thumbnail.getHeight())).isLessThanOrEqualTo(320);
        assertThat((double) thumbnail.getWidth() / thumbnail.getHeight())
                .isCloseTo((double) width / height, Offset.offset(0.05));
        String sha = sha256(bytes);
        assertThat(stack.s3.headObject(b -> b.bucket(stack.bucket).key(blob(sha).thumbnailKey())).contentType())
                .isEqualTo(thumbnailType);
        assertThat(stack.s3.headObject(b -> b.bucket(stack.bucket).key(blob(sha).objectKey())).cacheControl())
                .isEqualTo("private, no-cache");
        assertThat(stack.keys("uploads/")).as("the upload is removed once ingested")
                .noneMatch(key -> key.endsWith(attachmentId));
    }

    @Test
    void imagesAndThumbnails_shouldBeCacheablePrivatelyOnly_andNeverReusedWithoutAskingS3() throws Exception {
        byte[] photo = TestImages.jpeg(200, 150, 777);
        String messageId = stack.appendMessage("chat-cache");
        String attachmentId = stack.upload("chat-cache", messageId, "image/jpeg", photo.length, photo, null);
        JsonNode ready = stack.awaitDecided("chat-cache", messageId, attachmentId);

        // "private": no shared cache (CDN, proxy) may keep a copy that outlives an erase.
        // "no-cache": a browser's copy is reused only after S3 says it is still good, which a
        // link past its life (or an image deleted since) cannot get.
        for (String link : List.of(ready.path("url").asText(), ready.path("thumbnailUrl").asText())) {
            HttpResponse<byte[]> response = stack.fetch(link);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().allValues("Cache-Control")).containsExactly("private, no-cache");
        }
    }

    @Test
    void theSameImage20Times_someConcurrently_shouldStoreOneBlob_and20Attachments() throws Exception {
        byte[] sticker = TestImages.pngWithAlpha(256, 256, 4242);
        String sha = sha256(sticker);
        List<String[]> uploads = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String messageId = stack.appendMessage("chat-stickers");
            uploads.add(new String[] {messageId, stack.upload("chat-stickers", messageId, "image/png",
                    sticker.length, sticker, "sticker.png")});
        }
        ExecutorService pool = Executors.newFixedThreadPool(5);
        try {
            List<Future<String[]>> concurrent = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                concurrent.add(pool.submit(() -> {
                    String messageId = stack.appendMessage("chat-stickers");
                    return new String[] {messageId, stack.upload("chat-stickers", messageId, "image/png",
                            sticker.length, sticker, "sticker.png")};
                }));
            }
            for (Future<String[]> upload : concurrent) {
                uploads.add(upload.get());
            }
        } finally {
            pool.shutdown();
        }

        for (String[] upload : uploads) {
            JsonNode decided = stack.awaitDecided("chat-stickers", upload[0], upload[1]);
            assertThat(decided.path("status").asText()).as(decided.toString()).isEqualTo("ready");
            assertThat(decided.path("sha256").asText()).isEqualTo(sha);
        }
        assertThat(uploads).hasSize(20);
        assertThat(stack.keys(blob(sha).objectKey())).hasSize(1);
        assertThat(stack.keys(blob(sha).thumbnailKey())).hasSize(1);
        Blob blob = stack.attachments.findBlob(blob(sha)).orElseThrow();
        assertThat(blob.references()).isEqualTo(20);
        assertThat(blob.stored()).isTrue();
    }

    @Test
    void bytesAnotherTenantStored_shouldBeCheckedAndStoredAfresh_soIngestionRevealsNothingAboutThem()
            throws Exception {
        byte[] photo = TestImages.jpeg(640, 480, 2468);
        String sha = sha256(photo);
        AttachmentsStack otherBot = stack.asTenant("other-photos-tenant");
        String ourMessage = stack.appendMessage("chat-shared");
        String ourAttachment = stack.upload("chat-shared", ourMessage, "image/jpeg", photo.length, photo, null);
        assertThat(stack.awaitDecided("chat-shared", ourMessage, ourAttachment).path("status").asText())
                .isEqualTo("ready");
        List<String> oursStored = stack.keys("blobs/" + stack.tenant + "/");

        String theirMessage = otherBot.appendMessage("chat-shared");
        String theirAttachment = otherBot.upload("chat-shared", theirMessage, "image/jpeg", photo.length, photo,
                null);
        JsonNode theirs = otherBot.awaitDecided("chat-shared", theirMessage, theirAttachment);

        // The other tenant's ingestion took the path of never-seen bytes: a blob record of its
        // own, and an image and a thumbnail (made by decoding) of its own.
        assertThat(theirs.path("status").asText()).as(theirs.toString()).isEqualTo("ready");
        assertThat(theirs.path("sha256").asText()).isEqualTo(sha);
        BlobId theirBlob = new BlobId(otherBot.tenant, sha);
        assertThat(stack.attachments.findBlob(theirBlob).orElseThrow().references()).isEqualTo(1);
        assertThat(stack.keys(theirBlob.objectKey())).hasSize(1);
        assertThat(stack.keys(theirBlob.thumbnailKey())).hasSize(1);
        assertThat(URI.create(theirs.path("url").asText()).getPath()).contains("/" + theirBlob.objectKey());
        assertThat(otherBot.download(theirs.path("url").asText())).isEqualTo(photo);
        // And nothing of ours moved: same objects, still one reference.
        assertThat(stack.keys("blobs/" + stack.tenant + "/")).isEqualTo(oursStored);
        assertThat(stack.attachments.findBlob(blob(sha)).orElseThrow().references()).isEqualTo(1);
    }

    @Test
    void rejectedUploads_shouldSayWhy_andLeaveNothingBehind() throws Exception {
        byte[] png = TestImages.png(400, 300, 7);
        record Case(String name, String declaredType, long declaredSize, byte[] bytes, String reason) {
        }
        byte[] oversize = TestImages.png(800, 600, 8);
        List<Case> cases = List.of(
                new Case("notes.png", "image/png", TestImages.text().length, TestImages.text(), "unsupported_type"),
                new Case("cut.png", "image/png", -1, TestImages.truncated(png, 0.6), "corrupt_image"),
                new Case("bomb.png", "image/png", -1, TestImages.pngClaiming(20_000, 20_000), "too_many_pixels"),
                new Case("big.png", "image/png", 1000, oversize, "too_large"),
                new Case("photo.jpg", "image/jpeg", -1, TestImages.png(200, 100, 9), "type_mismatch"));

        for (Case c : cases) {
            String messageId = stack.appendMessage("chat-rejects");
            long declared = c.declaredSize() < 0 ? c.bytes().length : c.declaredSize();
            // A presigned link cannot carry more bytes than declared (its length is signed), so
            // the oversize object is written past it, as a bucket without signature checks would.
            String attachmentId = declared == c.bytes().length
                    ? stack.upload("chat-rejects", messageId, c.declaredType(), declared, c.bytes(), c.name())
                    : stack.uploadBypassingTheLink("chat-rejects", messageId, c.declaredType(), declared, c.bytes());
            JsonNode decided = stack.awaitDecided("chat-rejects", messageId, attachmentId);

            assertThat(decided.path("status").asText()).as(c.name()).isEqualTo("rejected");
            assertThat(decided.path("rejection").path("reason").asText()).as(c.name()).isEqualTo(c.reason());
            assertThat(decided.path("url").isNull()).isTrue();
            String sha = sha256(c.bytes());
            assertThat(stack.keys("uploads/")).as(c.name()).noneMatch(key -> key.endsWith(attachmentId));
            assertThat(stack.keys(blob(sha).objectKey())).as(c.name()).isEmpty();
            assertThat(stack.keys(blob(sha).thumbnailKey())).as(c.name()).isEmpty();
            assertThat(stack.attachments.findBlob(blob(sha))).as(c.name()).isEmpty();
        }
    }

    @Test
    void anUploadLink_shouldNotStoreMoreBytesThanDeclared_whereTheBucketChecksSignatures() throws Exception {
        String messageId = stack.appendMessage("chat-links");
        byte[] png = TestImages.png(300, 200, 11);

        AttachmentsStack.LinkPut put = stack.putWithLink("chat-links", messageId, "image/png", png.length - 100, png);

        // The link signs the declared length; S3, and the local stack's AWS gateway in front of
        // either emulator, refuse a PUT of any other length with 403 SignatureDoesNotMatch.
        // (uploadBypassingTheLink shows ingestion's own size check, for bytes that got in anyway.)
        assertThat(put.status()).isEqualTo(403);
        assertThat(stack.attachment("chat-links", messageId, put.attachmentId()).path("status").asText())
                .isEqualTo("pending");
        assertThat(stack.keys("uploads/" + stack.tenant + "/chat-links/")).isEmpty();
        assertThat(stack.keys(blob(sha256(png)).objectKey())).isEmpty();
    }

    @Test
    void theApi_shouldRefuseWrongTypesAndOversizeDeclarations_beforeAnyUpload() throws Exception {
        String messageId = stack.appendMessage("chat-api");

        HttpResponse<String> text = stack.createUpload("chat-api", messageId, "text/plain", 100, "notes.txt");
        HttpResponse<String> huge = stack.createUpload("chat-api", messageId, "image/png", 10L * 1024 * 1024 + 1, null);

        assertThat(text.statusCode()).isEqualTo(415);
        assertThat(Json.parseTrusted(text.body()).path("error").path("code").asText())
                .isEqualTo("unsupported_media_type");
        assertThat(huge.statusCode()).isEqualTo(413);
        assertThat(Json.parseTrusted(huge.body()).path("error").path("code").asText())
                .isEqualTo("attachment_too_large");
        HttpResponse<String> list = stack.send("GET", "/v1/chats/chat-api/messages/" + messageId + "/attachments", null);
        assertThat(Json.parseTrusted(list.body()).path("items")).isEmpty();
    }

    @Test
    void dotSegmentIds_shouldBeRefusedWithInvalidId_beforeAnyLinkIsSigned() throws Exception {
        String messageId = stack.appendMessage("chat-dots");
        String upload = "{\"contentType\":\"image/png\",\"size\":100}";

        // Percent-encoded, so that no client or proxy on the way normalises them first.
        List<HttpResponse<String>> refused = List.of(
                stack.send("POST", "/v1/chats/%2E/messages/" + messageId + "/attachments", upload),
                stack.send("POST", "/v1/chats/chat-dots/messages/%2E%2E/attachments", upload),
                stack.send("GET", "/v1/chats/chat-dots/messages/" + messageId + "/attachments/%2E", null),
                stack.send("GET", "/v1/chats/chat-dots/messages/" + messageId + "/attachments/%2E%2E", null));

        assertThat(refused).allSatisfy(response -> {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
            assertThat(Json.parseTrusted(response.body()).path("error").path("code").asText()).isEqualTo("invalid_id");
        });
        HttpResponse<String> list = stack.send("GET", "/v1/chats/chat-dots/messages/" + messageId + "/attachments",
                null);
        assertThat(Json.parseTrusted(list.body()).path("items")).isEmpty();
    }

    @Test
    void deletingTheMessage_shouldDropTheReference_andMaintenanceSweepsTheBlobAfterTheGracePeriod() throws Exception {
        byte[] photo = TestImages.jpeg(800, 600, 9001);
        String sha = sha256(photo);
        String messageId = stack.appendMessage("chat-sweep");
        String attachmentId = stack.upload("chat-sweep", messageId, "image/jpeg", photo.length, photo, null);
        assertThat(stack.awaitDecided("chat-sweep", messageId, attachmentId).path("status").asText())
                .isEqualTo("ready");
        UnreferencedBlobSweep now = new UnreferencedBlobSweep(stack.attachments,
                key -> stack.s3.deleteObject(b -> b.bucket(stack.bucket).key(key)), Clock.systemUTC(),
                Duration.ofHours(24));
        UnreferencedBlobSweep tomorrow = new UnreferencedBlobSweep(stack.attachments,
                key -> stack.s3.deleteObject(b -> b.bucket(stack.bucket).key(key)),
                Clock.offset(Clock.systemUTC(), Duration.ofHours(25)), Duration.ofHours(24));
        tomorrow.run(TimeBudget.unlimited());
        assertThat(stack.keys(blob(sha).objectKey())).as("still referenced: never swept").hasSize(1);

        HttpResponse<String> deleted = deleteMessage("chat-sweep", messageId);
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
        HttpResponse<String> gone = stack.send("GET",
                "/v1/chats/chat-sweep/messages/" + messageId + "/attachments/" + attachmentId, null);
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(stack.attachments.findBlob(blob(sha)).orElseThrow().references()).isZero();

        now.run(TimeBudget.unlimited());
        assertThat(stack.keys(blob(sha).objectKey())).as("within the grace period the blob stays").hasSize(1);

        tomorrow.run(TimeBudget.unlimited());
        assertThat(stack.keys(blob(sha).objectKey())).isEmpty();
        assertThat(stack.keys(blob(sha).thumbnailKey())).isEmpty();
        assertThat(stack.attachments.findBlob(blob(sha))).isEmpty();

        // The same bytes sent again later are stored afresh.
        String again = stack.appendMessage("chat-sweep");
        String againId = stack.upload("chat-sweep", again, "image/jpeg", photo.length, photo, null);
        assertThat(stack.awaitDecided("chat-sweep", again, againId).path("status").asText()).isEqualTo("ready");
        assertThat(stack.keys(blob(sha).objectKey())).hasSize(1);
    }

    @Test
    void exportListsTheUsersAttachments_andEraseDropsThem() throws Exception {
        byte[] photo = TestImages.jpeg(300, 300, 31337);
        String sha = sha256(photo);
        String messageId = stack.appendMessage("chat-erase", "leaving");
        String attachmentId = stack.upload("chat-erase", messageId, "image/jpeg", photo.length, photo, "me.jpg");
        assertThat(stack.awaitDecided("chat-erase", messageId, attachmentId).path("status").asText())
                .isEqualTo("ready");

        JsonNode export = stack.awaitJob(stack.submitJob("leaving", "export"));
        String lines = new String(Gzip.decompress(stack.download(export.path("resultUrl").asText())),
                StandardCharsets.UTF_8);
        assertThat(lines.lines().filter(l -> l.contains("\"kind\":\"attachment\"")))
                .singleElement().satisfies(line -> {
                    JsonNode attachment = Json.parseTrusted(line);
                    assertThat(attachment.path("attachmentId").asText()).isEqualTo(attachmentId);
                    assertThat(attachment.path("sha256").asText()).isEqualTo(sha);
                    assertThat(attachment.path("filename").asText()).isEqualTo("me.jpg");
                });

        JsonNode erase = stack.awaitJob(stack.submitJob("leaving", "erase"));

        assertThat(erase.path("status").asText()).as(erase.toString()).isEqualTo("succeeded");
        assertThat(erase.path("counts").path("attachmentsErased").asLong()).isPositive();
        assertThat(stack.attachments.list(new ChatRef(stack.tenant, "chat-erase"), messageId)).isEmpty();
        assertThat(stack.attachments.findBlob(blob(sha)).orElseThrow().references()).isZero();
    }

    @Test
    void ingestionFailingEveryAttempt_shouldBeRetriedTwice_thenSentToItsOnFailureDestination() throws Exception {
        byte[] photo = TestImages.png(40, 30, 4242);
        String messageId = stack.appendMessage("chat-failing");
        JsonNode event;
        JsonNode record;
        String attachmentId;
        // Every DynamoDB, S3 and SQS call of the ingest function fails with a 500 for a while.
        stack.deployment.awsGateway().injectFaults(
                FaultPlan.only(FaultPlan.Fault.SERVER_ERROR, 1.0, "AttachmentIngestFunction"));
        try {
            attachmentId = stack.upload("chat-failing", messageId, "image/png", photo.length, photo, null);
            record = stack.awaitIngestFailure();
        } finally {
            stack.deployment.awsGateway().injectFaults(FaultPlan.none());
        }
        event = record.path("requestPayload").path("Records").get(0);

        assertThat(record.path("requestContext").path("condition").asText()).isEqualTo("RetriesExhausted");
        assertThat(record.path("requestContext").path("approximateInvokeCount").asInt())
                .as("the first attempt and MaximumRetryAttempts: 2").isEqualTo(3);
        assertThat(record.path("responseContext").path("functionError").asText()).isEqualTo("Unhandled");
        assertThat(event.path("s3").path("object").path("key").asText()).contains(attachmentId);
        assertThat(stack.attachment("chat-failing", messageId, attachmentId).path("status").asText())
                .as("nothing decided it").isEqualTo("pending");
    }

    @Test
    void anEventForAnUploadThatIsGone_shouldBeAcknowledged_andLeaveTheAttachmentPending() throws Exception {
        // What a duplicate event racing the first one, or an upload deleted before its event, looks
        // like: the record is pending and the object is not there. S3 says 404 only to a role that
        // may list the prefix (the ingest function's s3:ListBucket on uploads/), else 403.
        String messageId = stack.appendMessage("chat-gone");
        HttpResponse<String> created = stack.createUpload("chat-gone", messageId, "image/png", 100, null);
        JsonNode attachment = Json.parseTrusted(created.body());
        String path = URI.create(attachment.path("upload").path("url").asText()).getRawPath();
        String key = path.substring(("/" + stack.bucket + "/").length());
        String event = "{\"Records\":[{\"eventName\":\"ObjectCreated:Put\",\"s3\":{\"bucket\":{\"name\":\""
                + stack.bucket + "\"},\"object\":{\"key\":\"" + key + "\"}}}]}";

        stack.deployment.function("AttachmentIngestFunction").invoke(event);

        assertThat(stack.attachment("chat-gone", messageId, attachment.path("attachmentId").asText())
                .path("status").asText()).isEqualTo("pending");
    }

    @Test
    void putsAndEvents_whileAnIngestionHoldsTheClaim_shouldBeAcknowledgedWithoutWork_untilItsLeaseRunsOut()
            throws Exception {
        byte[] photo = TestImages.png(320, 240, 5150);
        String sha = sha256(photo);
        String messageId = stack.appendMessage("chat-claims");
        JsonNode created = Json.parseTrusted(stack.createUpload("chat-claims", messageId, "image/png", photo.length,
                null).body());
        String attachmentId = created.path("attachmentId").asText();
        String link = created.path("upload").path("url").asText();
        String key = URI.create(link).getRawPath().substring(("/" + stack.bucket + "/").length());
        ChatRef chat = new ChatRef(stack.tenant, "chat-claims");
        // An ingestion is decoding this upload right now, with a lease for its invocation.
        Instant now = Instant.now();
        assertThat(stack.attachments.claim(chat, messageId, attachmentId, "busy-ingestion", now,
                now.plusSeconds(600))).isTrue();

        // The link is PUT again and again within its life; each PUT is an S3 event. The same
        // event is also invoked directly, so the last of them has surely been handled below.
        for (int put = 0; put < 5; put++) {
            assertThat(stack.putWithUrl(link, "image/png", photo)).isEqualTo(200);
        }
        for (int event = 0; event < 5; event++) {
            assertThat(stack.deployment.function("AttachmentIngestFunction").invoke(uploadEvent(key)))
                    .isEqualTo("{}");
        }

        assertThat(stack.attachments.find(chat, messageId, attachmentId).orElseThrow().status())
                .isEqualTo(AttachmentStatus.PROCESSING);
        assertThat(stack.attachment("chat-claims", messageId, attachmentId).path("status").asText())
                .as("to the bot, nothing is decided yet").isEqualTo("pending");
        assertThat(stack.attachments.findBlob(blob(sha))).as("nothing decoded, nothing stored").isEmpty();
        assertThat(stack.keys("thumbnails/")).noneMatch(k -> k.endsWith(sha));
        assertThat(stack.keys(URLDecoder.decode(key, StandardCharsets.UTF_8)))
                .as("the holder's upload is left to it").hasSize(1);

        // The holder died: once its lease has run out, the next event claims the upload and finishes it.
        stack.expireLease(chat, messageId, attachmentId);
        stack.deployment.function("AttachmentIngestFunction").invoke(uploadEvent(key));
        JsonNode decided = stack.awaitDecided("chat-claims", messageId, attachmentId);
        assertThat(decided.path("status").asText()).as(decided.toString()).isEqualTo("ready");
        assertThat(decided.path("sha256").asText()).isEqualTo(sha);
        assertThat(stack.keys(URLDecoder.decode(key, StandardCharsets.UTF_8))).isEmpty();
    }

    private static String uploadEvent(String rawKey) {
        return "{\"Records\":[{\"eventName\":\"ObjectCreated:Put\",\"s3\":{\"bucket\":{\"name\":\""
                + stack.bucket + "\"},\"object\":{\"key\":\"" + rawKey + "\"}}}]}";
    }

    @Test
    void malformedAndForeignEvents_shouldBeAcknowledged_notRetried() {
        String function = "AttachmentIngestFunction";

        assertThat(stack.deployment.function(function).invoke("not json")).isEqualTo("{}");
        assertThat(stack.deployment.function(function).invoke("{\"hello\":1}")).isEqualTo("{}");
        assertThat(stack.deployment.function(function).invoke("{\"Records\":[{\"eventName\":\"ObjectCreated:Put\","
                + "\"s3\":{\"bucket\":{\"name\":\"someone-elses\"},\"object\":{\"key\":\"uploads/a/b/c/d\"}}},"
                + "{\"eventName\":\"ObjectCreated:Put\",\"s3\":{\"bucket\":{\"name\":\"" + stack.bucket + "\"},"
                + "\"object\":{\"key\":\"uploads/not/an/upload/key/at/all\"}}},{}]}")).isEqualTo("{}");
    }

    private static HttpResponse<String> deleteMessage(String chatId, String messageId) throws Exception {
        HttpRequest request = stack.authorized(
                        stack.deployment.baseUrl().resolve("/v1/chats/" + chatId + "/messages/" + messageId))
                .header("If-Match", "\"1\"")
                .DELETE().build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }
}
