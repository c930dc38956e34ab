package dev.chathistory.shared.repository.dynamodb;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DeleteRequest;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Puts or deletes items with {@code BatchWriteItem}, 25 a call. DynamoDB may accept a call yet leave some of
 * its items unprocessed (throttling, a partition at its limit); the SDK's own retries never see
 * those, so they are sent again here, with exponential backoff and jitter between rounds.
 */
final class BatchWrites {

    static final int MAX_ITEMS_PER_CALL = 25;
    static final int MAX_ROUNDS = 10;
    private static final BackoffStrategy BACKOFF =
            BackoffStrategy.exponentialDelayHalfJitter(Duration.ofMillis(50), Duration.ofSeconds(5));

    private BatchWrites() {
    }

    static void putAll(DynamoDbClient dynamoDb, String tableName, List<Map<String, AttributeValue>> items) {
        writeAll(dynamoDb, tableName, items.stream()
                .map(item -> WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build())
                .toList());
    }

    static void deleteAll(DynamoDbClient dynamoDb, String tableName, List<Map<String, AttributeValue>> keys) {
        writeAll(dynamoDb, tableName, keys.stream()
                .map(key -> WriteRequest.builder().deleteRequest(DeleteRequest.builder().key(key).build()).build())
                .toList());
    }

    private static void writeAll(DynamoDbClient dynamoDb, String tableName, List<WriteRequest> requests) {
        for (int from = 0; from < requests.size(); from += MAX_ITEMS_PER_CALL) {
            writeUntilProcessed(dynamoDb, tableName,
                    requests.subList(from, Math.min(requests.size(), from + MAX_ITEMS_PER_CALL)));
        }
    }

    private static void writeUntilProcessed(DynamoDbClient dynamoDb, String tableName, List<WriteRequest> requests) {
        List<WriteRequest> pending = requests;
        for (int round = 1; ; round++) {
            List<WriteRequest> batch = pending;
            pending = dynamoDb.batchWriteItem(b -> b.requestItems(Map.of(tableName, batch)))
                    .unprocessedItems().getOrDefault(tableName, List.of());
            if (pending.isEmpty()) {
                return;
            }
            if (round == MAX_ROUNDS) {
                throw new IllegalStateException(pending.size() + " items still unprocessed after "
                        + MAX_ROUNDS + " batch write rounds");
            }
            sleep(BACKOFF.computeDelay(round));
        }
    }

    private static void sleep(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while backing off a batch write", e);
        }
    }
}
