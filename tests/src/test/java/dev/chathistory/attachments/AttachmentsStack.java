package dev.chathistory.attachments;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chathistory.local.LocalDeployment;
import dev.chathistory.shared.attachments.AttachmentRepository;
import dev.chathistory.shared.aws.AwsClientFactory;
import dev.chathistory.shared.aws.ClientSettings;
import dev.chathistory.shared.json.Json;
import dev.chathistory.shared.model.ChatRef;
import dev.chathistory.shared.repository.dynamodb.DynamoDbAttachmentRepository;
import dev.chathistory.shared.repository.dynamodb.MessagesTable;
import dev.chathistory.tests.StackClient;
import dev.chathistory.tests.TestAws;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The real template on the local stack, driven the way a bot drives it: ask the API for an
 * upload link, PUT the bytes to S3 with it, and watch the attachment over HTTP while the S3
 * notification runs the ingest function.
 */
final class AttachmentsStack implements AutoCloseable {

    static final Duration PATIENCE = Duration.ofSeconds(60);

    final LocalDeployment deployment;
    final S3Client s3;
    final SqsClient sqs;
    final DynamoDbClient dynamoDb;
    final AttachmentRepository attachments;
    final String bucket;
    /** The tenant every request of this stack acts for, through its API key. */
    final String tenant;
    private final StackClient client;
    private final HttpClient http = HttpClient.newHttpClient();

    AttachmentsStack() throws Exception {
        URI emulator = TestAws.emulator().endpoint();
        deployment = TestAws.deployTemplate("att");
        ClientSettings settings = ClientSettings.forEmulator("us-east-1", emulator);
        s3 = AwsClientFactory.s3(settings);
        sqs = AwsClientFactory.sqs(settings);
        dynamoDb = AwsClientFactory.dynamoDb(settings, List.of());
        attachments = new DynamoDbAttachmentRepository(dynamoDb, deployment.resources().tables().get("MessagesTable"));
        bucket = deployment.resources().buckets().get("AttachmentsBucket");
        tenant = "photos-tenant";
        client = new StackClient(deployment.baseUrl(), deployment.issueKey(tenant, "AttachmentsIT").key());
    }

    private AttachmentsStack(AttachmentsStack base, String tenant) throws Exception {
        deployment = base.deployment;
        s3 = base.s3;
        sqs = base.sqs;
        dynamoDb = base.dynamoDb;
        attachments = base.attachments;
        bucket = base.bucket;
        this.tenant = tenant;
        client = new StackClient(deployment.baseUrl(), deployment.issueKey(tenant, "AttachmentsIT").key());
    }

    /** Another bot on the same deployment, with a key of its own tenant; close only the original. */
    AttachmentsStack asTenant(String otherTenant) throws Exception {
        return new AttachmentsStack(this, otherTenant);
    }

    /** Appends a message and returns its id. */
    String appendMessage(String chatId) throws Exception {
        return appendMessage(chatId, "photographer");
    }

