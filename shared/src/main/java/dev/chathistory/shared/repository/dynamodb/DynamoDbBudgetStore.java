package dev.chathistory.shared.repository.dynamodb;

import static dev.chathistory.shared.repository.dynamodb.MessageItems.n;
import static dev.chathistory.shared.repository.dynamodb.MessageItems.s;

import dev.chathistory.shared.limits.BudgetStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * {@link BudgetStore} in the users table: {@code pk = T#{scope}#Q, sk = {budget name}} with the
 * window's start ({@code windowStart}, epoch milliseconds) and the tokens taken in it. A take is
 * one conditional UpdateItem while the window lasts and tokens remain; only at a window's end, or
 * when fewer tokens remain than were asked for, does it read the item and write again. Items
 * expire a day after their window.
 */
public final class DynamoDbBudgetStore implements BudgetStore {

    /** Conditional writes lost to other containers before giving up on this take. */
    private static final int MAX_ATTEMPTS = 4;
    private static final Duration KEEP_AFTER_WINDOW = Duration.ofDays(1);

    private final DynamoDbClient dynamoDb;
    private final String tableName;

    public DynamoDbBudgetStore(DynamoDbClient dynamoDb, String tableName) {
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
    }

    @Override
    public Grant take(String scope, String name, int capacity, Duration window, int wanted, Instant now) {
        Map<String, AttributeValue> key = Map.of(UsersTable.PARTITION_KEY, s("T#" + scope + "#Q"),
                UsersTable.SORT_KEY, s(name));
        long staleBefore = now.toEpochMilli() - window.toMillis();
        int asking = wanted;
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            try {
                Map<String, AttributeValue> taken = addToWindow(key, asking, capacity, staleBefore);
                return new Grant(asking, windowEnds(taken, window));
            } catch (ConditionalCheckFailedException inWindowFailed) {
                Map<String, AttributeValue> current = dynamoDb.getItem(b -> b.tableName(tableName).key(key)
                        .consistentRead(true)).item();
                if (current == null || current.isEmpty() || number(current, "windowStart") <= staleBefore) {
                    if (startWindow(key, asking, now, window, staleBefore)) {
                        return new Grant(asking, now.plus(window));
                    }
                    continue; // another container started it first: take from theirs
                }
                long left = capacity - number(current, "taken");
                if (left <= 0) {
                    return new Grant(0, windowEnds(current, window));
                }
                asking = (int) Math.min(asking, left);
            }
        }
        // Lost every race: refuse this once, briefly, rather than wait on a contended item.
        return new Grant(0, now.plusSeconds(1));
    }

    private Map<String, AttributeValue> addToWindow(Map<String, AttributeValue> key, int asking, int capacity,
                                                    long staleBefore) {
        return dynamoDb.updateItem(b -> b.tableName(tableName).key(key)
                .updateExpression("SET taken = taken + :n")
                .conditionExpression("windowStart > :staleBefore AND taken <= :most")
                .expressionAttributeValues(Map.of(":n", n(asking), ":staleBefore", n(staleBefore),
                        ":most", n(capacity - asking)))
                .returnValues("ALL_NEW")).attributes();
    }

    private boolean startWindow(Map<String, AttributeValue> key, int asking, Instant now, Duration window,
                                long staleBefore) {
        try {
            dynamoDb.updateItem(b -> b.tableName(tableName).key(key)
                    .updateExpression("SET windowStart = :now, taken = :n, #ttl = :expires")
                    .conditionExpression("attribute_not_exists(pk) OR windowStart <= :staleBefore")
                    .expressionAttributeNames(Map.of("#ttl", UsersTable.TTL_ATTRIBUTE))
                    .expressionAttributeValues(Map.of(":now", n(now.toEpochMilli()), ":n", n(asking),
                            ":staleBefore", n(staleBefore),
                            ":expires", n(now.plus(window).plus(KEEP_AFTER_WINDOW).getEpochSecond()))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    private static Instant windowEnds(Map<String, AttributeValue> item, Duration window) {
        return Instant.ofEpochMilli(number(item, "windowStart")).plus(window);
    }

    private static long number(Map<String, AttributeValue> item, String name) {
        return Long.parseLong(item.get(name).n());
    }
}
