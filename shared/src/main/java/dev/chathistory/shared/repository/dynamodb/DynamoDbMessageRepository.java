package dev.chathistory.shared.repository.dynamodb;

import static dev.chathistory.shared.repository.dynamodb.MessageItems.n;
import static dev.chathistory.shared.repository.dynamodb.MessageItems.s;

import dev.chathistory.shared.archive.ArchiveChunk;
import dev.chathistory.shared.branches.BranchPoint;
import dev.chathistory.shared.model.ChatRef;
import dev.chathistory.shared.model.IdempotencyRecord;
import dev.chathistory.shared.model.Message;
import dev.chathistory.shared.model.MessageVersion;
import dev.chathistory.shared.model.Page;
import dev.chathistory.shared.model.ReadConsistency;
import dev.chathistory.shared.repository.HistoryPage;
import dev.chathistory.shared.repository.IdempotencyKeyTakenException;
import dev.chathistory.shared.repository.MessageRepository;
import dev.chathistory.shared.repository.StaleVersionException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/** {@link MessageRepository} on one DynamoDB table; see {@link MessagesTable} for the keys. */
public final class DynamoDbMessageRepository implements MessageRepository {

    private final DynamoDbClient dynamoDb;
    private final String tableName;

    public DynamoDbMessageRepository(DynamoDbClient dynamoDb, String tableName) {
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
    }

    @Override
    public void insert(ChatRef chat, Message message) {
        if (!insertIfAbsent(chat, message)) {
            // Only a duplicate message id gets here, which a ULID makes practically impossible.
            throw new IllegalStateException("message id collision");
        }
    }

    @Override
    public boolean insertIfAbsent(ChatRef chat, Message message) {
        return ConditionalPuts.putIfAbsent(dynamoDb, tableName, MessageItems.toItem(chat, message));
    }

    @Override
    public List<String> putImported(String tenantId, String importId, List<Message> messages) {
        return ImportWrites.put(dynamoDb, tableName, importId, messages.stream()
                .map(m -> MessageItems.toItem(new ChatRef(tenantId, m.chatId()), m))
                .toList());
    }

    @Override
    public void claimIdempotencyKey(ChatRef chat, IdempotencyRecord record, Instant now) {
        Map<String, AttributeValue> item = MessageItems.toItem(chat, record);
        try {
            // An expired record that TTL has not yet swept is as good as absent.
            dynamoDb.putItem(b -> b.tableName(tableName)
                    .item(item)
                    .conditionExpression("attribute_not_exists(pk) OR #ttl <= :now")
                    .expressionAttributeNames(Map.of("#ttl", MessagesTable.TTL_ATTRIBUTE))
                    .expressionAttributeValues(Map.of(":now", n(now.getEpochSecond())))
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
        } catch (ConditionalCheckFailedException e) {
            Map<String, AttributeValue> holder = e.hasItem() && !e.item().isEmpty()
                    ? e.item()
                    : ConditionalPuts.current(dynamoDb, tableName, item);
            if (holder.equals(item)) {
                // This very claim applied on an attempt whose answer was lost; the SDK's retry then
                // failed its condition against it. The key is ours.
                return;
            }
            throw new IdempotencyKeyTakenException(holder.isEmpty()
                    ? null : MessageItems.toIdempotencyRecord(record.key(), holder));
        }
    }

    @Override
    public Optional<IdempotencyRecord> findIdempotencyRecord(ChatRef chat, String key) {
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(tableName)
                .key(MessageItems.idempotencyKey(chat, key))
                .consistentRead(true)).item();
        return item == null || item.isEmpty()
                ? Optional.empty()
                : Optional.of(MessageItems.toIdempotencyRecord(key, item));
    }

    @Override
    public Optional<Message> find(ChatRef chat, String messageId) {
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(tableName)
                .key(MessageItems.messageKey(chat, messageId))
                .consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(MessageItems.toMessage(item));
    }

