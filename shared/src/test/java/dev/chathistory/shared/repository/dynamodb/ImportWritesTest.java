package dev.chathistory.shared.repository.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;

class ImportWritesTest {

    private final ScriptedDynamoDb dynamoDb = new ScriptedDynamoDb();

    @Test
    void put_shouldBatchWriteTheAbsent_rewriteItsOwnUnchanged_andKeepEveryOtherWritersItem() {
        dynamoDb.stored("m1", "imp-0", 1);
        dynamoDb.stored("m2", "imp-1", 2);
        dynamoDb.stored("m3", "imp-1", 1);
        dynamoDb.stored("m4", null, 1);

        List<String> kept = ImportWrites.put(dynamoDb, "messages", "imp-1", items(6));

        assertThat(kept).containsExactly("m1", "m2", "m4");
        assertThat(dynamoDb.batchWritten).containsExactly("m0", "m5");
        assertThat(dynamoDb.puts).hasSize(1);
        PutItemRequest put = dynamoDb.puts.get(0);
        assertThat(put.item().get("messageId").s()).isEqualTo("m3");
        // Either item format: the compact names, or those of items written before it.
        assertThat(put.conditionExpression())
                .isEqualTo("(i = :importId AND v = :first) OR (importId = :importId AND version = :first)");
        assertThat(put.expressionAttributeValues()).isEqualTo(Map.of(
                ":importId", AttributeValue.fromS("imp-1"), ":first", AttributeValue.fromN("1")));
        assertThat(dynamoDb.reads).allSatisfy(r -> assertThat(r.requestItems().get("messages").consistentRead())
                .isTrue());
    }

    @Test
    void put_shouldKeepItsOwnItem_whenABotChangesItBetweenTheReadAndTheWrite() {
        dynamoDb.stored("m0", "imp-1", 1);
        dynamoDb.failConditionalPuts = true;

        assertThat(ImportWrites.put(dynamoDb, "messages", "imp-1", items(1))).containsExactly("m0");
    }

    @Test
    void put_shouldReadAtMostAHundredKeysACall() {
        ImportWrites.put(dynamoDb, "messages", "imp-1", items(250));

        assertThat(dynamoDb.reads).extracting(r -> r.requestItems().get("messages").keys().size())
                .containsExactly(100, 100, 50);
        assertThat(dynamoDb.batchWritten).hasSize(250);
    }

    private static List<Map<String, AttributeValue>> items(int count) {
        return IntStream.range(0, count).mapToObj(i -> Map.of(
                "pk", AttributeValue.fromS("T#t#C#c"), "sk", AttributeValue.fromS("M#m" + i),
                "messageId", AttributeValue.fromS("m" + i), "text", AttributeValue.fromS("hello")))
                .toList();
    }

    /** Answers reads from the items it was given; records writes. */
    private static final class ScriptedDynamoDb implements DynamoDbClient {
        final List<BatchGetItemRequest> reads = new ArrayList<>();
        final List<String> batchWritten = new ArrayList<>();
        final List<PutItemRequest> puts = new ArrayList<>();
        boolean failConditionalPuts;
        private final Map<String, Map<String, AttributeValue>> stored = new HashMap<>();

        void stored(String messageId, String importId, long version) {
            Map<String, AttributeValue> item = new HashMap<>(Map.of("pk", AttributeValue.fromS("T#t#C#c"),
                    "sk", AttributeValue.fromS("M#" + messageId),
                    "version", AttributeValue.fromN(Long.toString(version))));
            if (importId != null) {
                item.put("importId", AttributeValue.fromS(importId));
            }
            stored.put("M#" + messageId, item);
        }

        @Override
        public BatchGetItemResponse batchGetItem(BatchGetItemRequest request) {
            reads.add(request);
            List<Map<String, AttributeValue>> found = request.requestItems().get("messages").keys().stream()
                    .map(key -> stored.get(key.get("sk").s())).filter(java.util.Objects::nonNull).toList();
            return BatchGetItemResponse.builder().responses(Map.of("messages", found)).build();
        }

        @Override
        public BatchWriteItemResponse batchWriteItem(BatchWriteItemRequest request) {
            request.requestItems().get("messages")
                    .forEach(w -> batchWritten.add(w.putRequest().item().get("messageId").s()));
            return BatchWriteItemResponse.builder().build();
        }

        @Override
        public PutItemResponse putItem(PutItemRequest request) {
            puts.add(request);
            if (failConditionalPuts) {
                throw ConditionalCheckFailedException.builder().message("changed").build();
            }
            return PutItemResponse.builder().build();
        }

        @Override
        public String serviceName() {
            return "dynamodb";
        }

        @Override
        public void close() {
        }
    }
}
