package dev.chathistory.shared.repository.dynamodb;

import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/** Create-only writes, shared by the repositories that make things at most once. */
final class ConditionalPuts {

    private ConditionalPuts() {
    }

    /**
     * Writes the item unless one with its key exists; says whether it wrote. A put whose answer
     * was lost (a timeout after DynamoDB applied it) is retried by the SDK and then fails its own
     * condition; the item found is then exactly the one sent, and that counts as written.
     */
    static boolean putIfAbsent(DynamoDbClient dynamoDb, String tableName, Map<String, AttributeValue> item) {
        try {
            dynamoDb.putItem(b -> b.tableName(tableName).item(item).conditionExpression("attribute_not_exists(pk)"));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return item.equals(current(dynamoDb, tableName, item));
        }
    }

    /** The stored item with the same key (pk, sk) as {@code item}, read consistently; empty if none. */
    static Map<String, AttributeValue> current(DynamoDbClient dynamoDb, String tableName,
                                               Map<String, AttributeValue> item) {
        Map<String, AttributeValue> key = Map.of(MessagesTable.PARTITION_KEY, item.get(MessagesTable.PARTITION_KEY),
                MessagesTable.SORT_KEY, item.get(MessagesTable.SORT_KEY));
        Map<String, AttributeValue> found = dynamoDb.getItem(b -> b.tableName(tableName).key(key).consistentRead(true))
                .item();
        return found == null ? Map.of() : found;
    }
}
