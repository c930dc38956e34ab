package dev.chathistory.shared.repository.dynamodb;

import static dev.chathistory.shared.repository.dynamodb.MessageItems.n;
import static dev.chathistory.shared.repository.dynamodb.MessageItems.s;

import dev.chathistory.shared.jobs.Leases;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * {@link Leases} in the users table: one item per scope ({@link UsersTable#leasePartitionKey}),
 * taken and released by conditional writes. A lease's end is also its TTL, so leases of crashed
 * holders do not pile up.
 */
public final class DynamoDbLeases implements Leases {

    private static final String HOLDER = "holder";
    private static final String UNTIL = "leaseUntilMs";

    private final DynamoDbClient dynamoDb;
    private final String tableName;

    public DynamoDbLeases(DynamoDbClient dynamoDb, String tableName) {
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
    }

    @Override
    public Optional<Instant> tryAcquire(String scope, String holder, Instant now, Duration ttl) {
        Instant until = now.plus(ttl);
        try {
            dynamoDb.putItem(b -> b.tableName(tableName)
                    .item(Map.of(
                            UsersTable.PARTITION_KEY, s(UsersTable.leasePartitionKey(scope)),
                            UsersTable.SORT_KEY, s(UsersTable.LEASE),
                            HOLDER, s(holder),
                            UNTIL, n(until.toEpochMilli()),
                            UsersTable.TTL_ATTRIBUTE, n(until.getEpochSecond() + 1)))
                    .conditionExpression("attribute_not_exists(pk) OR #holder = :holder OR #until <= :now")
                    .expressionAttributeNames(Map.of("#holder", HOLDER, "#until", UNTIL))
                    .expressionAttributeValues(Map.of(":holder", s(holder), ":now", n(now.toEpochMilli())))
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            return Optional.empty();
        } catch (ConditionalCheckFailedException held) {
            Map<String, AttributeValue> current = held.item();
            if (current == null || !current.containsKey(UNTIL)) {
                return Optional.of(now.plus(ttl));
            }
            return Optional.of(Instant.ofEpochMilli(Long.parseLong(current.get(UNTIL).n())));
        }
    }

    @Override
    public void release(String scope, String holder) {
        try {
            dynamoDb.deleteItem(b -> b.tableName(tableName)
                    .key(Map.of(
                            UsersTable.PARTITION_KEY, s(UsersTable.leasePartitionKey(scope)),
                            UsersTable.SORT_KEY, s(UsersTable.LEASE)))
                    .conditionExpression("#holder = :holder")
                    .expressionAttributeNames(Map.of("#holder", HOLDER))
                    .expressionAttributeValues(Map.of(":holder", s(holder))));
        } catch (ConditionalCheckFailedException notOurs) {
            // Expired and taken by another holder, or already gone.
        }
    }
}
