package dev.chathistory.messageapi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chathistory.cost.CapacityMeter;
import dev.chathistory.cost.ItemSizes;
import dev.chathistory.messageapi.testing.ApiEvent;
import dev.chathistory.messageapi.testing.ApiResult;
import dev.chathistory.shared.model.ChatRef;
import dev.chathistory.shared.repository.dynamodb.MessagesTable;
import dev.chathistory.shared.testing.RecordingMetrics;
import dev.chathistory.shared.testing.TestConfigs;
import dev.chathistory.tests.TestStack;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What each API operation costs in DynamoDB capacity, metered from item sizes by DynamoDB's rules
 * ({@link CapacityMeter}). Capacity is deterministic, so these are exact assertions, not timings;
 * docs/cost.md turns them into dollars.
 */
class CapacityIT {

    private static final String USER = "user-7";

    private static TestStack stack;
    private static CapacityMeter meter;
    private static ItHandlers.Container api;

    @BeforeAll
    static void start() {
        // Retention policies kept as long as a deployment keeps them by default (test stacks forget
        // in a second): a page measured here is the one request it costs on a warm container.
        stack = TestStack.create("cost", Map.of("ChatDirectoryCacheSeconds", "300"));
        meter = new CapacityMeter(stack.adminDynamoDb());
        api = ItHandlers.container(stack, new RecordingMetrics(), List.of(meter));
    }

    @AfterAll
    static void stop() {
        api.close();
        stack.close();
    }

    @Test
    void appendWithIdempotencyKey_ofAOneKilobyteMessage_costsAtMostTwoPointTwoWriteUnits() {
        String chat = "chat-" + UUID.randomUUID();
        String text = "x".repeat(900);
        append(chat, text, UUID.randomUUID().toString());
        assertThat(largestMessageItem(chat)).as("the stored message is a 1 KB item").isBetween(1000, 1024);

        meter.reset();
        int appends = 20;
        for (int i = 0; i < appends; i++) {
            append(chat, text, UUID.randomUUID().toString());
        }

        System.out.printf("append with Idempotency-Key, 1 KB item: %.2f WCU, %.2f RCU, %.1f requests each%n",
                meter.writeUnits() / appends, meter.readUnits() / appends, (double) meter.requests() / appends);
        assertThat(meter.charges()).extracting(CapacityMeter.Charge::operation)
                .doesNotContain("TransactWriteItems");
        assertThat(meter.writeUnits() / appends).isLessThanOrEqualTo(2.2);
    }

    @Test
    void replayedAppend_writesNothing() {
        String chat = "chat-" + UUID.randomUUID();
        String key = UUID.randomUUID().toString();
        append(chat, "hello", key);

        meter.reset();
        ApiResult replay = append(chat, "hello", key);

        assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
        // The failed claim is billed like any conditional write; nothing else is written.
        assertThat(meter.writeUnits()).isEqualTo(1.0);
    }

    @Test
    void edit_costsTheNewVersionAndTheOldVersionsSnapshot() {
        String chat = "chat-" + UUID.randomUUID();
        ApiResult created = append(chat, "y".repeat(700), UUID.randomUUID().toString());
        String path = "/v1/chats/" + chat + "/messages/" + created.json().path("messageId").asText();

        for (long version = 1; version <= 5; version++) {
            meter.reset();
            ApiResult edited = api.invoke(ApiEvent.fromFile("edit-message.json")
                    .request("PATCH", path)
                    .header("If-Match", "\"" + version + "\"")
                    .jsonBody(Map.of("text", "z".repeat(700) + version)));
            assertThat(edited.status()).isEqualTo(200);

            double snapshotUnits = Math.max(1, Math.ceil(snapshotSize(chat, version) / 1024.0));
            System.out.printf("edit to version %d: %.1f WCU (snapshot %.1f), %.1f RCU%n", version + 1,
                    meter.writeUnits(), snapshotUnits, meter.readUnits());
            assertThat(meter.charges()).extracting(CapacityMeter.Charge::operation)
                    .doesNotContain("TransactWriteItems");
            assertThat(meter.writeUnits()).isLessThanOrEqualTo(2.2 + snapshotUnits);
        }
    }

    @Test
    void pageOfFifty_isOneRequest_andEventualReadsCostHalf() {
        String chat = "chat-" + UUID.randomUUID();
        for (int i = 0; i < 120; i++) {
            append(chat, "message number " + i + " with a typical sentence or two of chat text in it", null);
        }

        meter.reset();
        ApiResult strong = api.invoke(list(chat));
        double strongUnits = meter.readUnits();
        int strongRequests = meter.requests();

        meter.reset();
        ApiResult eventual = api.invoke(list(chat).query("consistency", "eventual"));

        System.out.printf("page of 50 short messages: strong %.1f RCU, eventual %.1f RCU, one request each%n",
                strongUnits, meter.readUnits());
        assertThat(strong.json().path("items")).hasSize(50);
        assertThat(eventual.json().path("items")).hasSize(50);
        assertThat(strongRequests).isEqualTo(1);
        assertThat(meter.requests()).isEqualTo(1);
        assertThat(meter.readUnits()).isEqualTo(strongUnits / 2);
    }

    @Test
    void unknownConsistency_isABadRequest() {
        ApiResult result = api.invoke(list("chat-" + UUID.randomUUID()).query("consistency", "sometimes"));

        assertThat(result.status()).isEqualTo(400);
        assertThat(result.json().path("error").path("code").asText()).isEqualTo("invalid_parameter");
    }

    private static ApiEvent list(String chat) {
        return ApiEvent.fromFile("list-messages.json").withoutQuery()
                .request("GET", "/v1/chats/" + chat + "/messages")
                .query("limit", "50");
    }

    private static ApiResult append(String chat, String text, String idempotencyKey) {
        ApiEvent event = ApiEvent.fromFile("append-message.json")
                .request("POST", "/v1/chats/" + chat + "/messages")
                .jsonBody(Map.of("userId", USER, "isBot", false, "text", text));
        event = idempotencyKey == null
                ? event.withoutHeader("Idempotency-Key")
                : event.header("Idempotency-Key", idempotencyKey);
        ApiResult result = api.invoke(event);
        assertThat(result.status()).isEqualTo(201);
        return result;
    }

    private static int largestMessageItem(String chat) {
        return partition(chat).stream()
                .filter(item -> item.get("sk").s().startsWith("M#"))
                .mapToInt(ItemSizes::of).max().orElseThrow();
    }

    private static int snapshotSize(String chat, long version) {
        return partition(chat).stream()
                .filter(item -> item.get("sk").s().startsWith("V#") && item.get("sk").s().endsWith("#" + String.format("%010d", version)))
                .mapToInt(ItemSizes::of).findFirst().orElseThrow();
    }

    private static List<Map<String, AttributeValue>> partition(String chat) {
        String pk = MessagesTable.partitionKey(new ChatRef(TestConfigs.TENANT, chat));
        return stack.adminDynamoDb().query(b -> b.tableName(stack.table("MessagesTable"))
                .keyConditionExpression("pk = :pk")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk)))
                .consistentRead(true)).items();
    }
}
