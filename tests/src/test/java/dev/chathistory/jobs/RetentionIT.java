package dev.chathistory.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chathistory.admin.AwsTenantRetention;
import dev.chathistory.contract.LambdaExchanges;
import dev.chathistory.messageapi.MessageApiHandler;
import dev.chathistory.messageapi.testing.ApiEvent;
import dev.chathistory.messageapi.testing.ApiResult;
import dev.chathistory.shared.archive.ChatArchiver;
import dev.chathistory.shared.ids.MessageIdGenerator;
import dev.chathistory.shared.jobs.JobOutcome;
import dev.chathistory.shared.jobs.SqsJobQueue;
import dev.chathistory.shared.model.ChatRef;
import dev.chathistory.shared.repository.dynamodb.DynamoDbArchiveIndex;
import dev.chathistory.shared.repository.dynamodb.DynamoDbMessageRepository;
import dev.chathistory.shared.repository.dynamodb.DynamoDbRetentionRepository;
import dev.chathistory.shared.testing.MutableClock;
import dev.chathistory.userbatch.BatchConfig;
import dev.chathistory.userbatch.UserBatchHandler;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Retention on the stack, with a clock the test moves: what is past a policy is unreadable at
 * once and gone once the retention job has run (hot messages and their versions, idempotency
 * records, attachment records, archived chunks and their objects); what remains carries the
 * expiry DynamoDB's TTL acts on; holds keep everything they cover; shortening a policy applies to
 * what is already stored; a tenant's policy set by the operator reaches every chat.
 */
class RetentionIT {

    private static final String TENANT = "tenant-test";
    private static final Map<String, String> TEMPLATE_PARAMETERS = Map.of(
            "JobsMaxReceiveCount", "5",
            // API containers remember policies this long; the job's second pass waits for it.
            "ChatDirectoryCacheSeconds", "1",
            "EraseSettleMarginSeconds", "0");

    private static JobsStack stack;
    private static MutableClock clock;
    private static MessageApiHandler api;
    private static UserBatchHandler batch;

    @BeforeAll
    static void start() {
        stack = new JobsStack(TEMPLATE_PARAMETERS);
        clock = new MutableClock(Instant.now());
        api = stack.apiAt(clock);
        batch = stack.batchHandler(new BatchConfig(4, Duration.ofSeconds(1), Duration.ofSeconds(4), 5,
                Duration.ofSeconds(1)), clock);
    }

    @AfterAll
    static void close() {
        stack.close();
    }

    // ------------------------------------------------------------------ tests

    @Test
    void pastRetention_shouldBeUnreadableAtOnce_andGoneEverywhereOnceTheJobRan_whileTheRestIsStamped() {
        String chat = "chat-retention-1";
        JsonNode archived = append(TENANT, chat, "u1", "archived and old", null);
        edit(chat, archived, "archived and old, edited");
        archiveEverythingSoFar(chat);
        JsonNode old = append(TENANT, chat, "u2", "hot and old", "key-old");
        String attachmentId = upload(chat, old);
        clock.advance(Duration.ofDays(10));
        JsonNode recent = append(TENANT, chat, "u1", "recent", null);

        JsonNode policy = putRetention(TENANT, chat, 7, false);

        assertThat(policy.path("effectiveDays").asInt()).isEqualTo(7);
        assertThat(texts(TENANT, chat)).containsExactly("recent");
        assertThat(status("GET", chatPath(chat) + "/messages/" + id(old))).isEqualTo(404);
        assertThat(status("GET", chatPath(chat) + "/messages/" + id(old) + "/versions")).isEqualTo(404);
        assertThat(status("GET", chatPath(chat) + "/messages/" + id(archived))).isEqualTo(404);
        assertThat(status("GET", chatPath(chat) + "/messages/" + id(old) + "/attachments/" + attachmentId))
                .isEqualTo(404);
        assertThat(sortKeys(TENANT, chat)).as("unreadable, not yet deleted")
                .contains("M#" + id(old), "I#key-old").anyMatch(sk -> sk.startsWith("M!"));

        runJobs();

        List<String> left = sortKeys(TENANT, chat);
        assertThat(left).as("hot message, its versions, idempotency record, attachment and the chunk's entry")
                .containsExactly("M#" + id(recent), "RETENTION");
        assertThat(stack.objects.list("archive/" + TENANT + "/" + chat + "/")).as("the chunk's object").isEmpty();
        assertThat(expiresAt(TENANT, chat, "M#" + id(recent))).isEqualTo(expiryAfterDays(recent, 7));

        JsonNode later = append(TENANT, chat, "u2", "after the policy", null);
        JsonNode laterEdited = edit(chat, later, "after the policy, edited");
        assertThat(expiresAt(TENANT, chat, "M#" + id(later))).isEqualTo(expiryAfterDays(later, 7));
        assertThat(expiresAt(TENANT, chat, versionKey(later, 1))).as("its version expires with it")
                .isEqualTo(expiryAfterDays(later, 7));
        assertThat(laterEdited.path("version").asLong()).isEqualTo(2);
    }

