package dev.chathistory.shared.repository.dynamodb;

import dev.chathistory.shared.model.ChatRef;

/**
 * Key design of the messages table, which the SAM template declares (a test checks they agree).
 *
 * <pre>
 * pk = T#{tenant}#C#{chat}        one partition per chat, tenant first
 * sk = M#{messageId}              current message; ULIDs, so reverse order is newest first
 *      V#{messageId}#{version:10} superseded versions, never read by history listing
 *      I#{idempotencyKey}         append idempotency record, expires via TTL
 *      A#{firstMessageId}         archive manifest entry: a chunk of archived messages in S3
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
    static final String ARCHIVE_PREFIX = "A#";

    private MessagesTable() {
    }

    public static String partitionKey(ChatRef chat) {
        return "T#" + chat.tenantId() + "#C#" + chat.chatId();
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

    static String idempotencySortKey(String key) {
        return IDEMPOTENCY_PREFIX + key;
    }
}
