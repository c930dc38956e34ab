package dev.chathistory.messageapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chathistory.contract.LambdaExchanges;
import dev.chathistory.messageapi.testing.ApiEvent;
import dev.chathistory.messageapi.testing.ApiResult;
import dev.chathistory.shared.aws.AwsClientFactory;
import dev.chathistory.shared.config.ServiceConfig;
import dev.chathistory.shared.testing.RecordingMetrics;
import dev.chathistory.tests.TestStack;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** 250 messages read back page by page: newest first, none missing, none repeated. */
class PaginationIT {

    private static final int MESSAGES = 250;
    private static final String CHAT = "chat-pagination";

    private static final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private static TestStack stack;
    private static DynamoDbClient dynamoDb;
    private static MessageApiHandler handler;
    private static List<String> appendedOldestFirst;

    @BeforeAll
    static void appendMessages() {
        stack = TestStack.create("pages");
        ServiceConfig config = stack.configOf("MessageApiFunction");
        ExecutionInterceptor counter = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                calls.computeIfAbsent(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME),
                        name -> new AtomicInteger()).incrementAndGet();
            }
        };
        dynamoDb = AwsClientFactory.dynamoDb(config, List.of(counter));
        handler = new MessageApiHandler(MessageApi.create(config, dynamoDb, new RecordingMetrics(),
                Clock.systemUTC()), () -> { });
        appendedOldestFirst = append(CHAT, MESSAGES);
    }

    private static List<String> append(String chat, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ApiResult created = invoke(ApiEvent.fromFile("append-message.json")
                    .request("POST", "/v1/chats/" + chat + "/messages")
                    .withoutHeader("Idempotency-Key")
                    .jsonBody(Map.of("userId", "user-" + (i % 5), "isBot", i % 2 == 0, "text", "message " + i)));
            assertThat(created.status()).isEqualTo(201);
            ids.add(created.json().path("messageId").asText());
        }
        return ids;
    }

    @AfterAll
    static void close() {
        dynamoDb.close();
        stack.close();
    }

    private static ApiResult invoke(ApiEvent event) {
        return ApiResult.of(LambdaExchanges.invokeChecked(handler, event.toEvent()));
    }

    @Test
    void everyPageSize_shouldReturnAllMessagesNewestFirst_oneQueryPerPage() {
        List<String> expected = new ArrayList<>(appendedOldestFirst);
        Collections.reverse(expected);

        for (int limit : new int[] {50, 7, 100, 1}) {
            calls.clear();
            List<String> read = readAll(CHAT, limit, false);

            assertThat(read).as("page size %d", limit).containsExactlyElementsOf(expected);
            assertThat(new HashSet<>(read)).hasSize(MESSAGES);
            int pages = (int) Math.ceil((double) MESSAGES / limit);
            assertThat(calls.getOrDefault("Query", new AtomicInteger()).get())
                    .as("one Query per page for limit %d", limit)
                    .isBetween(pages, pages + 1);
            assertThat(calls).doesNotContainKey("Scan");
        }
    }

    @Test
    void deletedMessages_shouldBeSkippedAcrossPageBoundaries_unlessIncluded() {
        String chat = "chat-with-deletions";
        List<String> appended = append(chat, 95);
        List<String> expectedVisible = new ArrayList<>();
        for (int i = 0; i < appended.size(); i++) {
            String id = appended.get(i);
            if (i % 10 == 3) {
                ApiResult deleted = invoke(ApiEvent.fromFile("delete-message.json")
                        .request("DELETE", "/v1/chats/" + chat + "/messages/" + id)
                        .header("If-Match", "\"1\""));
                assertThat(deleted.status()).isEqualTo(200);
            } else {
                expectedVisible.add(id);
            }
        }
        Collections.reverse(expectedVisible);
        List<String> expectedAll = new ArrayList<>(appended);
        Collections.reverse(expectedAll);

        assertThat(readAll(chat, 20, false)).containsExactlyElementsOf(expectedVisible);
        assertThat(readAll(chat, 20, true)).containsExactlyElementsOf(expectedAll);
    }

    private static List<String> readAll(String chat, int limit, boolean includeDeleted) {
        List<String> read = new ArrayList<>();
        String cursor = null;
        int guard = 0;
        do {
            ApiEvent request = ApiEvent.fromFile("list-messages.json")
                    .request("GET", "/v1/chats/" + chat + "/messages")
                    .query("limit", Integer.toString(limit))
                    .query("includeDeleted", Boolean.toString(includeDeleted));
            if (cursor != null) {
                request.query("cursor", cursor);
            }
            ApiResult page = invoke(request);
            assertThat(page.status()).isEqualTo(200);
            JsonNode items = page.json().path("items");
            assertThat(items.size()).isLessThanOrEqualTo(limit);
            items.forEach(item -> read.add(item.path("messageId").asText()));
            cursor = page.json().path("nextCursor").isNull() ? null : page.json().path("nextCursor").asText();
            assertThat(++guard).as("pages read").isLessThanOrEqualTo(MESSAGES + 1);
        } while (cursor != null);
        return read;
    }
}