    @Test
    void holds_shouldKeepEverythingTheyCover_andShorteningAPolicyAppliesToStoredMessages() {
        String chat = "chat-retention-2";
        JsonNode held = append(TENANT, chat, "held-user", "said by the held user", null);
        JsonNode free = append(TENANT, chat, "free-user", "said by another", null);
        putRetention(TENANT, chat, 30, false);
        runJobs();
        assertThat(expiresAt(TENANT, chat, "M#" + id(free))).isEqualTo(expiryAfterDays(free, 30));
        clock.advance(Duration.ofDays(5));

        putRetention(TENANT, chat, 2, true);
        runJobs();
        assertThat(texts(TENANT, chat)).as("the chat's hold keeps all").hasSize(2);
        assertThat(expiresAt(TENANT, chat, "M#" + id(held))).as("no expiry while held").isNull();
        assertThat(expiresAt(TENANT, chat, "M#" + id(free))).isNull();

        assertThat(call(ApiEvent.fromFile("put-legal-hold.json").request("PUT", "/v1/users/held-user/legal-hold")
                .jsonBody(Map.of("legalHold", true))).status()).isEqualTo(200);
        putRetention(TENANT, chat, 2, false);
        assertThat(texts(TENANT, chat)).as("only the held user's message is still readable")
                .containsExactly("said by the held user");
        runJobs();

        assertThat(sortKeys(TENANT, chat)).containsExactly("M#" + id(held), "RETENTION");
        assertThat(expiresAt(TENANT, chat, "M#" + id(held))).isNull();
        ApiResult erase = call(ApiEvent.fromFile("submit-job.json").request("POST", "/v1/users/held-user/jobs")
                .jsonBody(Map.of("type", "erase")));
        assertThat(erase.status()).isEqualTo(409);
        assertThat(erase.json().path("error").path("code").asText()).isEqualTo("legal_hold");
    }