    String appendMessage(String chatId, String userId) throws Exception {
        HttpResponse<String> created = send("POST", "/v1/chats/" + chatId + "/messages",
                "{\"userId\":\"" + userId + "\",\"isBot\":false,\"text\":\"see attached\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return Json.parseTrusted(created.body()).path("messageId").asText();
    }

    HttpResponse<String> createUpload(String chatId, String messageId, String contentType, long size,
                                      String filename) throws Exception {
        String body = Json.write(Json.mapper().valueToTree(filename == null
                ? Map.of("contentType", contentType, "size", size)
                : Map.of("contentType", contentType, "size", size, "filename", filename)));
        return send("POST", "/v1/chats/" + chatId + "/messages/" + messageId + "/attachments", body);
    }

    /** Creates the attachment, PUTs {@code bytes} with the link, and returns the attachment id. */
    String upload(String chatId, String messageId, String contentType, long declaredSize, byte[] bytes,
                  String filename) throws Exception {
        HttpResponse<String> created = createUpload(chatId, messageId, contentType, declaredSize, filename);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode upload = Json.parseTrusted(created.body()).path("upload");
        HttpRequest.Builder put = HttpRequest.newBuilder(URI.create(upload.path("url").asText()))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes));
        // Content-Length is set by the client from the body; the other signed header is ours to send.
        put.header("Content-Type", upload.path("headers").path("Content-Type").asText());
        HttpResponse<String> stored = http.send(put.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);
        return Json.parseTrusted(created.body()).path("attachmentId").asText();
    }

    /**
     * Creates the attachment, then writes {@code bytes} to its upload key straight through the
     * S3 API, bypassing the link's signed length and type: what a bucket without signature
     * checks (some emulators) would let through, so ingestion must catch it on its own.
     */
    String uploadBypassingTheLink(String chatId, String messageId, String contentType, long declaredSize,
                                  byte[] bytes) throws Exception {
        HttpResponse<String> created = createUpload(chatId, messageId, contentType, declaredSize, null);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String path = URI.create(Json.parseTrusted(created.body()).path("upload").path("url").asText()).getPath();
        String key = URLDecoder.decode(path.substring(("/" + bucket + "/").length()),
                StandardCharsets.UTF_8);
        s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(bytes));
        return Json.parseTrusted(created.body()).path("attachmentId").asText();
    }

    /** The HTTP status of a PUT with an upload link, and the attachment the link was for. */
    record LinkPut(int status, String attachmentId) {
    }

    /** PUTs {@code bytes} with a fresh link for {@code declaredSize} bytes, whatever S3 says. */
    LinkPut putWithLink(String chatId, String messageId, String contentType, long declaredSize, byte[] bytes)
            throws Exception {
        HttpResponse<String> created = createUpload(chatId, messageId, contentType, declaredSize, null);
        JsonNode body = Json.parseTrusted(created.body());
        int status = putWithUrl(body.path("upload").path("url").asText(), contentType, bytes);
        return new LinkPut(status, body.path("attachmentId").asText());
    }

    /** PUTs {@code bytes} with an upload link already handed out; returns S3's status. */
    int putWithUrl(String url, String contentType, byte[] bytes) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", contentType)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** What a claim looks like once the ingestion holding it died and its lease ran out. */
    void expireLease(ChatRef chat, String messageId, String attachmentId) {
        dynamoDb.updateItem(b -> b.tableName(deployment.resources().tables().get("MessagesTable"))
                .key(Map.of("pk", AttributeValue.fromS(MessagesTable.partitionKey(chat)),
                        "sk", AttributeValue.fromS("F#" + messageId + "#" + attachmentId)))
                .updateExpression("SET leaseUntil = :past")
                .conditionExpression("attribute_exists(leaseUntil)")
                .expressionAttributeValues(Map.of(":past",
                        AttributeValue.fromN(Long.toString(System.currentTimeMillis() - 1000)))));
    }

    JsonNode attachment(String chatId, String messageId, String attachmentId) throws Exception {
        HttpResponse<String> response = send("GET",
                "/v1/chats/" + chatId + "/messages/" + messageId + "/attachments/" + attachmentId, null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.parseTrusted(response.body());
    }

    /** Polls until ingestion has decided, the way a bot would. */
    JsonNode awaitDecided(String chatId, String messageId, String attachmentId) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode attachment = attachment(chatId, messageId, attachmentId);
            if (!attachment.path("status").asText().equals("pending")) {
                return attachment;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("attachment " + attachmentId + " still pending after " + PATIENCE);
    }

    String submitJob(String userId, String type) throws Exception {
        return client.submitJob(userId, type);
    }

    JsonNode awaitJob(String jobId) throws Exception {
        return client.awaitJob(jobId, PATIENCE);
    }

    byte[] download(String url) throws Exception {
        HttpResponse<byte[]> response = fetch(url);
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    /** A GET of a link, whatever its answer, with the headers a browser or a cache would see. */
    HttpResponse<byte[]> fetch(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    List<String> keys(String prefix) {
        return s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream()
                .map(o -> o.key()).toList();
    }

    HttpResponse<String> send(String method, String path, String body) throws Exception {
        return client.send(method, path, body);
    }

    /** A request with this stack's API key. */
    HttpRequest.Builder authorized(URI uri) {
        return client.authorized(uri);
    }

    /** Waits for a record in the ingest function's on-failure destination, and takes it. */
    JsonNode awaitIngestFailure() {
        String queue = deployment.resources().queues().get("AttachmentIngestFailuresQueue").url();
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            for (Message message : sqs.receiveMessage(b -> b.queueUrl(queue).waitTimeSeconds(1)).messages()) {
                sqs.deleteMessage(b -> b.queueUrl(queue).receiptHandle(message.receiptHandle()));
                return Json.parseTrusted(message.body());
            }
        }
        throw new AssertionError("no record in the ingest failures queue after " + PATIENCE);
    }

    @Override
    public void close() {
        deployment.close();
        s3.close();
        sqs.close();
        dynamoDb.close();
    }
}
