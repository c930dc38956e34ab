package dev.chathistory.messageapi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chathistory.messageapi.testing.ApiEvent;
import dev.chathistory.messageapi.testing.ApiResult;
import dev.chathistory.shared.config.ServiceConfig;
import dev.chathistory.shared.model.ChatRef;
import dev.chathistory.shared.model.UserRef;
import dev.chathistory.shared.repository.dynamodb.MessagesTable;
import dev.chathistory.shared.repository.dynamodb.UsersTable;
import dev.chathistory.shared.testing.RecordingMetrics;
import dev.chathistory.shared.testing.TestConfigs;
import dev.chathistory.tests.TestStack;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The deployed handler's behaviour against DynamoDB in the emulator, driven by events/. */
class MessageApiIT {

    private static TestStack stack;
    private static ServiceConfig config;
    private static RecordingMetrics metrics;
    private static ItHandlers.Container container;

    @BeforeAll
    static void startStack() {
        stack = TestStack.create("api");
        config = stack.configOf(ItHandlers.FUNCTION);
        metrics = new RecordingMetrics();
        container = ItHandlers.container(config, metrics);
    }

    @AfterAll
    static void stop() {
        container.close();
        stack.close();
    }

    private static String newChat() {
        return "chat-" + UUID.randomUUID();
    }

    private static ApiEvent append(String chat, String text) {
        return ApiEvent.fromFile("append-message.json")
                .request("POST", "/v1/chats/" + chat + "/messages")
                .withoutHeader("Idempotency-Key")
                .jsonBody(Map.of("userId", "user-7", "isBot", false, "text", text));
    }

    @Test
    void sampleEvents_shouldDriveTheWholeMessageLifecycle() {
        String chat = newChat();
        String messages = "/v1/chats/" + chat + "/messages";
        ApiResult created = container.invoke(ApiEvent.fromFile("append-message.json").request("POST", messages)
                .header("Idempotency-Key", UUID.randomUUID().toString()));
        String id = created.json().path("messageId").asText();
        String one = messages + "/" + id;

        ApiResult fetched = container.invoke(ApiEvent.fromFile("get-message.json").request("GET", one));
        ApiResult missingIfMatch = container.invoke(ApiEvent.fromFile("edit-message.json").request("PATCH", one)
                .withoutHeader("If-Match"));
        ApiResult edited = container.invoke(ApiEvent.fromFile("edit-message.json").request("PATCH", one));
        ApiResult stale = container.invoke(ApiEvent.fromFile("edit-message.json").request("PATCH", one));
        ApiResult deleted = container.invoke(ApiEvent.fromFile("delete-message.json").request("DELETE", one));
        ApiResult versions = container.invoke(ApiEvent.fromFile("list-versions.json").request("GET", one + "/versions"));
        ApiResult visible = container.invoke(ApiEvent.fromFile("list-messages.json").request("GET", messages));
        ApiResult all = container.invoke(ApiEvent.fromFile("list-messages.json").request("GET", messages)
                .query("includeDeleted", "true"));

        assertThat(created.status()).isEqualTo(201);
        assertThat(fetched.status()).isEqualTo(200);
        assertThat(fetched.header("ETag")).isEqualTo("\"1\"");
        assertThat(fetched.json().path("metadata").path("telegramMessageId").asInt()).isEqualTo(1042);
        assertThat(missingIfMatch.status()).isEqualTo(428);
        assertThat(edited.status()).isEqualTo(200);
        assertThat(edited.json().path("version").asLong()).isEqualTo(2);
        assertThat(edited.json().path("parentVersion").asLong()).isEqualTo(1);
        assertThat(stale.status()).isEqualTo(412);
        assertThat(stale.json().path("error").path("currentVersion").asLong()).isEqualTo(2);
        assertThat(deleted.json().path("deleted").asBoolean()).isTrue();
        assertThat(versions.json().path("items")).extracting(v -> v.path("text").asText())
                .containsExactly("Hello, bot! (edited)", "Hello, bot! (edited)", "Hello, bot!");
        assertThat(versions.json().path("items")).extracting(v -> v.path("deleted").asBoolean())
                .containsExactly(true, false, false);
        assertThat(visible.json().path("items")).isEmpty();
        assertThat(all.json().path("items")).extracting(m -> m.path("messageId").asText()).containsExactly(id);
    }

    @Test
    void retriedAppend_shouldStoreOneMessage_andReuseWithAnotherBodyIs422() {
        String chat = newChat();
        ApiEvent request = ApiEvent.fromFile("append-message.json")
                .request("POST", "/v1/chats/" + chat + "/messages");

        ApiResult first = container.invoke(request);
        ApiResult retry = container.invoke(request);
        ApiResult reused = container.invoke(request.jsonBody(Map.of("userId", "user-7", "isBot", false, "text", "no")));

        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(retry.json().path("messageId")).isEqualTo(first.json().path("messageId"));
        assertThat(reused.status()).isEqualTo(422);
        assertThat(itemsIn(chat, "M#")).hasSize(1);
        assertThat(metrics.count("IdempotentReplays")).isPositive();
    }

