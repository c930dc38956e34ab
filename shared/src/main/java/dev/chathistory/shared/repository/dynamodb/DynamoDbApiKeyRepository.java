package dev.chathistory.shared.repository.dynamodb;

import static dev.chathistory.shared.repository.dynamodb.MessageItems.bool;
import static dev.chathistory.shared.repository.dynamodb.MessageItems.s;

import dev.chathistory.shared.auth.ApiKey;
import dev.chathistory.shared.auth.ApiKeyRepository;
import dev.chathistory.shared.auth.Tenant;
import dev.chathistory.shared.limits.LimitOverrides;
import dev.chathistory.shared.model.Timestamps;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * {@link ApiKeyRepository} in the users table:
 *
 * <pre>
 * pk = T#{tenant}#KEYS, sk = TENANT        the tenant
 * pk = T#{tenant}#KEYS, sk = KEY#{keyId}   one of its keys (for listing and revoking)
 * pk = K#{sha256},      sk = KEY           the same key, found by the hash of what a bot presents
 * </pre>
 *
 * The two key items are written and revoked together in transactions. A tenant's own limits
 * ({@link LimitOverrides}) are attributes of the tenant and of both items of each key.
 */
public final class DynamoDbApiKeyRepository implements ApiKeyRepository {

    private static final String TENANT = "TENANT";
    private static final String KEY_PREFIX = "KEY#";
    private static final String LOOKUP = "KEY";
    private static final LimitsUpdate LIMITS_UPDATE = new LimitsUpdate();

    private final DynamoDbClient dynamoDb;
    private final String tableName;

    public DynamoDbApiKeyRepository(DynamoDbClient dynamoDb, String tableName) {
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
    }

    @Override
    public boolean createTenant(Tenant tenant) {
        Map<String, AttributeValue> item = new HashMap<>(key(tenantPartition(tenant.tenantId()), TENANT));
        item.put("tenantId", s(tenant.tenantId()));
        item.put("name", s(tenant.name()));
        item.put("createdAt", s(Timestamps.format(tenant.createdAt())));
        return ConditionalPuts.putIfAbsent(dynamoDb, tableName, item);
    }

