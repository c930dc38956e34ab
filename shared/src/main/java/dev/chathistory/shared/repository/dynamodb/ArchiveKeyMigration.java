package dev.chathistory.shared.repository.dynamodb;

import static dev.chathistory.shared.repository.dynamodb.MessageItems.s;

import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Moves archive manifest entries written before they lived next to the messages, from
 * {@code A#{firstMessageId}} to {@code M!{firstMessageId}}, each in one transaction (the new
 * entry appears and the old one goes, or neither). Until it has run, a stack's history pages
 * and jobs do not see those archives. Safe to run again, and while the stack serves traffic:
 * an entry an erase changed meanwhile is read again and moved as it is now.
 */
public final class ArchiveKeyMigration {

    private static final int MAX_ATTEMPTS = 5;

    private final DynamoDbClient dynamoDb;
    private final String tableName;

    public ArchiveKeyMigration(DynamoDbClient dynamoDb, String tableName) {
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
    }

    /** Moves every legacy entry; returns how many it moved. */
    public int run() {
        int moved = 0;
        Map<String, AttributeValue> startKey = null;
        do {
            Map<String, AttributeValue> from = startKey;
            // A one-off full scan: legacy entries can be in any chat's partition.
            ScanResponse page = dynamoDb.scan(b -> b.tableName(tableName)
                    .filterExpression("begins_with(sk, :legacy)")
                    .expressionAttributeValues(Map.of(":legacy", s(MessagesTable.LEGACY_ARCHIVE_PREFIX)))
                    .consistentRead(true)
                    .exclusiveStartKey(from));
            for (Map<String, AttributeValue> legacy : page.items()) {
                if (move(legacy)) {
                    moved++;
                }
            }
            startKey = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (startKey != null);
        return moved;
    }

    private boolean move(Map<String, AttributeValue> legacy) {
        Map<String, AttributeValue> current = legacy;
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Map<String, AttributeValue> entry = current;
            String sortKey = entry.get(MessagesTable.SORT_KEY).s();
            Map<String, AttributeValue> moved = new HashMap<>(entry);
            moved.put(MessagesTable.SORT_KEY, s(MessagesTable.ARCHIVE_PREFIX
                    + sortKey.substring(MessagesTable.LEGACY_ARCHIVE_PREFIX.length())));
            AttributeValue objectKey = entry.get("objectKey");
            try {
                dynamoDb.transactWriteItems(b -> b.transactItems(
                        TransactWriteItem.builder().put(Put.builder()
                                .tableName(tableName)
                                .item(moved)
                                .conditionExpression("attribute_not_exists(sk)")
                                .build()).build(),
                        TransactWriteItem.builder().delete(Delete.builder()
                                .tableName(tableName)
                                .key(key(entry))
                                .conditionExpression("objectKey = :objectKey")
                                .expressionAttributeValues(Map.of(":objectKey", objectKey))
                                .build()).build()));
                return true;
            } catch (TransactionCanceledException e) {
                Map<String, AttributeValue> target = dynamoDb.getItem(b -> b.tableName(tableName)
                        .key(key(moved)).consistentRead(true)).item();
                Map<String, AttributeValue> source = dynamoDb.getItem(b -> b.tableName(tableName)
                        .key(key(entry)).consistentRead(true)).item();
                if (source == null || source.isEmpty()) {
                    return false;
                }
                if (target != null && !target.isEmpty()) {
                    // Moved before (a run that died after its transaction): only the old copy is left.
                    dynamoDb.deleteItem(b -> b.tableName(tableName).key(key(entry)));
                    return true;
                }
                current = source;
            }
        }
        throw new IllegalStateException("archive entry kept changing while it was moved: " + legacy.get("pk").s());
    }

    private static Map<String, AttributeValue> key(Map<String, AttributeValue> item) {
        return Map.of(MessagesTable.PARTITION_KEY, item.get(MessagesTable.PARTITION_KEY),
                MessagesTable.SORT_KEY, item.get(MessagesTable.SORT_KEY));
    }
}
