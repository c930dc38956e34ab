package dev.chathistory.shared.repository.dynamodb;

import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/** Create-only writes, shared by the repositories that make things at most once. */
final class ConditionalPuts {

    private ConditionalPuts() {
    }

    /** Writes the item unless one with its key exists; says whether it wrote. */
    static boolean putIfAbsent(DynamoDbClient dynamoDb, String tableName, Map<String, AttributeValue> item) {
        try {
            dynamoDb.putItem(b -> b.tableName(tableName).item(item).conditionExpression("attribute_not_exists(pk)"));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }
}
