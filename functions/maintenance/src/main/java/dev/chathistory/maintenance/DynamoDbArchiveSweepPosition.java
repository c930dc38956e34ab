package dev.chathistory.maintenance;

import dev.chathistory.shared.repository.dynamodb.UsersTable;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@link ArchiveSweepPosition} as one item beside the sweep's checkpoint in the users table:
 * {@code pk = SYS#maintenance, sk = ARCHIVE_SWEEP}. It takes no lease: two sweeps at once
 * delete the same orphans (deleting twice is harmless) and the last position saved wins.
 */
public final class DynamoDbArchiveSweepPosition implements ArchiveSweepPosition {

    static final String SORT_KEY_VALUE = "ARCHIVE_SWEEP";
    private static final String START_AFTER = "startAfter";
    private static final Map<String, AttributeValue> KEY = Map.of(
            UsersTable.PARTITION_KEY, AttributeValue.fromS(DynamoDbCheckpointStore.PARTITION_KEY_VALUE),
            UsersTable.SORT_KEY, AttributeValue.fromS(SORT_KEY_VALUE));

    private final DynamoDbClient dynamoDb;
    private final String tableName;

    public DynamoDbArchiveSweepPosition(DynamoDbClient dynamoDb, String tableName) {
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
    }

    @Override
    public Optional<String> read() {
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(tableName).key(KEY).consistentRead(true))
                .item();
        return item == null || !item.containsKey(START_AFTER) ? Optional.empty()
                : Optional.of(item.get(START_AFTER).s());
    }

    @Override
    public void save(String startAfter) {
        if (startAfter == null) {
            dynamoDb.updateItem(b -> b.tableName(tableName).key(KEY).updateExpression("REMOVE " + START_AFTER));
        } else {
            dynamoDb.updateItem(b -> b.tableName(tableName).key(KEY)
                    .updateExpression("SET " + START_AFTER + " = :key")
                    .expressionAttributeValues(Map.of(":key", AttributeValue.fromS(startAfter))));
        }
    }
}