    @Test
    void rejectedAppend_shouldLeaveNothingBehind() {
        String chat = newChat();

        ApiResult tooLong = container.invoke(ApiEvent.fromFile("append-message.json")
                .request("POST", "/v1/chats/" + chat + "/messages")
                .jsonBody(Map.of("userId", "user-7", "isBot", false, "text", "x".repeat(40_000))));

        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.errorCode()).isEqualTo("text_too_long");
        assertThat(itemsIn(chat, "")).isEmpty();
    }

    @Test
    void dotSegmentIds_shouldBeRefusedWithInvalidId_andWriteNothing() {
        String chat = newChat();
        container.invoke(append(chat, "hi"));
        String messages = "/v1/chats/" + chat + "/messages";

        // Raw and percent-encoded: a client that normalises paths would drop "." or climb "..",
        // one that does not sends them as they are, and "%2E" reaches the API either way.
        List<ApiResult> refused = List.of(
                container.invoke(append(".", "hi").request("POST", "/v1/chats/./messages")),
                container.invoke(append("..", "hi").request("POST", "/v1/chats/%2E%2E/messages")),
                container.invoke(ApiEvent.fromFile("get-message.json").request("GET", messages + "/..")),
                container.invoke(ApiEvent.fromFile("get-message.json").request("GET", messages + "/%2E")),
                container.invoke(ApiEvent.fromFile("append-message.json").request("POST", messages + "/./attachments")
                        .jsonBody(Map.of("contentType", "image/png", "size", 100))));

        assertThat(refused).allSatisfy(result -> {
            assertThat(result.status()).isEqualTo(400);
            assertThat(result.errorCode()).isEqualTo("invalid_id");
        });
        assertThat(itemsIn(".", "")).isEmpty();
        assertThat(itemsIn("..", "")).isEmpty();
        assertThat(itemsIn(chat, "F#")).as("no attachment recorded").isEmpty();
        // Attachment ids (this container has no bucket): AttachmentsIT.
    }

    @Test
    void settings_shouldBeVersioned_andServedFromTheContainerCache() {
        String user = "user-" + UUID.randomUUID();
        String path = "/v1/users/" + user + "/settings";
        long hitsBefore = metrics.count("SettingsCacheHits");

        ApiResult empty = container.invoke(ApiEvent.fromFile("get-settings.json").request("GET", path));
        ApiResult saved = container.invoke(ApiEvent.fromFile("put-settings.json").request("PUT", path));
        ApiResult read = container.invoke(ApiEvent.fromFile("get-settings.json").request("GET", path));
        ApiResult stale;
        try (ItHandlers.Container other = ItHandlers.container(config, new RecordingMetrics())) {
            stale = other.invoke(ApiEvent.fromFile("put-settings.json").request("PUT", path));
        }

        assertThat(empty.header("ETag")).isEqualTo("\"0\"");
        assertThat(saved.header("ETag")).isEqualTo("\"1\"");
        assertThat(read.json().path("persona").asText()).isEqualTo("concise");
        assertThat(read.header("ETag")).isEqualTo("\"1\"");
        assertThat(metrics.count("SettingsCacheHits")).isEqualTo(hitsBefore + 1);
        assertThat(stale.status()).isEqualTo(412);
        assertThat(stale.json().path("error").path("currentVersion").asLong()).isEqualTo(1);
    }

    @Test
    void append_shouldRecordActivity_inTheShardedActiveUsersIndex() {
        String chat = newChat();
        String user = "user-" + UUID.randomUUID();
        container.invoke(append(chat, "hi").jsonBody(Map.of("userId", user, "isBot", false, "text", "hi")));

        Map<String, AttributeValue> profile = stack.adminDynamoDb().getItem(b -> b.tableName(config.usersTable())
                .key(Map.of("pk", AttributeValue.fromS(UsersTable.partitionKey(new UserRef(TestConfigs.TENANT, user))),
                        "sk", AttributeValue.fromS("PROFILE")))
                .consistentRead(true)).item();
        String shard = profile.get(UsersTable.ACTIVE_SHARD).s();
        List<Map<String, AttributeValue>> active = stack.adminDynamoDb().query(b -> b.tableName(config.usersTable())
                .indexName(UsersTable.ACTIVE_USERS_INDEX)
                .keyConditionExpression("activeShard = :shard")
                .expressionAttributeValues(Map.of(":shard", AttributeValue.fromS(shard)))).items();

        assertThat(profile.get("messageCount").n()).isEqualTo("1");
        assertThat(profile.get(UsersTable.LAST_ACTIVE_AT).s()).isNotBlank();
        assertThat(active).extracting(item -> item.get("pk").s())
                .contains(UsersTable.partitionKey(new UserRef(TestConfigs.TENANT, user)));
    }

    @Test
    void unreachableStorage_shouldAnswer503_notAnInternalError() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        ServiceConfig down = TestConfigs.config(Optional.of(URI.create("http://127.0.0.1:" + closedPort)),
                config.messagesTable(), config.usersTable());

        ApiResult result;
        try (ItHandlers.Container broken = ItHandlers.container(down, new RecordingMetrics())) {
            result = broken.invoke(append(newChat(), "hello"));
        }

        assertThat(result.status()).isEqualTo(503);
        assertThat(result.errorCode()).isEqualTo("service_unavailable");
        assertThat(result.header("Retry-After")).isEqualTo("1");
    }

    /** Items of a chat's partition whose sort key starts with the prefix ("" for all). */
    private static List<Map<String, AttributeValue>> itemsIn(String chat, String sortKeyPrefix) {
        String partition = MessagesTable.partitionKey(new ChatRef(TestConfigs.TENANT, chat));
        return stack.adminDynamoDb().query(b -> b.tableName(config.messagesTable())
                .keyConditionExpression("pk = :pk")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(partition)))
                .consistentRead(true)).items().stream()
                .filter(item -> item.get("sk").s().startsWith(sortKeyPrefix))
                .toList();
    }
}
