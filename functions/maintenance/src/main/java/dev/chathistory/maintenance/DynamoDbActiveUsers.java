package dev.chathistory.maintenance;

import dev.chathistory.shared.model.Timestamps;
import dev.chathistory.shared.model.UserRef;
import dev.chathistory.shared.repository.dynamodb.UsersTable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * {@link ActiveUsers} on the users table's sparse ActiveUsers index (keys only). Only profile
 * items carry {@code activeShard}, so every item names one user.
 */
public final class DynamoDbActiveUsers implements ActiveUsers {

    private static final Logger LOG = LoggerFactory.getLogger(DynamoDbActiveUsers.class);

    private final DynamoDbClient dynamoDb;
    private final String tableName;

    public DynamoDbActiveUsers(DynamoDbClient dynamoDb, String tableName) {
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
    }

    @Override
    public Page page(String shardKey, Instant from, Instant to, String startKey, int limit) {
        QueryResponse response = dynamoDb.query(b -> b.tableName(tableName)
                .indexName(UsersTable.ACTIVE_USERS_INDEX)
                .keyConditionExpression("#shard = :shard AND #at BETWEEN :from AND :to")
                .expressionAttributeNames(Map.of("#shard", UsersTable.ACTIVE_SHARD, "#at", UsersTable.LAST_ACTIVE_AT))
                .expressionAttributeValues(Map.of(
                        ":shard", AttributeValue.fromS(shardKey),
                        ":from", AttributeValue.fromS(Timestamps.format(from)),
                        ":to", AttributeValue.fromS(Timestamps.format(to))))
                .exclusiveStartKey(startKey == null ? null : ExclusiveStartKeys.fromJson(startKey))
                .limit(limit));
        List<UserRef> users = new ArrayList<>(response.items().size());
        for (Map<String, AttributeValue> item : response.items()) {
            try {
                users.add(UsersTable.userOf(item.get(UsersTable.PARTITION_KEY).s()));
            } catch (RuntimeException notAUser) {
                // Not expected (only profiles are indexed); skipping beats stopping every sweep on it.
                LOG.warn("skipped an ActiveUsers entry that is not a user profile");
            }
        }
        String next = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
                ? ExclusiveStartKeys.toJson(response.lastEvaluatedKey()) : null;
        return new Page(users, next);
    }
}
