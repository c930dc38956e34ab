package dev.chathistory.shared.repository.dynamodb;

import static dev.chathistory.shared.repository.dynamodb.MessageItems.bool;
import static dev.chathistory.shared.repository.dynamodb.MessageItems.n;
import static dev.chathistory.shared.repository.dynamodb.MessageItems.s;

import dev.chathistory.shared.model.ChatRef;
import dev.chathistory.shared.model.UserRef;
import dev.chathistory.shared.retention.ChatRetention;
import dev.chathistory.shared.retention.RetentionRepository;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@link RetentionRepository} on both tables. A chat's policy lives in the chat's own partition
 * of the messages table ({@code sk = RETENTION}, outside every message range); a tenant's
 * retention ({@code T#{tenant}#RETENTION}) and a user's hold ({@code sk = HOLD} in the user's
 * partition, so an erase of the user, which is refused while it holds, removes it with the rest)
 * in the users table. Each is one item written whole.
 */
public final class DynamoDbRetentionRepository implements RetentionRepository {

    static final String CHAT_SORT_KEY = "RETENTION";
    static final String TENANT_SORT_KEY = "TENANT";
    static final String HOLD_SORT_KEY = "HOLD";

    private final DynamoDbClient dynamoDb;
    private final String messagesTable;
    private final String usersTable;

    public DynamoDbRetentionRepository(DynamoDbClient dynamoDb, String messagesTable, String usersTable) {
        this.dynamoDb = dynamoDb;
        this.messagesTable = messagesTable;
        this.usersTable = usersTable;
    }

    @Override
    public OptionalInt findTenantDays(String tenantId) {
        Map<String, AttributeValue> item = get(usersTable, tenantKey(tenantId));
        return item.containsKey("days") ? OptionalInt.of(Integer.parseInt(item.get("days").n())) : OptionalInt.empty();
    }

    @Override
    public void setTenantDays(String tenantId, OptionalInt days, Instant now) {
        if (days.isEmpty()) {
            dynamoDb.deleteItem(b -> b.tableName(usersTable).key(tenantKey(tenantId)));
            return;
        }
        Map<String, AttributeValue> item = new HashMap<>(tenantKey(tenantId));
        item.put("days", n(days.getAsInt()));
        item.put("updatedAt", n(now.toEpochMilli()));
        dynamoDb.putItem(b -> b.tableName(usersTable).item(item));
    }

    @Override
    public ChatRetention findChat(ChatRef chat) {
        Map<String, AttributeValue> item = get(messagesTable, chatKey(chat));
        if (item.isEmpty()) {
            return ChatRetention.NONE;
        }
        Integer days = item.containsKey("days") ? Integer.valueOf(item.get("days").n()) : null;
        return new ChatRetention(days, item.containsKey("hold") && Boolean.TRUE.equals(item.get("hold").bool()));
    }

    @Override
    public void setChat(ChatRef chat, ChatRetention policy, Instant now) {
        if (policy.equals(ChatRetention.NONE)) {
            dynamoDb.deleteItem(b -> b.tableName(messagesTable).key(chatKey(chat)));
            return;
        }
        Map<String, AttributeValue> item = new HashMap<>(chatKey(chat));
        if (policy.days() != null) {
            item.put("days", n(policy.days()));
        }
        if (policy.legalHold()) {
            item.put("hold", bool(true));
        }
        item.put("updatedAt", n(now.toEpochMilli()));
        dynamoDb.putItem(b -> b.tableName(messagesTable).item(item));
    }

    @Override
    public boolean findUserHold(UserRef user) {
        AttributeValue held = get(usersTable, holdKey(user)).get("held");
        return held != null && Boolean.TRUE.equals(held.bool());
    }

    /** A lifted hold stays as {@code held = false} with its time: the API's role may not delete user items. */
    @Override
    public void setUserHeld(UserRef user, boolean held, Instant now) {
        Map<String, AttributeValue> item = new HashMap<>(holdKey(user));
        item.put("held", bool(held));
        item.put("updatedAt", n(now.toEpochMilli()));
        dynamoDb.putItem(b -> b.tableName(usersTable).item(item));
    }

    @Override
    public void forgetUserHold(UserRef user) {
        dynamoDb.deleteItem(b -> b.tableName(usersTable).key(holdKey(user)));
    }

    private Map<String, AttributeValue> get(String table, Map<String, AttributeValue> key) {
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(table).key(key).consistentRead(true))
                .item();
        return item == null ? Map.of() : item;
    }

    private static Map<String, AttributeValue> chatKey(ChatRef chat) {
        return Map.of(MessagesTable.PARTITION_KEY, s(MessagesTable.partitionKey(chat)),
                MessagesTable.SORT_KEY, s(CHAT_SORT_KEY));
    }

    private static Map<String, AttributeValue> tenantKey(String tenantId) {
        return Map.of(UsersTable.PARTITION_KEY, s("T#" + tenantId + "#RETENTION"),
                UsersTable.SORT_KEY, s(TENANT_SORT_KEY));
    }

    private static Map<String, AttributeValue> holdKey(UserRef user) {
        return Map.of(UsersTable.PARTITION_KEY, s(UsersTable.partitionKey(user)),
                UsersTable.SORT_KEY, s(HOLD_SORT_KEY));
    }
}
