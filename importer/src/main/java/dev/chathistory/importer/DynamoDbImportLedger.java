package dev.chathistory.importer;

import dev.chathistory.shared.model.Timestamps;
import dev.chathistory.shared.repository.dynamodb.QueryPages;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * The ledger in the users table, under the tenant's key like everything of the tenant:
 * <pre>
 * pk = T#{tenant}#IMPORT#{importId}, sk = IMPORT     source, status, position, counts, times
 *                                    sk = C#{chatId} a chat the import wrote to
 * </pre>
 */
final class DynamoDbImportLedger implements ImportLedger {

    private static final String RECORD = "IMPORT";
    private static final String CHAT_PREFIX = "C#";

    private final DynamoDbClient dynamoDb;
    private final String tableName;

    DynamoDbImportLedger(DynamoDbClient dynamoDb, String tableName) {
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
    }

    @Override
    public Optional<State> find(String tenantId, String importId) {
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(tableName)
                .key(key(tenantId, importId, RECORD)).consistentRead(true)).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new State(tenantId, importId, item.get("source").s(),
                Status.valueOf(item.get("status").s()),
                item.containsKey("position") ? Long.parseLong(item.get("position").n()) : null,
                Long.parseLong(item.get("messagesImported").n()),
                Timestamps.parse(item.get("startedAt").s()), Timestamps.parse(item.get("updatedAt").s())));
    }

    @Override
    public State start(String tenantId, String importId, String source, Instant now) {
        Map<String, AttributeValue> item = new HashMap<>(key(tenantId, importId, RECORD));
        item.put("source", s(source));
        item.put("status", s(Status.RUNNING.name()));
        item.put("messagesImported", n(0));
        item.put("startedAt", s(Timestamps.format(now)));
        item.put("updatedAt", s(Timestamps.format(now)));
        try {
            dynamoDb.putItem(b -> b.tableName(tableName).item(item).conditionExpression("attribute_not_exists(pk)"));
        } catch (ConditionalCheckFailedException exists) {
            // Resuming: what is recorded wins.
        }
        return find(tenantId, importId).orElseThrow();
    }

    @Override
    public void checkpoint(String tenantId, String importId, long position, Instant now) {
        dynamoDb.updateItem(b -> b.tableName(tableName).key(key(tenantId, importId, RECORD))
                .updateExpression("SET #position = :position, updatedAt = :now")
                .expressionAttributeNames(Map.of("#position", "position"))
                .expressionAttributeValues(Map.of(":position", n(position), ":now", s(Timestamps.format(now)))));
    }

    @Override
    public void finish(String tenantId, String importId, Status status, long messagesImported, Instant now) {
        dynamoDb.updateItem(b -> b.tableName(tableName).key(key(tenantId, importId, RECORD))
                .updateExpression("SET #status = :status, messagesImported = :count, updatedAt = :now")
                .expressionAttributeNames(Map.of("#status", "status"))
                .expressionAttributeValues(Map.of(":status", s(status.name()), ":count", n(messagesImported),
                        ":now", s(Timestamps.format(now)))));
    }

    @Override
    public void addChat(String tenantId, String importId, String chatId) {
        Map<String, AttributeValue> item = new HashMap<>(key(tenantId, importId, CHAT_PREFIX + chatId));
        item.put("chatId", s(chatId));
        dynamoDb.putItem(b -> b.tableName(tableName).item(item));
    }

    @Override
    public List<String> chats(String tenantId, String importId) {
        List<String> chats = new ArrayList<>();
        QueryPages.forEachItem(dynamoDb, QueryRequest.builder().tableName(tableName)
                .keyConditionExpression("pk = :pk AND begins_with(sk, :prefix)")
                .expressionAttributeValues(Map.of(":pk", s(partitionKey(tenantId, importId)), ":prefix", s(CHAT_PREFIX)))
                .consistentRead(true), item -> chats.add(item.get("chatId").s()));
        return chats;
    }

    @Override
    public void removeChat(String tenantId, String importId, String chatId) {
        dynamoDb.deleteItem(b -> b.tableName(tableName).key(key(tenantId, importId, CHAT_PREFIX + chatId)));
    }

    static String partitionKey(String tenantId, String importId) {
        return "T#" + tenantId + "#IMPORT#" + importId;
    }

    private static Map<String, AttributeValue> key(String tenantId, String importId, String sortKey) {
        return Map.of("pk", s(partitionKey(tenantId, importId)), "sk", s(sortKey));
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
