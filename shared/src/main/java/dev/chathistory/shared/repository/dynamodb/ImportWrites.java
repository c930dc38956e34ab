package dev.chathistory.shared.repository.dynamodb;

import static dev.chathistory.shared.repository.dynamodb.MessageItems.n;
import static dev.chathistory.shared.repository.dynamodb.MessageItems.s;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Writes imported message items with {@code TransactWriteItems}, up to 100 a call, each put on the
 * condition that no item has its key or the item there is this import's own, unchanged (version 1).
 *
 * <p>Why transactions: {@code BatchWriteItem} takes no conditions, and one conditional
 * {@code PutItem} per message is 25 times the calls of a batch. A transaction carries a condition
 * per item at a hundred items a call; it costs two write units per item instead of one. A failed
 * condition cancels the whole call, and the cancellation names the items that failed: those are
 * kept as they are and the rest is sent again. Conflicts with a concurrent write and throttling
 * cancel it too; those rounds back off with jitter, like batch writes.
 */
final class ImportWrites {

    static final int MAX_ITEMS_PER_CALL = 100;
    /** DynamoDB refuses a transaction over 4 MB; items are measured roughly, so this leaves room. */
    static final int MAX_BYTES_PER_CALL = 3_000_000;
    static final int MAX_ROUNDS = 10;
    private static final String CONDITION_FAILED = "ConditionalCheckFailed";
    private static final String NONE = "None";
    private static final String OWN_UNCHANGED_OR_ABSENT =
            "attribute_not_exists(pk) OR (importId = :importId AND version = :first)";
    private static final BackoffStrategy BACKOFF =
            BackoffStrategy.exponentialDelayHalfJitter(Duration.ofMillis(50), Duration.ofSeconds(5));

    private ImportWrites() {
    }

    /** Returns the message ids of the items left as they were. */
    static List<String> put(DynamoDbClient dynamoDb, String tableName, String importId,
                            List<Map<String, AttributeValue>> items) {
        List<String> kept = new ArrayList<>();
        for (List<Map<String, AttributeValue>> group : groups(items)) {
            kept.addAll(putGroup(dynamoDb, tableName, importId, group));
        }
        return kept;
    }

    /** Consecutive runs of items, each within one call's limits. */
    static List<List<Map<String, AttributeValue>>> groups(List<Map<String, AttributeValue>> items) {
        List<List<Map<String, AttributeValue>>> groups = new ArrayList<>();
        List<Map<String, AttributeValue>> current = new ArrayList<>();
        long bytes = 0;
        for (Map<String, AttributeValue> item : items) {
            long size = approximateSize(item);
            if (!current.isEmpty() && (current.size() == MAX_ITEMS_PER_CALL || bytes + size > MAX_BYTES_PER_CALL)) {
                groups.add(current);
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(item);
            bytes += size;
        }
        if (!current.isEmpty()) {
            groups.add(current);
        }
        return groups;
    }

    private static List<String> putGroup(DynamoDbClient dynamoDb, String tableName, String importId,
                                         List<Map<String, AttributeValue>> group) {
        List<String> kept = new ArrayList<>();
        List<Map<String, AttributeValue>> pending = group;
        for (int round = 1; !pending.isEmpty(); round++) {
            List<TransactWriteItem> puts = pending.stream().map(item -> TransactWriteItem.builder()
                    .put(Put.builder().tableName(tableName).item(item)
                            .conditionExpression(OWN_UNCHANGED_OR_ABSENT)
                            .expressionAttributeValues(Map.of(":importId", s(importId), ":first", n(1)))
                            .build())
                    .build()).toList();
            try {
                dynamoDb.transactWriteItems(b -> b.transactItems(puts));
                return kept;
            } catch (TransactionCanceledException e) {
                List<CancellationReason> reasons = e.cancellationReasons();
                List<Map<String, AttributeValue>> retry = new ArrayList<>();
                boolean onlyConditions = true;
                for (int i = 0; i < pending.size(); i++) {
                    String code = i < reasons.size() ? reasons.get(i).code() : null;
                    if (CONDITION_FAILED.equals(code)) {
                        kept.add(pending.get(i).get("messageId").s());
                    } else {
                        retry.add(pending.get(i));
                        onlyConditions &= NONE.equals(code);
                    }
                }
                pending = retry;
                if (!onlyConditions) {
                    // A conflict with a concurrent write, or throttling: back off before the next round.
                    if (round == MAX_ROUNDS) {
                        throw new IllegalStateException(pending.size() + " imported messages still not written "
                                + "after " + MAX_ROUNDS + " transaction rounds", e);
                    }
                    sleep(BACKOFF.computeDelay(round));
                }
            }
        }
        return kept;
    }

    /** Attribute names and values in bytes, as DynamoDB counts an item's size, near enough. */
    private static long approximateSize(Map<String, AttributeValue> item) {
        long size = 0;
        for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
            size += e.getKey().length();
            AttributeValue v = e.getValue();
            size += v.s() != null ? v.s().getBytes(StandardCharsets.UTF_8).length : v.n() != null ? v.n().length() : 1;
        }
        return size + 100;
    }

    private static void sleep(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while backing off an import write", e);
        }
    }
}
