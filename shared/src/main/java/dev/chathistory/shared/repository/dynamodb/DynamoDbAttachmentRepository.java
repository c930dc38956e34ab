package dev.chathistory.shared.repository.dynamodb;

import static dev.chathistory.shared.repository.dynamodb.MessageItems.bool;
import static dev.chathistory.shared.repository.dynamodb.MessageItems.n;
import static dev.chathistory.shared.repository.dynamodb.MessageItems.s;

import dev.chathistory.shared.attachments.Attachment;
import dev.chathistory.shared.attachments.AttachmentRef;
import dev.chathistory.shared.attachments.AttachmentRepository;
import dev.chathistory.shared.attachments.AttachmentStatus;
import dev.chathistory.shared.attachments.Blob;
import dev.chathistory.shared.attachments.BlobId;
import dev.chathistory.shared.model.ChatRef;
import dev.chathistory.shared.model.Timestamps;
import dev.chathistory.shared.repository.WriteConflictException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/** {@link AttachmentRepository} in the messages table; see {@link MessagesTable} for the keys. */
public final class DynamoDbAttachmentRepository implements AttachmentRepository {

    private static final String CONDITION_FAILED = "ConditionalCheckFailed";
    private static final String TRANSACTION_CONFLICT = "TransactionConflict";
    private static final int SHARDS = 16;
    /** Optimistic retries of a reference release before it reports a conflict. */
    private static final int RELEASE_ATTEMPTS = 8;

    private final DynamoDbClient dynamoDb;
    private final String tableName;

    public DynamoDbAttachmentRepository(DynamoDbClient dynamoDb, String tableName) {
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
    }

    @Override
    public CreateOutcome createPending(ChatRef chat, Attachment pending, Instant expiresAt, Instant retainUntil) {
        Map<String, AttributeValue> item = AttachmentItems.toItem(chat, pending);
        item.put(MessagesTable.TTL_ATTRIBUTE, n(expiresAt.getEpochSecond()));
        if (retainUntil != null) {
            item.put(MessagesTable.ORPHAN_SHARD, s(attachmentShardOf(pending.attachmentId())));
            item.put(MessagesTable.ORPHANED_AT, s(Timestamps.format(retainUntil)));
        }
        TransactWriteItem put = TransactWriteItem.builder().put(Put.builder().tableName(tableName).item(item)
                .conditionExpression("attribute_not_exists(pk)").build()).build();
        try {
            dynamoDb.transactWriteItems(b -> b.transactItems(put, messageIsLive(chat, pending.messageId())));
            return CreateOutcome.CREATED;
        } catch (TransactionCanceledException e) {
            if (failed(e, 1)) {
                return CreateOutcome.MESSAGE_GONE;
            }
            throw conflictOrFailure(e);
        }
    }

    @Override
    public Optional<Attachment> find(ChatRef chat, String messageId, String attachmentId) {
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(tableName)
                .key(AttachmentItems.attachmentKey(chat, messageId, attachmentId))
                .consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(AttachmentItems.toAttachment(item));
    }

    @Override
    public List<Attachment> list(ChatRef chat, String messageId) {
        return listByPrefix(chat, MessagesTable.attachmentPrefix(messageId));
    }

    @Override
    public List<Attachment> listInChat(ChatRef chat) {
        return listByPrefix(chat, MessagesTable.ATTACHMENT_PREFIX);
    }

    private List<Attachment> listByPrefix(ChatRef chat, String prefix) {
        List<Attachment> all = new ArrayList<>();
        QueryPages.forEachItem(dynamoDb, QueryRequest.builder()
                .tableName(tableName)
                .keyConditionExpression("pk = :pk AND begins_with(sk, :prefix)")
                .expressionAttributeValues(Map.of(":pk", s(MessagesTable.partitionKey(chat)), ":prefix", s(prefix)))
                .consistentRead(true), item -> all.add(AttachmentItems.toAttachment(item)));
        return all;
    }

