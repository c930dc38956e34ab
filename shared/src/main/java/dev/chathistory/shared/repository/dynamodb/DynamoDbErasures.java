package dev.chathistory.shared.repository.dynamodb;

import static dev.chathistory.shared.repository.dynamodb.MessageItems.s;

import dev.chathistory.shared.erasure.Erasures;
import dev.chathistory.shared.model.Timestamps;
import dev.chathistory.shared.model.UserRef;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * {@link Erasures} on the users table, one item per erased user under its own partition
 * ({@link UsersTable#erasurePartitionKey}), so it never counts as data of the user it names.
 */
public final class DynamoDbErasures implements Erasures {

    private static final String ERASED_UP_TO = "erasedUpTo";

    private final DynamoDbClient dynamoDb;
    private final String tableName;

    public DynamoDbErasures(DynamoDbClient dynamoDb, String tableName) {
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
    }

    @Override
    public void record(UserRef user, Instant cutoff, String jobId) {
        try {
            // ISO-8601 instants of one format compare as strings in time order.
            dynamoDb.updateItem(b -> b.tableName(tableName)
                    .key(key(user))
                    .updateExpression("SET #upTo = :upTo, jobId = :job")
                    .conditionExpression("attribute_not_exists(#upTo) OR #upTo <= :upTo")
                    .expressionAttributeNames(Map.of("#upTo", ERASED_UP_TO))
                    .expressionAttributeValues(Map.of(
                            ":upTo", s(Timestamps.format(cutoff)), ":job", s(jobId))));
        } catch (ConditionalCheckFailedException laterErase) {
            // A later erase already recorded a later cutoff, which covers this one.
        }
    }

    @Override
    public Optional<Instant> erasedUpTo(UserRef user) {
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(tableName)
                .key(key(user))
                .consistentRead(true)).item();
        if (item == null || !item.containsKey(ERASED_UP_TO)) {
            return Optional.empty();
        }
        return Optional.of(Timestamps.parse(item.get(ERASED_UP_TO).s()));
    }

    private static Map<String, AttributeValue> key(UserRef user) {
        return Map.of(
                UsersTable.PARTITION_KEY, s(UsersTable.erasurePartitionKey(user)),
                UsersTable.SORT_KEY, s(UsersTable.ERASED));
    }
}