    @Test
    void aTenantsRetention_setByTheOperator_shouldReachEveryChatOfTheTenant() {
        String tenant = "tenant-retention-admin";
        append(tenant, "chat-a", "u1", "old in a", null);
        append(tenant, "chat-b", "u2", "old in b", null);
        clock.advance(Duration.ofDays(40));
        append(tenant, "chat-b", "u2", "new in b", null);

        int chats = new AwsTenantRetention(new DynamoDbRetentionRepository(stack.dynamoDb,
                stack.config.messagesTable(), stack.config.usersTable()), stack.dynamoDb,
                stack.config.usersTable(), new SqsJobQueue(stack.sqs, stack.queueUrl), MessageIdGenerator.ulid(),
                clock).set(tenant, OptionalInt.of(30));
        runJobs();

        assertThat(chats).isEqualTo(2);
        assertThat(sortKeys(tenant, "chat-a")).isEmpty();
        assertThat(texts(tenant, "chat-b")).containsExactly("new in b");
        assertThat(sortKeys(tenant, "chat-b")).hasSize(1);
        ApiResult policy = call(ApiEvent.fromFile("get-settings.json").request("GET", "/v1/chats/chat-b/retention")
                .tenant(tenant));
        assertThat(policy.json().path("tenantDays").asInt()).isEqualTo(30);
        assertThat(policy.json().path("days").isNull()).isTrue();
        ApiResult tooLong = call(ApiEvent.fromFile("put-retention.json").request("PUT", "/v1/chats/chat-b/retention")
                .tenant(tenant).jsonBody(Map.of("days", 31, "legalHold", false)));
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.json().path("error").path("code").asText()).isEqualTo("retention_too_long");
    }

    // ------------------------------------------------------------------ helpers

    private static ApiResult call(ApiEvent event) {
        return ApiResult.of(LambdaExchanges.invokeChecked(api, event.toEvent()));
    }

    private static int status(String method, String path) {
        return call(ApiEvent.fromFile("get-message.json").request(method, path)).status();
    }

    private static String chatPath(String chat) {
        return "/v1/chats/" + chat;
    }

    private static String id(JsonNode message) {
        return message.path("messageId").asText();
    }

    private static JsonNode append(String tenant, String chat, String user, String text, String idempotencyKey) {
        ApiEvent request = ApiEvent.fromFile("append-message.json").tenant(tenant)
                .request("POST", chatPath(chat) + "/messages")
                .jsonBody(Map.of("userId", user, "isBot", false, "text", text));
        request = idempotencyKey == null ? request.withoutHeader("Idempotency-Key")
                : request.header("Idempotency-Key", idempotencyKey);
        ApiResult created = call(request);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json();
    }

    private static JsonNode edit(String chat, JsonNode message, String text) {
        ApiResult edited = call(ApiEvent.fromFile("edit-message.json")
                .request("PATCH", chatPath(chat) + "/messages/" + id(message))
                .header("If-Match", "\"" + message.path("version").asLong() + "\"")
                .jsonBody(Map.of("text", text)));
        assertThat(edited.status()).as(edited.body()).isEqualTo(200);
        return edited.json();
    }

    private static String upload(String chat, JsonNode message) {
        ApiResult upload = call(ApiEvent.fromFile("create-attachment.json")
                .request("POST", chatPath(chat) + "/messages/" + id(message) + "/attachments")
                .jsonBody(Map.of("contentType", "image/png", "size", 100)));
        assertThat(upload.status()).as(upload.body()).isEqualTo(201);
        return upload.json().path("attachmentId").asText();
    }

    private static JsonNode putRetention(String tenant, String chat, int days, boolean hold) {
        ApiResult put = call(ApiEvent.fromFile("put-retention.json").tenant(tenant)
                .request("PUT", chatPath(chat) + "/retention")
                .jsonBody(Map.of("days", days, "legalHold", hold)));
        assertThat(put.status()).as(put.body()).isEqualTo(200);
        return put.json();
    }

    private static List<String> texts(String tenant, String chat) {
        ApiResult page = call(ApiEvent.fromFile("list-messages.json").tenant(tenant)
                .request("GET", chatPath(chat) + "/messages").query("limit", "100"));
        assertThat(page.status()).as(page.body()).isEqualTo(200);
        List<String> texts = new ArrayList<>();
        page.json().path("items").forEach(item -> texts.add(item.path("text").asText()));
        return texts;
    }

    /** Moves every message of the chat so far into an archive chunk (ids are ULIDs of the real time). */
    private static void archiveEverythingSoFar(String chat) {
        String table = stack.config.messagesTable();
        new ChatArchiver(new DynamoDbMessageRepository(stack.dynamoDb, table),
                new DynamoDbArchiveIndex(stack.dynamoDb, table), stack.objects, clock)
                .archiveOlderThan(new ChatRef(TENANT, chat), Instant.now().plusSeconds(1), new JobOutcome.Counts());
        assertThat(stack.objects.list("archive/" + TENANT + "/" + chat + "/")).hasSize(1);
    }

    /** Every item of the chat's partition, by sort key: what is stored, readable or not. */
    private static List<String> sortKeys(String tenant, String chat) {
        List<String> keys = new ArrayList<>();
        stack.dynamoDb.queryPaginator(b -> b.tableName(stack.config.messagesTable())
                        .keyConditionExpression("pk = :pk")
                        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("T#" + tenant + "#C#" + chat)))
                        .consistentRead(true))
                .items().forEach(item -> keys.add(item.get("sk").s()));
        return keys;
    }

    private static Instant expiresAt(String tenant, String chat, String sortKey) {
        Map<String, AttributeValue> key = new HashMap<>();
        key.put("pk", AttributeValue.fromS("T#" + tenant + "#C#" + chat));
        key.put("sk", AttributeValue.fromS(sortKey));
        Map<String, AttributeValue> item = stack.dynamoDb.getItem(b -> b.tableName(stack.config.messagesTable())
                .key(key).consistentRead(true)).item();
        assertThat(item).as(sortKey).isNotEmpty();
        AttributeValue value = item.get("expiresAt");
        return value == null ? null : Instant.ofEpochSecond(Long.parseLong(value.n()));
    }

    private static Instant expiryAfterDays(JsonNode message, int days) {
        return Instant.parse(message.path("createdAt").asText()).plus(Duration.ofDays(days))
                .truncatedTo(ChronoUnit.SECONDS);
    }

    private static String versionKey(JsonNode message, long version) {
        return "V#" + id(message) + "#" + String.format("%010d", version);
    }

    /**
     * Delivers jobs until the queue stays empty, moving the clock on after each poll past a
     * continuation's delay (the retention job's second pass waits for API caches to let go of the
     * old policy).
     */
    private static void runJobs() {
        stack.drain(batch, () -> clock.advance(Duration.ofSeconds(2)));
    }
}
