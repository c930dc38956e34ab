package dev.chathistory.messageapi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chathistory.messageapi.testing.ApiEvent;
import dev.chathistory.messageapi.testing.ApiResult;
import dev.chathistory.shared.model.ChatRef;
import dev.chathistory.shared.repository.dynamodb.MessagesTable;
import dev.chathistory.shared.testing.RecordingMetrics;
import dev.chathistory.shared.testing.TestConfigs;
import dev.chathistory.tests.TestStack;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Many Lambda containers racing on the same item. Each thread is its own container (its own
 * SDK client and caches) and all start together, so the conditions in DynamoDB decide.
 */
class ConcurrencyIT {

    private static TestStack stack;
    private static List<ItHandlers.Container> containers;

    @BeforeAll
    static void startContainers() {
        stack = TestStack.create("race");
        containers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            containers.add(ItHandlers.container(stack, new RecordingMetrics()));
        }
    }

    @AfterAll
    static void stopContainers() {
        containers.forEach(ItHandlers.Container::close);
        stack.close();
    }

    @Test
    void twentyEditsWithTheSameIfMatch_shouldLetExactlyOneWin() throws Exception {
        String chat = "chat-" + UUID.randomUUID();
        ApiResult created = containers.get(0).invoke(ApiEvent.fromFile("append-message.json")
                .request("POST", "/v1/chats/" + chat + "/messages").withoutHeader("Idempotency-Key"));
        String path = "/v1/chats/" + chat + "/messages/" + created.json().path("messageId").asText();

        List<ApiResult> results = race(20, i -> ApiEvent.fromFile("edit-message.json")
                .request("PATCH", path)
                .header("If-Match", "\"1\"")
                .jsonBody(Map.of("text", "edit from container " + i)));

        assertThat(results).filteredOn(r -> r.status() == 200).hasSize(1);
        assertThat(results).filteredOn(r -> r.status() == 412).hasSize(19)
                .allSatisfy(r -> assertThat(r.json().path("error").path("currentVersion").asLong()).isEqualTo(2));
        String winner = results.stream().filter(r -> r.status() == 200).findFirst().orElseThrow()
                .json().path("text").asText();

        ApiResult versions = containers.get(0).invoke(ApiEvent.fromFile("list-versions.json")
                .request("GET", path + "/versions").query("limit", "100"));
        assertThat(versions.json().path("items")).extracting(v -> v.path("version").asLong())
                .containsExactly(2L, 1L);
        assertThat(versions.json().path("items").get(0).path("text").asText()).isEqualTo(winner);
        assertThat(versions.json().path("items").get(1).path("text").asText()).isEqualTo("Hello, bot!");
        assertThat(partition(chat)).filteredOn(sk -> sk.startsWith("V#")).hasSize(1);
    }

    @Test
    void tenAppendsWithOneIdempotencyKey_shouldStoreExactlyOneMessage() throws Exception {
        String chat = "chat-" + UUID.randomUUID();
        String key = UUID.randomUUID().toString();

        List<ApiResult> results = race(10, i -> ApiEvent.fromFile("append-message.json")
                .request("POST", "/v1/chats/" + chat + "/messages")
                .header("Idempotency-Key", key));

        assertThat(results).allSatisfy(r -> assertThat(r.status()).isEqualTo(201));
        assertThat(results).extracting(r -> r.json().path("messageId").asText()).containsOnly(
                results.get(0).json().path("messageId").asText());
        assertThat(results).filteredOn(r -> r.header("Idempotent-Replayed") == null).hasSize(1);
        assertThat(partition(chat)).filteredOn(sk -> sk.startsWith("M#")).hasSize(1);
        assertThat(partition(chat)).filteredOn(sk -> sk.startsWith("I#")).hasSize(1);
    }

    @Test
    void tenSettingsCreatesAtVersionZero_shouldLetExactlyOneWin() throws Exception {
        String path = "/v1/users/user-" + UUID.randomUUID() + "/settings";

        List<ApiResult> results = race(10, i -> ApiEvent.fromFile("put-settings.json")
                .request("PUT", path)
                .jsonBody(Map.of("writer", i)));

        assertThat(results).filteredOn(r -> r.status() == 200).hasSize(1);
        assertThat(results).filteredOn(r -> r.status() == 412).hasSize(9);
    }

    /** Sends n requests from n containers at the same instant and collects the results. */
    private static List<ApiResult> race(int n, IntFunction<ApiEvent> request) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch ready = new CountDownLatch(n);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<ApiResult>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                ItHandlers.Container container = containers.get(i);
                ApiEvent event = request.apply(i);
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    return container.invoke(event);
                }));
            }
            assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
            go.countDown();
            List<ApiResult> results = new ArrayList<>();
            for (Future<ApiResult> future : futures) {
                results.add(future.get(60, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<String> partition(String chat) {
        String pk = MessagesTable.partitionKey(new ChatRef(TestConfigs.TENANT, chat));
        return stack.adminDynamoDb().query(b -> b.tableName(stack.table("MessagesTable"))
                .keyConditionExpression("pk = :pk")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk)))
                .consistentRead(true)).items().stream()
                .map(item -> item.get("sk").s())
                .toList();
    }
}
