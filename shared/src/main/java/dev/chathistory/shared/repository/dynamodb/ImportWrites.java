package dev.chathistory.shared.repository.dynamodb;

import static dev.chathistory.shared.repository.dynamodb.MessageItems.n;
import static dev.chathistory.shared.repository.dynamodb.MessageItems.s;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

/**
 * Writes imported message items so that none overwrites another writer's item: a strongly
 * consistent {@code BatchGetItem} (100 keys a call) first finds which ids are taken; the absent
 * ones go in {@code BatchWriteItem} calls; an item that is this import's own and unchanged
 * (version 1) is put again on exactly that condition; every other is left as it is.
 *
 * <p>Why not a condition on every write: {@code BatchWriteItem} takes none, one conditional
 * {@code PutItem} per message is 25 times the calls, and {@code TransactWriteItems} costs two
 * write units per item (and the moto emulator copies the whole table for every item of a
 * transaction, so an import of thousands of rows stalls). A read costs a fifth of a write.
 * Unconditional writes are safe for ids proven absent because nothing but an import creates an
 * item with an id derived from a legacy row: the API mints fresh ULIDs, and bots edit or delete
 * only what exists. Two imports of the same rows run at the same moment could still both find an
 * id absent; the later write wins, and every message still carries the id of the import that wrote
 * it, so each rollback removes exactly its own.
 */
final class ImportWrites {

    static final int MAX_KEYS_PER_READ = 100;
    static final int MAX_ROUNDS = 10;
    private static final String OWN_AND_UNCHANGED = "(i = :importId AND v = :first) OR (importId = :importId AND version = :first)";
    private static final BackoffStrategy BACKOFF =
            BackoffStrategy.exponentialDelayHalfJitter(Duration.ofMillis(50), Duration.ofSeconds(5));

    private ImportWrites() {
    }

    /** Returns the message ids of the items left as they were. */
    static List<String> put(DynamoDbClient dynamoDb, String tableName, String importId,
                            List<Map<String, AttributeValue>> items) {
        List<String> kept = new ArrayList<>();
        List<Map<String, AttributeValue>> absent = new ArrayList<>();
        List<Map<String, AttributeValue>> own = new ArrayList<>();
        for (int from = 0; from < items.size(); from += MAX_KEYS_PER_READ) {
            List<Map<String, AttributeValue>> group = items.subList(from, Math.min(items.size(),
                    from + MAX_KEYS_PER_READ));
            Map<Map<String, AttributeValue>, Map<String, AttributeValue>> found = existing(dynamoDb, tableName, group);
            for (Map<String, AttributeValue> item : group) {
                Map<String, AttributeValue> current = found.get(key(item));
                if (current == null) {
                    absent.add(item);
                } else if (ownAndUnchanged(current, importId)) {
                    own.add(item);
                } else {
                    kept.add(MessageItems.messageIdOf(item));
                }
            }
        }
        BatchWrites.putAll(dynamoDb, tableName, absent);
        for (Map<String, AttributeValue> item : own) {
            if (!putIfOwnAndUnchanged(dynamoDb, tableName, importId, item)) {
                kept.add(MessageItems.messageIdOf(item));
            }
        }
        return kept;
    }

    /** The stored items (key, importId, version) among {@code items}' keys, by key. */
    private static Map<Map<String, AttributeValue>, Map<String, AttributeValue>> existing(
            DynamoDbClient dynamoDb, String tableName, List<Map<String, AttributeValue>> items) {
        Map<Map<String, AttributeValue>, Map<String, AttributeValue>> found = new HashMap<>();
        KeysAndAttributes pending = KeysAndAttributes.builder()
                .keys(items.stream().map(ImportWrites::key).toList())
                .projectionExpression("pk, sk, i, v, importId, version")
                .consistentRead(true)
                .build();
        for (int round = 1; ; round++) {
            KeysAndAttributes request = pending;
            var response = dynamoDb.batchGetItem(b -> b.requestItems(Map.of(tableName, request)));
            response.responses().getOrDefault(tableName, List.of()).forEach(item -> found.put(key(item), item));
            pending = response.unprocessedKeys().get(tableName);
            if (pending == null || !pending.hasKeys() || pending.keys().isEmpty()) {
                return found;
            }
            if (round == MAX_ROUNDS) {
                throw new IllegalStateException(pending.keys().size() + " keys still unread after " + MAX_ROUNDS
                        + " batch get rounds");
            }
            sleep(BACKOFF.computeDelay(round));
        }
    }

    private static boolean ownAndUnchanged(Map<String, AttributeValue> current, String importId) {
        Long version = MessageItems.versionOf(current);
        return importId.equals(MessageItems.importIdOf(current)) && version != null && version == 1;
    }

    /** A resumed import rewrites its own item, unless a bot changed it since it was read. */
    private static boolean putIfOwnAndUnchanged(DynamoDbClient dynamoDb, String tableName, String importId,
                                                Map<String, AttributeValue> item) {
        try {
            dynamoDb.putItem(b -> b.tableName(tableName).item(item).conditionExpression(OWN_AND_UNCHANGED)
                    .expressionAttributeValues(Map.of(":importId", s(importId), ":first", n(1))));
            return true;
        } catch (ConditionalCheckFailedException changedMeanwhile) {
            return false;
        }
    }

    private static Map<String, AttributeValue> key(Map<String, AttributeValue> item) {
        return Map.of(MessagesTable.PARTITION_KEY, item.get(MessagesTable.PARTITION_KEY),
                MessagesTable.SORT_KEY, item.get(MessagesTable.SORT_KEY));
    }

    private static void sleep(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while backing off an import read", e);
        }
    }
}
