package dev.chathistory.messageapi;

import static org.assertj.core.api.Assertions.assertThat;

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
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

/**
 * An append with an Idempotency-Key is two conditional puts, the key's record first. A container
 * that dies between the two leaves a record naming a message that does not exist; the bot's retry
 * of the same request must then store that message, once, under the id the record names.
 */
class AppendInterruptedIT {

    private static TestStack stack;
    private static ItHandlers.Container dying;
    private static ItHandlers.Container healthy;

    @BeforeAll
    static void start() {
        stack = TestStack.create("interrupted");
        dying = ItHandlers.container(stack, new RecordingMetrics(), List.of(new DiesBeforeStoringAMessage()));
        healthy = ItHandlers.container(stack, new RecordingMetrics());
    }

    @AfterAll
    static void stop() {
        dying.close();
        healthy.close();
        stack.close();
    }

    @Test
    void retryAfterAContainerDiedBetweenTheTwoPuts_storesTheMessageOnce() {
        String chat = "chat-" + UUID.randomUUID();
        String key = UUID.randomUUID().toString();

        ApiResult interrupted = dying.invoke(append(chat, key, "first words"));
        assertThat(interrupted.status()).isEqualTo(500);
        assertThat(sortKeys(chat)).singleElement().asString().startsWith("I#");
        String claimed = healthy.dynamoDb().getItem(b -> b.tableName(stack.table("MessagesTable"))
                .key(Map.of("pk", AttributeValue.fromS(pk(chat)), "sk", AttributeValue.fromS("I#" + key)))
                .consistentRead(true)).item().get("messageId").s();

        ApiResult retried = healthy.invoke(append(chat, key, "first words"));
        ApiResult again = healthy.invoke(append(chat, key, "first words"));

        assertThat(retried.status()).isEqualTo(201);
        assertThat(retried.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(retried.json().path("messageId").asText()).isEqualTo(claimed);
        assertThat(retried.json().path("text").asText()).isEqualTo("first words");
        assertThat(again.json().path("messageId").asText()).isEqualTo(claimed);
        assertThat(sortKeys(chat)).containsExactlyInAnyOrder("I#" + key, "M#" + claimed);
    }

    @Test
    void retryWithAnotherBody_afterAnInterruptedAppend_isStillRefused() {
        String chat = "chat-" + UUID.randomUUID();
        String key = UUID.randomUUID().toString();
        dying.invoke(append(chat, key, "first words"));

        ApiResult other = healthy.invoke(append(chat, key, "other words"));

        assertThat(other.status()).isEqualTo(422);
        assertThat(sortKeys(chat)).singleElement().asString().startsWith("I#");
    }

    private static ApiEvent append(String chat, String key, String text) {
        return ApiEvent.fromFile("append-message.json")
                .request("POST", "/v1/chats/" + chat + "/messages")
                .header("Idempotency-Key", key)
                .jsonBody(Map.of("userId", "user-7", "isBot", false, "text", text));
    }

    private static String pk(String chat) {
        return MessagesTable.partitionKey(new ChatRef(TestConfigs.TENANT, chat));
    }

    private static List<String> sortKeys(String chat) {
        return stack.adminDynamoDb().query(b -> b.tableName(stack.table("MessagesTable"))
                .keyConditionExpression("pk = :pk")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk(chat))))
                .consistentRead(true)).items().stream().map(item -> item.get("sk").s()).toList();
    }

    /** Stands for a container stopped (timeout, crash) after the claim and before the message. */
    private static final class DiesBeforeStoringAMessage implements ExecutionInterceptor {
        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            if (context.request() instanceof PutItemRequest put && put.item().get("sk").s().startsWith("M#")) {
                throw new IllegalStateException("container stopped before storing the message");
            }
        }
    }
}