    @Override
    public Optional<Tenant> findTenant(String tenantId) {
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(tableName)
                .key(key(tenantPartition(tenantId), TENANT)).consistentRead(true)).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Tenant(tenantId, item.get("name").s(), Timestamps.parse(item.get("createdAt").s()),
                limits(item)));
    }

    @Override
    public boolean addKey(ApiKey apiKey) {
        TransactWriteItem tenantExists = TransactWriteItem.builder().conditionCheck(ConditionCheck.builder()
                .tableName(tableName)
                .key(key(tenantPartition(apiKey.tenantId()), TENANT))
                .conditionExpression("attribute_exists(pk)")
                .build()).build();
        try {
            dynamoDb.transactWriteItems(b -> b.transactItems(tenantExists,
                    put(item(key(tenantPartition(apiKey.tenantId()), KEY_PREFIX + apiKey.keyId()), apiKey)),
                    put(item(key(lookupPartition(apiKey.sha256()), LOOKUP), apiKey))));
            return true;
        } catch (TransactionCanceledException e) {
            if (e.hasCancellationReasons() && "ConditionalCheckFailed".equals(e.cancellationReasons().get(0).code())) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public Optional<ApiKey> findByHash(String sha256) {
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(tableName)
                .key(key(lookupPartition(sha256), LOOKUP)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(toKey(item));
    }

    @Override
    public List<ApiKey> listKeys(String tenantId) {
        List<ApiKey> keys = new ArrayList<>();
        QueryPages.forEachItem(dynamoDb, QueryRequest.builder()
                .tableName(tableName)
                .keyConditionExpression("pk = :pk AND begins_with(sk, :prefix)")
                .expressionAttributeValues(Map.of(":pk", s(tenantPartition(tenantId)), ":prefix", s(KEY_PREFIX)))
                .consistentRead(true), item -> keys.add(toKey(item)));
        return keys;
    }

    @Override
    public boolean revoke(String tenantId, String keyId) {
        Map<String, AttributeValue> listed = dynamoDb.getItem(b -> b.tableName(tableName)
                .key(key(tenantPartition(tenantId), KEY_PREFIX + keyId)).consistentRead(true)).item();
        if (listed == null || listed.isEmpty()) {
            return false;
        }
        String sha256 = listed.get("sha256").s();
        dynamoDb.transactWriteItems(b -> b.transactItems(
                deactivate(key(tenantPartition(tenantId), KEY_PREFIX + keyId)),
                deactivate(key(lookupPartition(sha256), LOOKUP))));
        return true;
    }

    @Override
    public boolean setLimits(String tenantId, LimitOverrides limits) {
        Map<String, AttributeValue> values = LIMITS_UPDATE.values(limits);
        try {
            dynamoDb.updateItem(b -> b.tableName(tableName).key(key(tenantPartition(tenantId), TENANT))
                    .updateExpression(LIMITS_UPDATE.expression(limits))
                    .conditionExpression("attribute_exists(pk)")
                    // DynamoDB refuses an empty map: when every limit goes back to the default.
                    .expressionAttributeValues(values.isEmpty() ? null : values));
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
        // Each key's two items together, so the authorizer and the listing never disagree.
        for (ApiKey apiKey : listKeys(tenantId)) {
            dynamoDb.transactWriteItems(b -> b.transactItems(
                    setLimits(key(tenantPartition(tenantId), KEY_PREFIX + apiKey.keyId()), limits),
                    setLimits(key(lookupPartition(apiKey.sha256()), LOOKUP), limits)));
        }
        return true;
    }

    private TransactWriteItem setLimits(Map<String, AttributeValue> key, LimitOverrides limits) {
        Update.Builder update = Update.builder().tableName(tableName).key(key)
                .updateExpression(LIMITS_UPDATE.expression(limits))
                .conditionExpression("attribute_exists(pk)");
        Map<String, AttributeValue> values = LIMITS_UPDATE.values(limits);
        return TransactWriteItem.builder().update(update.expressionAttributeValues(values.isEmpty() ? null : values)
                .build()).build();
    }

    private TransactWriteItem put(Map<String, AttributeValue> item) {
        return TransactWriteItem.builder().put(Put.builder().tableName(tableName).item(item)
                .conditionExpression("attribute_not_exists(pk)").build()).build();
    }

    private TransactWriteItem deactivate(Map<String, AttributeValue> key) {
        return TransactWriteItem.builder().update(Update.builder().tableName(tableName).key(key)
                .updateExpression("SET active = :false")
                .conditionExpression("attribute_exists(pk)")
                .expressionAttributeValues(Map.of(":false", bool(false)))
                .build()).build();
    }

    private static Map<String, AttributeValue> item(Map<String, AttributeValue> key, ApiKey apiKey) {
        Map<String, AttributeValue> item = new HashMap<>(key);
        item.put("tenantId", s(apiKey.tenantId()));
        item.put("keyId", s(apiKey.keyId()));
        item.put("name", s(apiKey.name()));
        item.put("sha256", s(apiKey.sha256()));
        item.put("createdAt", s(Timestamps.format(apiKey.createdAt())));
        item.put("active", bool(apiKey.active()));
        apiKey.limits().asText().forEach((name, value) -> item.put(name, AttributeValue.fromN(value)));
        return item;
    }

    private static ApiKey toKey(Map<String, AttributeValue> item) {
        return new ApiKey(item.get("tenantId").s(), item.get("keyId").s(), item.get("name").s(),
                item.get("sha256").s(), Timestamps.parse(item.get("createdAt").s()), item.get("active").bool(),
                limits(item));
    }

    private static LimitOverrides limits(Map<String, AttributeValue> item) {
        Map<String, String> set = new HashMap<>();
        for (String name : List.of(LimitOverrides.REQUESTS, LimitOverrides.TENANT_JOBS, LimitOverrides.USER_JOBS)) {
            if (item.containsKey(name)) {
                set.put(name, item.get(name).n());
            }
        }
        return LimitOverrides.fromText(set);
    }

    private static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of(UsersTable.PARTITION_KEY, s(pk), UsersTable.SORT_KEY, s(sk));
    }

    private static String tenantPartition(String tenantId) {
        return "T#" + tenantId + "#KEYS";
    }

    private static String lookupPartition(String sha256) {
        return "K#" + sha256;
    }
}