    @Override
    public boolean claim(ChatRef chat, String messageId, String attachmentId, String holder, Instant now,
                         Instant leaseUntil) {
        try {
            dynamoDb.updateItem(b -> b.tableName(tableName)
                    .key(AttachmentItems.attachmentKey(chat, messageId, attachmentId))
                    .updateExpression("SET #status = :processing, #holder = :holder, #lease = :leaseUntil")
                    .conditionExpression("#status = :pending OR (#status = :processing AND #lease < :now)")
                    .expressionAttributeNames(Map.of("#status", "status", "#holder", AttachmentItems.CLAIM_HOLDER,
                            "#lease", AttachmentItems.LEASE_UNTIL))
                    .expressionAttributeValues(Map.of(
                            ":pending", s(AttachmentStatus.PENDING.storedName()),
                            ":processing", s(AttachmentStatus.PROCESSING.storedName()),
                            ":holder", s(holder),
                            ":leaseUntil", n(leaseUntil.toEpochMilli()),
                            ":now", n(now.toEpochMilli()))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public void releaseClaim(ChatRef chat, String messageId, String attachmentId, String holder) {
        try {
            dynamoDb.updateItem(b -> b.tableName(tableName)
                    .key(AttachmentItems.attachmentKey(chat, messageId, attachmentId))
                    .updateExpression("SET #status = :pending REMOVE #holder, #lease")
                    .conditionExpression("#status = :processing AND #holder = :holder")
                    .expressionAttributeNames(Map.of("#status", "status", "#holder", AttachmentItems.CLAIM_HOLDER,
                            "#lease", AttachmentItems.LEASE_UNTIL))
                    .expressionAttributeValues(Map.of(
                            ":pending", s(AttachmentStatus.PENDING.storedName()),
                            ":processing", s(AttachmentStatus.PROCESSING.storedName()),
                            ":holder", s(holder))));
        } catch (ConditionalCheckFailedException e) {
            // Decided, re-claimed after the lease, or gone: not ours to give back.
        }
    }

    @Override
    public ReadyOutcome markReady(ChatRef chat, Attachment ready) {
        Map<String, AttributeValue> values = new HashMap<>();
        List<String> sets = new ArrayList<>();
        Map<String, String> names = new HashMap<>();
        AttachmentItems.outcome(ready).forEach((name, value) -> {
            names.put("#" + name, name);
            values.put(":" + name, value);
            sets.add("#" + name + " = :" + name);
        });
        names.put("#status", "status");
        names.put("#ttl", MessagesTable.TTL_ATTRIBUTE);
        names.put("#holder", AttachmentItems.CLAIM_HOLDER);
        names.put("#lease", AttachmentItems.LEASE_UNTIL);
        values.put(":ready", s(AttachmentStatus.READY.storedName()));
        values.put(":pending", s(AttachmentStatus.PENDING.storedName()));
        values.put(":processing", s(AttachmentStatus.PROCESSING.storedName()));
        TransactWriteItem attachment = TransactWriteItem.builder().update(Update.builder()
                .tableName(tableName)
                .key(AttachmentItems.attachmentKey(chat, ready.messageId(), ready.attachmentId()))
                .updateExpression("SET #status = :ready, " + String.join(", ", sets) + " REMOVE #ttl, #holder, #lease")
                .conditionExpression("#status IN (:pending, :processing)")
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)
                .build()).build();
        TransactWriteItem blob = TransactWriteItem.builder().update(Update.builder()
                .tableName(tableName)
                .key(AttachmentItems.blobKey(new BlobId(chat.tenantId(), ready.sha256())))
                .updateExpression("ADD #refs :one REMOVE #shard, #orphanedAt")
                .conditionExpression("attribute_exists(pk) AND #stored = :true AND attribute_not_exists(#deleting)")
                .expressionAttributeNames(Map.of("#refs", "references", "#shard", MessagesTable.ORPHAN_SHARD,
                        "#orphanedAt", MessagesTable.ORPHANED_AT, "#stored", "stored", "#deleting", "deleting"))
                .expressionAttributeValues(Map.of(":one", n(1), ":true", bool(true)))
                .build()).build();
        try {
            dynamoDb.transactWriteItems(b -> b.transactItems(attachment, blob,
                    messageIsLive(chat, ready.messageId())));
            return ReadyOutcome.READY;
        } catch (TransactionCanceledException e) {
            if (failed(e, 0)) {
                return ReadyOutcome.NOT_PENDING;
            }
            if (failed(e, 2)) {
                return ReadyOutcome.MESSAGE_GONE;
            }
            if (failed(e, 1)) {
                return ReadyOutcome.BLOB_UNAVAILABLE;
            }
            throw conflictOrFailure(e);
        }
    }

    @Override
    public boolean markRejected(ChatRef chat, Attachment rejected, Instant expiresAt) {
        Map<String, AttributeValue> item = AttachmentItems.toItem(chat, rejected);
        item.put(MessagesTable.TTL_ATTRIBUTE, n(expiresAt.getEpochSecond()));
        try {
            // A whole new item: the claim's holder and lease go with the old one.
            dynamoDb.putItem(b -> b.tableName(tableName).item(item)
                    .conditionExpression("#status IN (:pending, :processing)")
                    .expressionAttributeNames(Map.of("#status", "status"))
                    .expressionAttributeValues(Map.of(":pending", s(AttachmentStatus.PENDING.storedName()),
                            ":processing", s(AttachmentStatus.PROCESSING.storedName()))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public void drop(ChatRef chat, Attachment attachment, Instant now) {
        Map<String, AttributeValue> key = AttachmentItems.attachmentKey(chat, attachment.messageId(),
                attachment.attachmentId());
        if (!attachment.isReady()) {
            dynamoDb.deleteItem(b -> b.tableName(tableName).key(key));
            return;
        }
        // The count is set, not added, under a condition on the value read: a blob whose count
        // reaches zero must also get its sweep-index keys, which ADD cannot decide.
        for (int attempt = 1; attempt <= RELEASE_ATTEMPTS; attempt++) {
            Optional<Blob> blob = findBlob(new BlobId(chat.tenantId(), attachment.sha256()));
            TransactWriteItem delete = TransactWriteItem.builder().delete(Delete.builder()
                    .tableName(tableName).key(key)
                    .conditionExpression("#status = :ready")
                    .expressionAttributeNames(Map.of("#status", "status"))
                    .expressionAttributeValues(Map.of(":ready", s(AttachmentStatus.READY.storedName())))
                    .build()).build();
            if (blob.isEmpty()) {
                // Cannot happen while counts are kept in transactions; never block the delete on it.
                dynamoDb.deleteItem(b -> b.tableName(tableName).key(key));
                return;
            }
            try {
                dynamoDb.transactWriteItems(b -> b.transactItems(delete, release(blob.get(), now)));
                return;
            } catch (TransactionCanceledException e) {
                if (failed(e, 0)) {
                    return; // already dropped
                }
                if (!failed(e, 1) && !conflicted(e)) {
                    throw e;
                }
            }
            sleepBeforeRetry(attempt);
        }
        throw new WriteConflictException("blob reference count kept changing", null);
    }

    private TransactWriteItem release(Blob blob, Instant now) {
        long remaining = Math.max(0, blob.references() - 1);
        Map<String, String> names = new HashMap<>(Map.of("#refs", "references"));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(
                ":seen", n(blob.references()), ":remaining", n(remaining)));
        String update = "SET #refs = :remaining";
        if (remaining == 0) {
            names.put("#shard", MessagesTable.ORPHAN_SHARD);
            names.put("#orphanedAt", MessagesTable.ORPHANED_AT);
            values.put(":shard", s(shardOf(blob.sha256())));
            values.put(":now", s(Timestamps.format(now)));
            update += ", #shard = :shard, #orphanedAt = :now";
        }
        return TransactWriteItem.builder().update(Update.builder()
                .tableName(tableName)
                .key(AttachmentItems.blobKey(blob.id()))
                .updateExpression(update)
                .conditionExpression("#refs = :seen")
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)
                .build()).build();
    }

    @Override
    public Optional<Blob> findBlob(BlobId blob) {
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(tableName)
                .key(AttachmentItems.blobKey(blob)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(AttachmentItems.toBlob(item));
    }

    @Override
    public boolean createBlob(Blob blob) {
        // Unreferenced from birth: if ingestion dies before the first reference, the sweep
        // still finds the blob and removes whatever of it was stored.
        Map<String, AttributeValue> item = AttachmentItems.toItem(blob);
        item.put(MessagesTable.ORPHAN_SHARD, s(shardOf(blob.sha256())));
        item.put(MessagesTable.ORPHANED_AT, s(Timestamps.format(blob.createdAt())));
        return ConditionalPuts.putIfAbsent(dynamoDb, tableName, item);
    }

    @Override
    public void markBlobStored(BlobId blob) {
        dynamoDb.updateItem(b -> b.tableName(tableName)
                .key(AttachmentItems.blobKey(blob))
                .updateExpression("SET #stored = :true")
                .conditionExpression("attribute_exists(pk)")
                .expressionAttributeNames(Map.of("#stored", "stored"))
                .expressionAttributeValues(Map.of(":true", bool(true))));
    }

    @Override
    public List<BlobId> listUnreferencedBlobs(Instant before, int limit) {
        List<BlobId> blobs = new ArrayList<>();
        forEachInIndex(before, item -> {
            // Attachments due for the retention sweep share the index.
            String pk = item.get(MessagesTable.PARTITION_KEY).s();
            if (blobs.size() < limit && pk.startsWith(MessagesTable.BLOB_PREFIX)) {
                blobs.add(MessagesTable.blobIdOf(pk));
            }
        }, () -> blobs.size() >= limit);
        return blobs;
    }

    /** Every key in the UnreferencedBlobs index due before {@code before}, shard by shard, until {@code full}. */
    private void forEachInIndex(Instant before, java.util.function.Consumer<Map<String, AttributeValue>> visitor,
                                java.util.function.BooleanSupplier full) {
        for (int shard = 0; shard < SHARDS && !full.getAsBoolean(); shard++) {
            String shardKey = Integer.toHexString(shard);
            QueryPages.forEachItem(dynamoDb, QueryRequest.builder()
                    .tableName(tableName)
                    .indexName(MessagesTable.UNREFERENCED_BLOBS_INDEX)
                    .keyConditionExpression("#shard = :shard AND #orphanedAt < :before")
                    .expressionAttributeNames(Map.of("#shard", MessagesTable.ORPHAN_SHARD,
                            "#orphanedAt", MessagesTable.ORPHANED_AT))
                    .expressionAttributeValues(Map.of(":shard", s(shardKey),
                            ":before", s(Timestamps.format(before))))
                    .limit(100), visitor);
        }
    }

    /**
     * An attachment due for the retention sweep sits in the same sparse index as an unreferenced
     * blob ({@code orphanShard}, {@code orphanedAt}), so the sweep needs no index of its own.
     */
    @Override
    public boolean setRetainUntil(AttachmentRef ref, Instant retainUntil) {
        Map<String, String> names = Map.of("#shard", MessagesTable.ORPHAN_SHARD, "#due", MessagesTable.ORPHANED_AT);
        try {
            dynamoDb.updateItem(b -> {
                b.tableName(tableName)
                        .key(AttachmentItems.attachmentKey(ref.chat(), ref.messageId(), ref.attachmentId()))
                        .conditionExpression("attribute_exists(pk)")
                        .expressionAttributeNames(names);
                if (retainUntil == null) {
                    b.updateExpression("REMOVE #shard, #due");
                } else {
                    b.updateExpression("SET #shard = :shard, #due = :due")
                            .expressionAttributeValues(Map.of(":shard", s(attachmentShardOf(ref.attachmentId())),
                                    ":due", s(Timestamps.format(retainUntil))));
                }
            });
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public List<AttachmentRef> listDueAttachments(Instant before, int limit) {
        List<AttachmentRef> due = new ArrayList<>();
        forEachInIndex(before, item -> {
            String sk = item.get(MessagesTable.SORT_KEY).s();
            if (due.size() < limit && sk.startsWith(MessagesTable.ATTACHMENT_PREFIX)) {
                due.add(AttachmentItems.refOf(item));
            }
        }, () -> due.size() >= limit);
        return due;
    }

    @Override
    public boolean beginBlobDeletion(BlobId blob, Instant before) {
        try {
            dynamoDb.updateItem(b -> b.tableName(tableName)
                    .key(AttachmentItems.blobKey(blob))
                    .updateExpression("SET #deleting = :true")
                    .conditionExpression("#refs = :zero AND #orphanedAt < :before")
                    .expressionAttributeNames(Map.of("#deleting", "deleting", "#refs", "references",
                            "#orphanedAt", MessagesTable.ORPHANED_AT))
                    .expressionAttributeValues(Map.of(":true", bool(true), ":zero", n(0),
                            ":before", s(Timestamps.format(before)))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public void finishBlobDeletion(BlobId blob) {
        try {
            dynamoDb.deleteItem(b -> b.tableName(tableName)
                    .key(AttachmentItems.blobKey(blob))
                    .conditionExpression("attribute_exists(#deleting)")
                    .expressionAttributeNames(Map.of("#deleting", "deleting")));
        } catch (ConditionalCheckFailedException e) {
            // Already gone, or never claimed: either way not ours to delete.
        }
    }

    static String shardOf(String sha256) {
        return sha256.substring(0, 1);
    }

    /** Attachment ids are ULIDs, not hex: a hash spreads them over the same sixteen shards. */
    static String attachmentShardOf(String attachmentId) {
        return Integer.toHexString(Math.floorMod(attachmentId.hashCode(), SHARDS));
    }

    private TransactWriteItem messageIsLive(ChatRef chat, String messageId) {
        return TransactWriteItem.builder().conditionCheck(ConditionCheck.builder()
                .tableName(tableName)
                .key(MessageItems.messageKey(chat, messageId))
                .conditionExpression("attribute_exists(pk) AND " + MessageItems.NOT_DELETED)
                .expressionAttributeValues(Map.of(":yes", MessageItems.yes()))
                .build()).build();
    }

    private static boolean failed(TransactionCanceledException e, int index) {
        List<CancellationReason> reasons = e.cancellationReasons();
        return reasons != null && reasons.size() > index && CONDITION_FAILED.equals(reasons.get(index).code());
    }

    private static boolean conflicted(TransactionCanceledException e) {
        List<CancellationReason> reasons = e.cancellationReasons();
        return reasons != null && reasons.stream().anyMatch(r -> TRANSACTION_CONFLICT.equals(r.code()));
    }

    private static RuntimeException conflictOrFailure(TransactionCanceledException e) {
        return conflicted(e) ? new WriteConflictException("transaction conflict", e) : e;
    }

    private static void sleepBeforeRetry(int attempt) {
        try {
            Thread.sleep(Math.min(200, 10L << attempt) + java.util.concurrent.ThreadLocalRandom.current().nextInt(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WriteConflictException("interrupted while retrying", null);
        }
    }
}
