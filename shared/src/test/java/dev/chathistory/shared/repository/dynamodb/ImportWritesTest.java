package dev.chathistory.shared.repository.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

class ImportWritesTest {

    private final ScriptedDynamoDb dynamoDb = new ScriptedDynamoDb();

    @Test
    void put_shouldCondition_eachItemOnBeingAbsentOrThisImportsOwnFirstVersion() {
        List<String> kept = ImportWrites.put(dynamoDb, "messages", "imp-1", items(2, 10));

        assertThat(kept).isEmpty();
        assertThat(dynamoDb.requests).hasSize(1);
        Put put = dynamoDb.requests.get(0).transactItems().get(0).put();
        assertThat(put.tableName()).isEqualTo("messages");
        assertThat(put.conditionExpression())
                .isEqualTo("attribute_not_exists(pk) OR (importId = :importId AND version = :first)");
        assertThat(put.expressionAttributeValues()).isEqualTo(Map.of(
                ":importId", AttributeValue.fromS("imp-1"), ":first", AttributeValue.fromN("1")));
    }

    @Test
    void put_shouldKeepTheItemsWhoseConditionFailed_andWriteTheRestAgain() {
        dynamoDb.cancelNext(List.of("None", "ConditionalCheckFailed", "None"));

        List<String> kept = ImportWrites.put(dynamoDb, "messages", "imp-2", items(3, 10));

        assertThat(kept).containsExactly("m1");
        assertThat(dynamoDb.requests).hasSize(2);
        assertThat(messageIds(dynamoDb.requests.get(1))).containsExactly("m0", "m2");
    }

    @Test
    void put_shouldSendAgainAfterAConflict_withoutKeepingAnything() {
        dynamoDb.cancelNext(List.of("None", "TransactionConflict"));

        List<String> kept = ImportWrites.put(dynamoDb, "messages", "imp-1", items(2, 10));

        assertThat(kept).isEmpty();
        assertThat(messageIds(dynamoDb.requests.get(1))).containsExactly("m0", "m1");
    }

    @Test
    void groups_shouldStayWithinATransactionsItemCountAndSize() {
        assertThat(ImportWrites.groups(items(250, 10))).extracting(List::size).containsExactly(100, 100, 50);
        assertThat(ImportWrites.groups(items(25, 300_000))).allSatisfy(group -> assertThat(group.stream()
                .mapToLong(i -> i.get("text").s().length()).sum()).isLessThan(ImportWrites.MAX_BYTES_PER_CALL));
    }

    private static List<Map<String, AttributeValue>> items(int count, int textBytes) {
        return IntStream.range(0, count).mapToObj(i -> Map.of(
                "pk", AttributeValue.fromS("T#t#C#c"), "sk", AttributeValue.fromS("M#m" + i),
                "messageId", AttributeValue.fromS("m" + i), "text", AttributeValue.fromS("x".repeat(textBytes))))
                .toList();
    }

    private static List<String> messageIds(TransactWriteItemsRequest request) {
        return request.transactItems().stream().map(TransactWriteItem::put)
                .map(p -> p.item().get("messageId").s()).toList();
    }

    /** Records each transaction; cancels the next ones with the scripted reason codes. */
    private static final class ScriptedDynamoDb implements DynamoDbClient {
        final List<TransactWriteItemsRequest> requests = new ArrayList<>();
        private final Deque<List<String>> cancellations = new ArrayDeque<>();

        void cancelNext(List<String> codes) {
            cancellations.add(codes);
        }

        @Override
        public TransactWriteItemsResponse transactWriteItems(TransactWriteItemsRequest request) {
            requests.add(request);
            List<String> codes = cancellations.poll();
            if (codes != null) {
                throw TransactionCanceledException.builder().message("cancelled")
                        .cancellationReasons(codes.stream().map(c -> CancellationReason.builder().code(c).build())
                                .toList())
                        .build();
            }
            return TransactWriteItemsResponse.builder().build();
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
