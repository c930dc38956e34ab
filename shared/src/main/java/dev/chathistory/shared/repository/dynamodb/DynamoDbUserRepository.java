package dev.chathistory.shared.repository.dynamodb;

import static dev.chathistory.shared.repository.dynamodb.MessageItems.n;
import static dev.chathistory.shared.repository.dynamodb.MessageItems.s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chathistory.shared.json.Json;
import dev.chathistory.shared.model.Timestamps;
import dev.chathistory.shared.model.UserRef;
import dev.chathistory.shared.model.UserSettings;
import dev.chathistory.shared.repository.StaleSettingsVersionException;
import dev.chathistory.shared.repository.UserRepository;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/** {@link UserRepository} on the users table; see {@link UsersTable} for the keys. */
public final class DynamoDbUserRepository implements UserRepository {

    private static final String SETTINGS = "settings";
    private static final String SETTINGS_VERSION = "settingsVersion";
    private static final String IMPORT_ID = "importId";
    private static final String SETTINGS_UPDATED_AT = "settingsUpdatedAt";

    private final DynamoDbClient dynamoDb;
    private final String tableName;

    public DynamoDbUserRepository(DynamoDbClient dynamoDb, String tableName) {
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
    }

    @Override
    public UserSettings findSettings(UserRef user) {
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(tableName)
                .key(key(user))
                .projectionExpression("#s, #v, #u")
                .expressionAttributeNames(Map.of(
                        "#s", SETTINGS, "#v", SETTINGS_VERSION, "#u", SETTINGS_UPDATED_AT))
                .consistentRead(true)).item();
        return toSettings(user, item);
    }

    @Override
    public UserSettings putSettings(UserRef user, ObjectNode settings, OptionalLong expectedVersion, Instant now) {
        Map<String, String> names = new HashMap<>(Map.of(
                "#s", SETTINGS, "#v", SETTINGS_VERSION, "#u", SETTINGS_UPDATED_AT));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(
                ":s", s(Json.write(settings)),
                ":now", s(Timestamps.format(now)),
                ":one", n(1),
                ":tenant", s(user.tenantId()),
                ":user", s(user.userId())));
        UpdateItemRequest.Builder update = UpdateItemRequest.builder()
                .tableName(tableName)
                .key(key(user))
                .updateExpression("SET #s = :s, #u = :now, tenantId = :tenant, userId = :user ADD #v :one")
                .returnValues(ReturnValue.ALL_NEW)
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD);
        if (expectedVersion.isPresent()) {
            if (expectedVersion.getAsLong() == 0) {
                update.conditionExpression("attribute_not_exists(#v)");
            } else {
                update.conditionExpression("#v = :expected");
                values.put(":expected", n(expectedVersion.getAsLong()));
            }
        }
        try {
            Map<String, AttributeValue> updated = dynamoDb.updateItem(update
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values)
                    .build()).attributes();
            return toSettings(user, updated);
        } catch (ConditionalCheckFailedException e) {
            Map<String, AttributeValue> found = e.hasItem() ? e.item() : Map.of();
            if (expectedVersion.isPresent() && appliedAlready(found, values, expectedVersion.getAsLong())) {
                // This very write applied on an attempt whose answer was lost: the SDK's retry
                // failed its condition against it.
                return toSettings(user, found);
            }
            long current = !found.isEmpty()
                    ? toSettings(user, found).version()
                    : findSettings(user).version();
            throw new StaleSettingsVersionException(current);
        }
    }

    /** The item holds exactly this write: the next version, these settings, this time. */
    private static boolean appliedAlready(Map<String, AttributeValue> found, Map<String, AttributeValue> values,
                                          long expectedVersion) {
        return found.containsKey(SETTINGS_VERSION)
                && found.get(SETTINGS_VERSION).n().equals(Long.toString(expectedVersion + 1))
                && values.get(":s").equals(found.get(SETTINGS))
                && values.get(":now").equals(found.get(SETTINGS_UPDATED_AT));
    }

    @Override
    public void recordActivity(UserRef user, Instant at, long newMessages, String activeShard) {
        dynamoDb.updateItem(b -> b.tableName(tableName)
                .key(key(user))
                .updateExpression("SET #at = :at, #shard = :shard, tenantId = :tenant, userId = :user "
                        + "ADD messageCount :n")
                .expressionAttributeNames(Map.of(
                        "#at", UsersTable.LAST_ACTIVE_AT, "#shard", UsersTable.ACTIVE_SHARD))
                .expressionAttributeValues(Map.of(
                        ":at", s(Timestamps.format(at)),
                        ":shard", s(activeShard),
                        ":tenant", s(user.tenantId()),
                        ":user", s(user.userId()),
                        ":n", n(newMessages))));
    }

    @Override
    public Optional<Activity> findActivity(UserRef user) {
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(tableName)
                .key(key(user))
                .projectionExpression("messageCount, #at")
                .expressionAttributeNames(Map.of("#at", UsersTable.LAST_ACTIVE_AT))
                .consistentRead(true)).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        long count = item.containsKey("messageCount") ? Long.parseLong(item.get("messageCount").n()) : 0;
        return Optional.of(new Activity(count, Optional.ofNullable(item.get(UsersTable.LAST_ACTIVE_AT))
                .map(v -> Timestamps.parse(v.s()))));
    }

    @Override
    public void setActivity(UserRef user, long messageCount, Instant lastActiveAt, String activeShard) {
        dynamoDb.updateItem(b -> b.tableName(tableName)
                .key(key(user))
                .updateExpression("SET messageCount = :n, tenantId = :tenant, userId = :user")
                .expressionAttributeValues(Map.of(
                        ":n", n(messageCount), ":tenant", s(user.tenantId()), ":user", s(user.userId()))));
        if (lastActiveAt == null) {
            return;
        }
        try {
            dynamoDb.updateItem(b -> b.tableName(tableName)
                    .key(key(user))
                    .updateExpression("SET #at = :at, #shard = :shard")
                    .conditionExpression("attribute_not_exists(#at) OR #at < :at")
                    .expressionAttributeNames(Map.of(
                            "#at", UsersTable.LAST_ACTIVE_AT, "#shard", UsersTable.ACTIVE_SHARD))
                    .expressionAttributeValues(Map.of(
                            ":at", s(Timestamps.format(lastActiveAt)), ":shard", s(activeShard))));
        } catch (ConditionalCheckFailedException newerActivity) {
            // the stored activity is already more recent
        }
    }

    @Override
    public void rememberChat(UserRef user, String chatId, Instant at) {
        dynamoDb.updateItem(b -> b.tableName(tableName)
                .key(Map.of(
                        UsersTable.PARTITION_KEY, s(UsersTable.partitionKey(user)),
                        UsersTable.SORT_KEY, s(UsersTable.CHAT_PREFIX + chatId)))
                .updateExpression("SET chatId = :chat, firstSeenAt = if_not_exists(firstSeenAt, :at)")
                .expressionAttributeValues(Map.of(":chat", s(chatId), ":at", s(Timestamps.format(at)))));
    }

    @Override
    public List<String> listChats(UserRef user) {
        List<String> chats = new ArrayList<>();
        QueryPages.forEachItem(dynamoDb, QueryRequest.builder()
                .tableName(tableName)
                .keyConditionExpression("pk = :pk AND begins_with(sk, :prefix)")
                .expressionAttributeValues(Map.of(
                        ":pk", s(UsersTable.partitionKey(user)), ":prefix", s(UsersTable.CHAT_PREFIX)))
                .consistentRead(true), item -> chats.add(
                        item.get(UsersTable.SORT_KEY).s().substring(UsersTable.CHAT_PREFIX.length())));
        return chats;
    }

    @Override
    public void forgetChat(UserRef user, String chatId) {
        dynamoDb.deleteItem(b -> b.tableName(tableName).key(Map.of(
                UsersTable.PARTITION_KEY, s(UsersTable.partitionKey(user)),
                UsersTable.SORT_KEY, s(UsersTable.CHAT_PREFIX + chatId))));
    }

    @Override
    public boolean fileImportedChat(UserRef user, String chatId, Instant firstSeenAt, String importId) {
        return ConditionalPuts.putIfAbsent(dynamoDb, tableName, Map.of(
                UsersTable.PARTITION_KEY, s(UsersTable.partitionKey(user)),
                UsersTable.SORT_KEY, s(UsersTable.CHAT_PREFIX + chatId),
                "chatId", s(chatId),
                "firstSeenAt", s(Timestamps.format(firstSeenAt)),
                IMPORT_ID, s(importId)));
    }

    @Override
    public void forgetImportedChat(UserRef user, String chatId, String importId) {
        deleteIfImportedBy(Map.of(
                UsersTable.PARTITION_KEY, s(UsersTable.partitionKey(user)),
                UsersTable.SORT_KEY, s(UsersTable.CHAT_PREFIX + chatId)), importId, "");
    }

    @Override
    public boolean createImportedProfile(UserRef user, long messageCount, Instant lastActiveAt, String importId) {
        Map<String, AttributeValue> item = new HashMap<>(key(user));
        item.put("tenantId", s(user.tenantId()));
        item.put("userId", s(user.userId()));
        item.put("messageCount", n(messageCount));
        item.put(UsersTable.LAST_ACTIVE_AT, s(Timestamps.format(lastActiveAt)));
        item.put(IMPORT_ID, s(importId));
        return ConditionalPuts.putIfAbsent(dynamoDb, tableName, item);
    }

    @Override
    public void dropImportedProfile(UserRef user, String importId) {
        if (!deleteIfImportedBy(key(user), importId, " AND attribute_not_exists(" + SETTINGS_VERSION + ")")) {
            try {
                dynamoDb.updateItem(b -> b.tableName(tableName)
                        .key(key(user))
                        .updateExpression("REMOVE " + IMPORT_ID)
                        .conditionExpression(IMPORT_ID + " = :import")
                        .expressionAttributeValues(Map.of(":import", s(importId))));
            } catch (ConditionalCheckFailedException notThisImports) {
                // Gone, or never marked by this import: nothing of it to undo.
            }
        }
    }

    private boolean deleteIfImportedBy(Map<String, AttributeValue> itemKey, String importId, String andCondition) {
        try {
            dynamoDb.deleteItem(b -> b.tableName(tableName)
                    .key(itemKey)
                    .conditionExpression(IMPORT_ID + " = :import" + andCondition)
                    .expressionAttributeValues(Map.of(":import", s(importId))));
            return true;
        } catch (ConditionalCheckFailedException notThisImports) {
            return false;
        }
    }

    @Override
    public void deleteProfile(UserRef user) {
        dynamoDb.deleteItem(b -> b.tableName(tableName).key(key(user)));
    }

    @Override
    public boolean hasAnyData(UserRef user) {
        return dynamoDb.query(b -> b.tableName(tableName)
                .keyConditionExpression("pk = :pk")
                .expressionAttributeValues(Map.of(":pk", s(UsersTable.partitionKey(user))))
                .consistentRead(true)
                .limit(1)).count() > 0;
    }

    private static Map<String, AttributeValue> key(UserRef user) {
        return Map.of(
                UsersTable.PARTITION_KEY, s(UsersTable.partitionKey(user)),
                UsersTable.SORT_KEY, s(UsersTable.PROFILE));
    }

    private static UserSettings toSettings(UserRef user, Map<String, AttributeValue> item) {
        if (item == null || !item.containsKey(SETTINGS_VERSION)) {
            return UserSettings.empty(user.userId(), Json.object());
        }
        JsonNode settings = Json.parseTrusted(item.get(SETTINGS).s());
        return new UserSettings(
                user.userId(),
                (ObjectNode) settings,
                Long.parseLong(item.get(SETTINGS_VERSION).n()),
                Timestamps.parse(item.get(SETTINGS_UPDATED_AT).s()));
    }
}
