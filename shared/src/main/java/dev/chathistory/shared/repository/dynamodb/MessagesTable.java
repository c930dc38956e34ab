package dev.chathistory.shared.repository.dynamodb;

import dev.chathistory.shared.attachments.BlobId;
import dev.chathistory.shared.model.ChatRef;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Key design of the messages table, which the SAM template declares (a test checks they agree).
 *
 * <pre>
 * pk = T#{tenant}#C#{chat}        one partition per chat, tenant first
 * sk = M#{messageId}              current message; ULIDs, so reverse order is newest first
 *      V#{messageId}#{version:10} superseded versions, never read by history listing
 *      I#{idempotencyKey}         append idempotency record, expires via TTL
 *      M!{firstMessageId}         archive manifest entry: a chunk of archived messages in S3;
 *                                 sorts right below every M#, so one Query reads both
 *      F#{messageId}#{attachmentId} an image attached to the message
 *
 * pk = B#{tenant}#{sha256}        a stored image, shared by the tenant's attachments with those
 * sk = BLOB                       bytes (never by another tenant's); while it has no reference it
 *                                 carries orphanShard/orphanedAt, the keys of the sparse
 *                                 UnreferencedBlobs index
 * </pre>
 *
 * Ids cannot contain '#', so no id can forge another segment.
 */
public final class MessagesTable {

    public static final String PARTITION_KEY = "pk";
    public static final String SORT_KEY = "sk";
    public static final String TTL_ATTRIBUTE = "expiresAt";

    static final String MESSAGE_PREFIX = "M#";
    static final String VERSION_PREFIX = "V#";
    static final String IDEMPOTENCY_PREFIX = "I#";
    /** Sorts right below {@link #MESSAGE_PREFIX} ('!' < '#'), with nothing in between. */
    static final String ARCHIVE_PREFIX = "M!";
    /** Where manifest entries lived before they moved next to the messages; see ArchiveKeyMigration. */
    static final String LEGACY_ARCHIVE_PREFIX = "A#";
    static final String ATTACHMENT_PREFIX = "F#";
    /**
     * A branch's mark: below the archive manifest ({@code M!}), so the bottom of the range a
     * history page reads.
     */
    static final String BRANCH_MARK = "M BRANCH";
    /** A parent's list of its branches. */
    static final String BRANCH_ENTRY_PREFIX = "R#";
    static final String BLOB_PREFIX = "B#";
    static final String BLOB_SORT_KEY = "BLOB";

    /** Sparse index of blobs without references, sharded by the first hex digit of the hash. */
    public static final String UNREFERENCED_BLOBS_INDEX = "UnreferencedBlobs";
    public static final String ORPHAN_SHARD = "orphanShard";
    public static final String ORPHANED_AT = "orphanedAt";

    private MessagesTable() {
    }

    public static String partitionKey(ChatRef chat) {
        return "T#" + chat.tenantId() + "#C#" + chat.chatId();
    }

    /** The chat id a chat partition key names; tenant ids cannot contain '#'. */
    static String chatIdOf(String partitionKey) {
        return partitionKey.substring(partitionKey.indexOf("#C#") + 3);
    }

    /** The message id in a version snapshot's sort key, {@code V#{messageId}#{version}}. */
    static String messageIdOfVersion(String sortKey) {
        return sortKey.substring(VERSION_PREFIX.length(), sortKey.lastIndexOf('#'));
    }

    static String messageSortKey(String messageId) {
        return MESSAGE_PREFIX + messageId;
    }

    static String versionPrefix(String messageId) {
        return VERSION_PREFIX + messageId + "#";
    }

    static String versionSortKey(String messageId, long version) {
        return versionPrefix(messageId) + String.format("%010d", version);
    }

    static String archiveSortKey(String firstMessageId) {
        return ARCHIVE_PREFIX + firstMessageId;
    }

    static Map<String, AttributeValue> branchMarkKey(ChatRef chat) {
        return Map.of(PARTITION_KEY, AttributeValue.fromS(partitionKey(chat)),
                SORT_KEY, AttributeValue.fromS(BRANCH_MARK));
    }

    static String branchEntrySortKey(String branchId) {
        return BRANCH_ENTRY_PREFIX + branchId;
    }

    static String attachmentPrefix(String messageId) {
        return ATTACHMENT_PREFIX + messageId + "#";
    }

    static String attachmentSortKey(String messageId, String attachmentId) {
        return attachmentPrefix(messageId) + attachmentId;
    }

    static String blobPartitionKey(BlobId blob) {
        return BLOB_PREFIX + blob.tenantId() + "#" + blob.sha256();
    }

    /** The blob a blob partition key names; tenant ids cannot contain '#', hashes never do. */
    static BlobId blobIdOf(String partitionKey) {
        String rest = partitionKey.substring(BLOB_PREFIX.length());
        int separator = rest.lastIndexOf('#');
        return new BlobId(rest.substring(0, Math.max(separator, 0)), rest.substring(separator + 1));
    }

    static String idempotencySortKey(String key) {
        return IDEMPOTENCY_PREFIX + key;
    }
}