    @Override
    public HistoryPage listNewestFirst(ChatRef chat, int limit, String resumeAfter, String upTo,
                                      boolean includeDeleted, ReadConsistency consistency) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":pk", s(MessagesTable.partitionKey(chat)));
        // Hot messages, then on past the last of them into the manifest, which sorts right below,
        // and a branch's mark at the very bottom.
        values.put(":lowest", s(MessagesTable.BRANCH_MARK));
        values.put(":highest", s(upTo == null
                ? MessagesTable.MESSAGE_PREFIX + "~" : MessagesTable.messageSortKey(upTo)));
        QueryRequest.Builder query = QueryRequest.builder()
                .tableName(tableName)
                .keyConditionExpression("pk = :pk AND sk BETWEEN :lowest AND :highest")
                .scanIndexForward(false)
                .consistentRead(consistency.isStrong())
                .limit(limit);
        if (!includeDeleted) {
            // Manifest entries carry neither flag, so they always pass.
            query.filterExpression(MessageItems.NOT_DELETED);
            values.put(":yes", MessageItems.yes());
        }
        if (resumeAfter != null) {
            query.exclusiveStartKey(MessageItems.messageKey(chat, resumeAfter));
        }
        QueryResponse response = dynamoDb.query(query.expressionAttributeValues(values).build());
        List<Message> items = new ArrayList<>();
        List<ArchiveChunk> chunks = new ArrayList<>();
        Optional<BranchPoint> branchedFrom = Optional.empty();
        for (Map<String, AttributeValue> item : response.items()) {
            String sk = item.get(MessagesTable.SORT_KEY).s();
            if (sk.startsWith(MessagesTable.MESSAGE_PREFIX)) {
                items.add(MessageItems.toMessage(item));
            } else if (sk.equals(MessagesTable.BRANCH_MARK)) {
                branchedFrom = Optional.of(DynamoDbBranchRepository.toBranch(chat.chatId(), item));
            } else {
                chunks.add(DynamoDbArchiveIndex.toChunk(item));
            }
        }
        String lastRead = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
                ? response.lastEvaluatedKey().get(MessagesTable.SORT_KEY).s()
                : null;
        if (lastRead != null && lastRead.startsWith(MessagesTable.MESSAGE_PREFIX)) {
            return new HistoryPage(items, Optional.of(lastRead.substring(MessagesTable.MESSAGE_PREFIX.length())),
                    List.of(), false);
        }
        return new HistoryPage(items, Optional.empty(), chunks, lastRead != null,
                lastRead == null || branchedFrom.isPresent(), branchedFrom);
    }

    @Override
    public void replace(ChatRef chat, Message next, long expectedVersion, MessageVersion superseded) {
        // A snapshot of a version never changes once that version exists, so every writer racing
        // on this edit puts the same item, and no condition is needed.
        dynamoDb.putItem(b -> b.tableName(tableName).item(MessageItems.toItem(chat, superseded, next.expiresAt())));
        Map<String, AttributeValue> mine = MessageItems.toItem(chat, next);
        try {
            dynamoDb.putItem(b -> b.tableName(tableName)
                    .item(mine)
                    .conditionExpression(MessageItems.versionIs(":expected"))
                    .expressionAttributeValues(Map.of(":expected", n(expectedVersion)))
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
        } catch (ConditionalCheckFailedException e) {
            Map<String, AttributeValue> current = e.hasItem() && !e.item().isEmpty()
                    ? e.item()
                    : ConditionalPuts.current(dynamoDb, tableName, mine);
            if (current.equals(mine)) {
                // This very write applied on an attempt whose answer was lost; the SDK's retry
                // then failed its condition against it. Nothing is stale.
                return;
            }
            throw new StaleVersionException(current.isEmpty() ? null : MessageItems.toMessage(current));
        }
    }

    @Override
    public boolean stampExpiry(ChatRef chat, String messageId, long version, Instant expiresAt) {
        for (Map<String, AttributeValue> key : versionKeys(chat, messageId)) {
            stamp(key, expiresAt, "attribute_exists(pk)", Map.of());
        }
        return stamp(MessageItems.messageKey(chat, messageId), expiresAt, MessageItems.versionIs(":version"),
                Map.of(":version", n(version)));
    }

    private boolean stamp(Map<String, AttributeValue> key, Instant expiresAt, String condition,
                          Map<String, AttributeValue> conditionValues) {
        Map<String, AttributeValue> values = new HashMap<>(conditionValues);
        String update;
        if (expiresAt == null) {
            update = "REMOVE #ttl";
        } else {
            update = "SET #ttl = :expiresAt";
            values.put(":expiresAt", n(expiresAt.getEpochSecond()));
        }
        try {
            dynamoDb.updateItem(b -> b.tableName(tableName)
                    .key(key)
                    .updateExpression(update)
                    .conditionExpression(condition)
                    .expressionAttributeNames(Map.of("#ttl", MessagesTable.TTL_ATTRIBUTE))
                    .expressionAttributeValues(values.isEmpty() ? null : values));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public Page<MessageVersion> listVersionsNewestFirst(ChatRef chat, String messageId, int limit,
                                                         long belowVersion) {
        if (belowVersion <= 1) {
            return new Page<>(List.of(), Optional.empty());
        }
        QueryResponse response = dynamoDb.query(b -> b.tableName(tableName)
                .keyConditionExpression("pk = :pk AND sk BETWEEN :lowest AND :highest")
                .expressionAttributeValues(Map.of(
                        ":pk", s(MessagesTable.partitionKey(chat)),
                        ":lowest", s(MessagesTable.versionSortKey(messageId, 1)),
                        ":highest", s(MessagesTable.versionSortKey(messageId, belowVersion - 1))))
                .scanIndexForward(false)
                .consistentRead(true)
                .limit(limit));
        List<MessageVersion> items = response.items().stream().map(MessageItems::toVersion).toList();
        // Versions are contiguous from 1, so "more follow" needs no extra read.
        Optional<String> next = items.size() == limit && items.get(items.size() - 1).version() > 1
                ? Optional.of(Long.toString(items.get(items.size() - 1).version()))
                : Optional.empty();
        return new Page<>(items, next);
    }

    @Override
    public List<Message> listOldestFirst(ChatRef chat, String belowMessageId, int limit) {
        QueryResponse response = dynamoDb.query(b -> b.tableName(tableName)
                .keyConditionExpression("pk = :pk AND sk BETWEEN :lowest AND :below")
                .expressionAttributeValues(Map.of(
                        ":pk", s(MessagesTable.partitionKey(chat)),
                        ":lowest", s(MessagesTable.MESSAGE_PREFIX),
                        ":below", s(MessagesTable.messageSortKey(belowMessageId))))
                .scanIndexForward(true)
                .consistentRead(true)
                .limit(limit));
        return response.items().stream().map(MessageItems::toMessage)
                .filter(m -> m.messageId().compareTo(belowMessageId) < 0)
                .toList();
    }

    @Override
    public List<MessageVersion> listAllVersions(ChatRef chat, String messageId, long currentVersion) {
        if (currentVersion <= 1) {
            return List.of();
        }
        List<MessageVersion> all = new ArrayList<>();
        queryAll(QueryRequest.builder()
                .tableName(tableName)
                .keyConditionExpression("pk = :pk AND sk BETWEEN :lowest AND :highest")
                .expressionAttributeValues(Map.of(
                        ":pk", s(MessagesTable.partitionKey(chat)),
                        ":lowest", s(MessagesTable.versionSortKey(messageId, 1)),
                        ":highest", s(MessagesTable.versionSortKey(messageId, currentVersion - 1))))
                .scanIndexForward(false)
                .consistentRead(true), item -> all.add(MessageItems.toVersion(item)));
        return all;
    }

    /** Every snapshot of the message, a stray copy of its current version included. */
    private List<Map<String, AttributeValue>> versionKeys(ChatRef chat, String messageId) {
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        queryAll(QueryRequest.builder()
                .tableName(tableName)
                .keyConditionExpression("pk = :pk AND begins_with(sk, :prefix)")
                .expressionAttributeValues(Map.of(
                        ":pk", s(MessagesTable.partitionKey(chat)),
                        ":prefix", s(MessagesTable.versionPrefix(messageId))))
                .projectionExpression("pk, sk")
                .consistentRead(true), keys::add);
        return keys;
    }

    @Override
    public void forEachMessage(ChatRef chat, String userId, Consumer<Message> visitor) {
        Map<String, AttributeValue> values = new HashMap<>(Map.of(
                ":pk", s(MessagesTable.partitionKey(chat)),
                ":prefix", s(MessagesTable.MESSAGE_PREFIX)));
        QueryRequest.Builder query = QueryRequest.builder()
                .tableName(tableName)
                .keyConditionExpression("pk = :pk AND begins_with(sk, :prefix)")
                .consistentRead(true);
        if (userId != null) {
            query.filterExpression(MessageItems.authorIs(":user"));
            values.put(":user", s(userId));
        }
        queryAll(query.expressionAttributeValues(values), item -> visitor.accept(MessageItems.toMessage(item)));
    }

    @Override
    public int deleteVersions(ChatRef chat, String messageId) {
        List<Map<String, AttributeValue>> keys = versionKeys(chat, messageId);
        for (Map<String, AttributeValue> key : keys) {
            dynamoDb.deleteItem(b -> b.tableName(tableName).key(key));
        }
        return keys.size();
    }

    @Override
    public void deleteMessage(ChatRef chat, String messageId) {
        dynamoDb.deleteItem(b -> b.tableName(tableName).key(MessageItems.messageKey(chat, messageId)));
    }

    @Override
    public void deleteMessages(ChatRef chat, List<String> messageIds) {
        BatchWrites.deleteAll(dynamoDb, tableName, messageIds.stream()
                .map(id -> MessageItems.messageKey(chat, id)).toList());
    }

    @Override
    public List<IdempotencyRecord> listIdempotencyRecords(ChatRef chat) {
        List<IdempotencyRecord> records = new ArrayList<>();
        queryAll(QueryRequest.builder()
                .tableName(tableName)
                .keyConditionExpression("pk = :pk AND begins_with(sk, :prefix)")
                .expressionAttributeValues(Map.of(
                        ":pk", s(MessagesTable.partitionKey(chat)),
                        ":prefix", s(MessagesTable.IDEMPOTENCY_PREFIX)))
                .consistentRead(true), item -> records.add(MessageItems.toIdempotencyRecord(
                        item.get(MessagesTable.SORT_KEY).s().substring(MessagesTable.IDEMPOTENCY_PREFIX.length()),
                        item)));
        return records;
    }

    @Override
    public void deleteIdempotencyRecord(ChatRef chat, String key) {
        dynamoDb.deleteItem(b -> b.tableName(tableName).key(MessageItems.idempotencyKey(chat, key)));
    }

    private void queryAll(QueryRequest.Builder query, Consumer<Map<String, AttributeValue>> visitor) {
        QueryPages.forEachItem(dynamoDb, query, visitor);
    }

}
