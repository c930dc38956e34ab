package dev.chathistory.shared.repository.dynamodb;

import static dev.chathistory.shared.repository.dynamodb.MessageItems.n;
import static dev.chathistory.shared.repository.dynamodb.MessageItems.s;

import dev.chathistory.shared.archive.ArchiveChunk;
import dev.chathistory.shared.archive.ArchiveConflictException;
import dev.chathistory.shared.archive.ArchiveIndex;
import dev.chathistory.shared.archive.ArchivedMessage;
import dev.chathistory.shared.model.ChatRef;
import dev.chathistory.shared.model.Message;
import dev.chathistory.shared.model.Timestamps;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * {@link ArchiveIndex} as {@code M!{firstMessageId}} items in each chat's partition: they sort
 * right below the hot messages ({@code M#...}), so the Query that reads a page of hot messages
 * reads on into the archive's newest chunks when the hot ones run out.
 */
public final class DynamoDbArchiveIndex implements ArchiveIndex {

    /** DynamoDB allows 100 actions per transaction: the manifest entry and 99 deletes. */
    private static final int MAX_DELETES = 99;

    private final DynamoDbClient dynamoDb;
    private final String tableName;

    public DynamoDbArchiveIndex(DynamoDbClient dynamoDb, String tableName) {
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
    }

    @Override
    public List<ArchiveChunk> listNewestFirst(ChatRef chat, String belowMessageId, int limit) {
        // A chunk starting at belowMessageId holds nothing below it, hence one extra item read.
        String highest = belowMessageId == null ? MessagesTable.ARCHIVE_PREFIX + "~"
                : MessagesTable.archiveSortKey(belowMessageId);
        QueryResponse response = dynamoDb.query(b -> b.tableName(tableName)
                .keyConditionExpression("pk = :pk AND sk BETWEEN :lowest AND :highest")
                .expressionAttributeValues(Map.of(
                        ":pk", s(MessagesTable.partitionKey(chat)),
                        ":lowest", s(MessagesTable.ARCHIVE_PREFIX),
                        ":highest", s(highest)))
                .scanIndexForward(false)
                .consistentRead(true)
                .limit(limit + 1));
        List<ArchiveChunk> chunks = new ArrayList<>();
        for (Map<String, AttributeValue> item : response.items()) {
            ArchiveChunk chunk = toChunk(item);
            if (belowMessageId == null || chunk.firstMessageId().compareTo(belowMessageId) < 0) {
                chunks.add(chunk);
            }
        }
        return chunks.size() > limit ? chunks.subList(0, limit) : chunks;
    }

    @Override
    public Optional<ArchiveChunk> findCovering(ChatRef chat, String messageId) {
        QueryResponse response = dynamoDb.query(b -> b.tableName(tableName)
                .keyConditionExpression("pk = :pk AND sk BETWEEN :lowest AND :highest")
                .expressionAttributeValues(Map.of(
                        ":pk", s(MessagesTable.partitionKey(chat)),
                        ":lowest", s(MessagesTable.ARCHIVE_PREFIX),
                        ":highest", s(MessagesTable.archiveSortKey(messageId))))
                .scanIndexForward(false)
                .consistentRead(true)
                .limit(1));
        return response.items().stream().map(DynamoDbArchiveIndex::toChunk)
                .filter(chunk -> chunk.covers(messageId))
                .findFirst();
    }

    @Override
    public boolean fits(List<ArchivedMessage> archived) {
        return deletes(archived, true) <= MAX_DELETES;
    }

    private static int deletes(List<ArchivedMessage> archived, boolean withVersions) {
        int deletes = archived.size();
        if (withVersions) {
            for (ArchivedMessage m : archived) {
                deletes += m.versions().size();
            }
        }
        return deletes;
    }

    @Override
    public void commit(ChatRef chat, ArchiveChunk chunk, List<ArchivedMessage> archived, boolean withVersions) {
        if (archived.isEmpty() || deletes(archived, withVersions) > MAX_DELETES) {
            throw new IllegalArgumentException("a chunk commits 1 to " + MAX_DELETES + " items");
        }
        List<TransactWriteItem> actions = new ArrayList<>(archived.size() + 1);
        actions.add(TransactWriteItem.builder().put(Put.builder()
                .tableName(tableName)
                .item(toItem(chat, chunk))
                .conditionExpression("attribute_not_exists(sk)")
                .build()).build());
        for (ArchivedMessage archivedMessage : archived) {
            Message message = archivedMessage.message();
            // Only the version that went into the chunk may be deleted: an edit made since
            // then cancels the whole commit rather than being lost.
            actions.add(TransactWriteItem.builder().delete(Delete.builder()
                    .tableName(tableName)
                    .key(MessageItems.messageKey(chat, message.messageId()))
                    .conditionExpression(MessageItems.versionIs(":version"))
                    .expressionAttributeValues(Map.of(":version", n(message.version())))
                    .build()).build());
            if (withVersions) {
                // Superseded versions never change, so they need no condition.
                for (var version : archivedMessage.versions()) {
                    actions.add(TransactWriteItem.builder().delete(Delete.builder()
                            .tableName(tableName)
                            .key(Map.of(
                                    MessagesTable.PARTITION_KEY, s(MessagesTable.partitionKey(chat)),
                                    MessagesTable.SORT_KEY, s(MessagesTable.versionSortKey(
                                            message.messageId(), version.version()))))
                            .build()).build());
                }
            }
        }
        try {
            dynamoDb.transactWriteItems(b -> b.transactItems(actions));
        } catch (TransactionCanceledException e) {
            throw new ArchiveConflictException("archive commit cancelled: " + reasons(e), e);
        }
    }

    @Override
    public boolean replace(ChatRef chat, ArchiveChunk current, ArchiveChunk replacement) {
        if (!current.firstMessageId().equals(replacement.firstMessageId())) {
            throw new IllegalArgumentException("a replacement chunk keeps the first message id");
        }
        try {
            dynamoDb.putItem(b -> b.tableName(tableName)
                    .item(toItem(chat, replacement))
                    .conditionExpression("objectKey = :current")
                    .expressionAttributeValues(Map.of(":current", s(current.objectKey()))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public boolean remove(ChatRef chat, ArchiveChunk current) {
        try {
            dynamoDb.deleteItem(b -> b.tableName(tableName)
                    .key(key(chat, current.firstMessageId()))
                    .conditionExpression("objectKey = :current")
                    .expressionAttributeValues(Map.of(":current", s(current.objectKey()))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    private static String reasons(TransactionCanceledException e) {
        return e.hasCancellationReasons()
                ? e.cancellationReasons().stream().map(r -> String.valueOf(r.code())).distinct().toList().toString()
                : "unknown";
    }

    private static Map<String, AttributeValue> key(ChatRef chat, String firstMessageId) {
        return Map.of(
                MessagesTable.PARTITION_KEY, s(MessagesTable.partitionKey(chat)),
                MessagesTable.SORT_KEY, s(MessagesTable.archiveSortKey(firstMessageId)));
    }

    private static Map<String, AttributeValue> toItem(ChatRef chat, ArchiveChunk chunk) {
        Map<String, AttributeValue> item = new HashMap<>(key(chat, chunk.firstMessageId()));
        item.put("chatId", s(chunk.chatId()));
        item.put("firstMessageId", s(chunk.firstMessageId()));
        item.put("lastMessageId", s(chunk.lastMessageId()));
        item.put("messageCount", n(chunk.messageCount()));
        item.put("objectKey", s(chunk.objectKey()));
        item.put("codec", s(chunk.codec()));
        item.put("rawBytes", n(chunk.rawBytes()));
        item.put("storedBytes", n(chunk.storedBytes()));
        item.put("sha256", s(chunk.sha256()));
        item.put("archivedAt", s(Timestamps.format(chunk.archivedAt())));
        return item;
    }

    static ArchiveChunk toChunk(Map<String, AttributeValue> item) {
        return new ArchiveChunk(
                item.get("chatId").s(),
                item.get("firstMessageId").s(),
                item.get("lastMessageId").s(),
                Integer.parseInt(item.get("messageCount").n()),
                item.get("objectKey").s(),
                item.get("codec").s(),
                Long.parseLong(item.get("rawBytes").n()),
                Long.parseLong(item.get("storedBytes").n()),
                item.get("sha256").s(),
                Timestamps.parse(item.get("archivedAt").s()));
    }
}
