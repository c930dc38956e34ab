package dev.chathistory.shared.repository.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chathistory.shared.json.Json;
import dev.chathistory.shared.model.ChatRef;
import dev.chathistory.shared.model.IdempotencyRecord;
import dev.chathistory.shared.model.Message;
import dev.chathistory.shared.model.MessageVersion;
import dev.chathistory.shared.model.Timestamps;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Hand-written item mapping: explicit, reflection-free, cheap at cold start.
 *
 * <p>Messages and version snapshots are stored compactly, because DynamoDB bills every byte of
 * every attribute name on every read: one-letter names, the chat and message ids left to the
 * key, times as epoch milliseconds, and flags only when set. A page of 50 short messages is
 * then about half its former size. Items written before this format (long names) are still read.
 *
 * <pre>
 * u  author's user id          t  text                  m  metadata (JSON), when set
 * v  version                   p  parent version, when set
 * b  true when the author is the bot, else absent
 * d  true when deleted, else absent
 * c  created at (epoch ms)     e  edited at (epoch ms), when edited
 * i  id of the import that wrote it, when imported
 * w  when a snapshot's version was written (epoch ms)
 * expiresAt  when retention lets the message go (epoch s), the table's TTL attribute; absent: kept
 * </pre>
 */
final class MessageItems {

    static final String AUTHOR = "u";
    static final String VERSION = "v";
    static final String IMPORT_ID = "i";

    /** Condition or filter: the message is not deleted (either format); binds {@code :yes} to true. */
    static final String NOT_DELETED = "NOT (d = :yes OR deleted = :yes)";

    private MessageItems() {
    }

    /** Condition or filter: the stored version is {@code placeholder} (either format). */
    static String versionIs(String placeholder) {
        return "(" + VERSION + " = " + placeholder + " OR version = " + placeholder + ")";
    }

    /** Condition or filter: the author is {@code placeholder} (either format). */
    static String authorIs(String placeholder) {
        return "(" + AUTHOR + " = " + placeholder + " OR userId = " + placeholder + ")";
    }

    static AttributeValue yes() {
        return bool(true);
    }

    static Map<String, AttributeValue> messageKey(ChatRef chat, String messageId) {
        return Map.of(
                MessagesTable.PARTITION_KEY, s(MessagesTable.partitionKey(chat)),
                MessagesTable.SORT_KEY, s(MessagesTable.messageSortKey(messageId)));
    }

    static Map<String, AttributeValue> idempotencyKey(ChatRef chat, String key) {
        return Map.of(
                MessagesTable.PARTITION_KEY, s(MessagesTable.partitionKey(chat)),
                MessagesTable.SORT_KEY, s(MessagesTable.idempotencySortKey(key)));
    }

    static Map<String, AttributeValue> toItem(ChatRef chat, Message m) {
        Map<String, AttributeValue> item = new HashMap<>(messageKey(chat, m.messageId()));
        item.put(AUTHOR, s(m.userId()));
        item.put("t", s(m.text()));
        putContent(item, m.bot(), m.metadata(), m.version(), m.parentVersion(), m.deleted());
        item.put("c", millis(m.createdAt()));
        if (m.editedAt() != null) {
            item.put("e", millis(m.editedAt()));
        }
        if (m.importId() != null) {
            item.put(IMPORT_ID, s(m.importId()));
        }
        putExpiry(item, m.expiresAt());
        return item;
    }

    private static void putExpiry(Map<String, AttributeValue> item, Instant expiresAt) {
        if (expiresAt != null) {
            item.put(MessagesTable.TTL_ATTRIBUTE, n(expiresAt.getEpochSecond()));
        }
    }

    private static Instant expiryOf(Map<String, AttributeValue> item) {
        AttributeValue value = item.get(MessagesTable.TTL_ATTRIBUTE);
        return value == null ? null : Instant.ofEpochSecond(Long.parseLong(value.n()));
    }

    static Message toMessage(Map<String, AttributeValue> item) {
        if (!item.containsKey("t")) {
            return toMessageV0(item);
        }
        String pk = item.get(MessagesTable.PARTITION_KEY).s();
        return new Message(
                MessagesTable.chatIdOf(pk),
                item.get(MessagesTable.SORT_KEY).s().substring(MessagesTable.MESSAGE_PREFIX.length()),
                item.get(AUTHOR).s(),
                flag(item, "b"),
                item.get("t").s(),
                json(item.get("m")),
                Long.parseLong(item.get(VERSION).n()),
                optionalLong(item.get("p")),
                flag(item, "d"),
                instant(item.get("c")),
                item.containsKey("e") ? instant(item.get("e")) : null,
                item.containsKey(IMPORT_ID) ? item.get(IMPORT_ID).s() : null,
                expiryOf(item));
    }

    /** The id of the import that wrote the item and its version, in either format; null when absent. */
    static String importIdOf(Map<String, AttributeValue> item) {
        AttributeValue value = item.containsKey(IMPORT_ID) ? item.get(IMPORT_ID) : item.get("importId");
        return value == null ? null : value.s();
    }

    static Long versionOf(Map<String, AttributeValue> item) {
        AttributeValue value = item.containsKey(VERSION) ? item.get(VERSION) : item.get("version");
        return value == null ? null : Long.parseLong(value.n());
    }

    static String messageIdOf(Map<String, AttributeValue> item) {
        return item.get(MessagesTable.SORT_KEY).s().substring(MessagesTable.MESSAGE_PREFIX.length());
    }

    /** A version snapshot, stamped to expire with its message. */
    static Map<String, AttributeValue> toItem(ChatRef chat, MessageVersion v, Instant expiresAt) {
        Map<String, AttributeValue> item = toItem(chat, v);
        putExpiry(item, expiresAt);
        return item;
    }

    static Map<String, AttributeValue> toItem(ChatRef chat, MessageVersion v) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(MessagesTable.PARTITION_KEY, s(MessagesTable.partitionKey(chat)));
        item.put(MessagesTable.SORT_KEY, s(MessagesTable.versionSortKey(v.messageId(), v.version())));
        item.put(AUTHOR, s(v.userId()));
        item.put("t", s(v.text()));
        putContent(item, v.bot(), v.metadata(), v.version(), v.parentVersion(), v.deleted());
        item.put("w", millis(v.versionCreatedAt()));
        return item;
    }

    static MessageVersion toVersion(Map<String, AttributeValue> item) {
        if (!item.containsKey("t")) {
            return toVersionV0(item);
        }
        String sk = item.get(MessagesTable.SORT_KEY).s();
        return new MessageVersion(
                MessagesTable.messageIdOfVersion(sk),
                Long.parseLong(item.get(VERSION).n()),
                optionalLong(item.get("p")),
                item.get(AUTHOR).s(),
                flag(item, "b"),
                item.get("t").s(),
                json(item.get("m")),
                flag(item, "d"),
                instant(item.get("w")));
    }

    private static void putContent(Map<String, AttributeValue> item, boolean bot, JsonNode metadata, long version,
                                   Long parentVersion, boolean deleted) {
        if (bot) {
            item.put("b", bool(true));
        }
        if (metadata != null) {
            item.put("m", s(Json.write(metadata)));
        }
        item.put(VERSION, n(version));
        if (parentVersion != null) {
            item.put("p", n(parentVersion));
        }
        if (deleted) {
            item.put("d", bool(true));
        }
    }

    // The format before the compact one: long names, ids repeated, ISO-8601 times.

    private static Message toMessageV0(Map<String, AttributeValue> item) {
        return new Message(
                item.get("chatId").s(),
                item.get("messageId").s(),
                item.get("userId").s(),
                item.get("isBot").bool(),
                item.get("text").s(),
                json(item.get("metadata")),
                Long.parseLong(item.get("version").n()),
                optionalLong(item.get("parentVersion")),
                item.containsKey("deleted") && item.get("deleted").bool(),
                Timestamps.parse(item.get("createdAt").s()),
                optionalInstant(item.get("editedAt")),
                item.containsKey("importId") ? item.get("importId").s() : null,
                expiryOf(item));
    }

    private static MessageVersion toVersionV0(Map<String, AttributeValue> item) {
        return new MessageVersion(
                item.get("messageId").s(),
                Long.parseLong(item.get("version").n()),
                optionalLong(item.get("parentVersion")),
                item.get("userId").s(),
                item.get("isBot").bool(),
                item.get("text").s(),
                json(item.get("metadata")),
                item.get("deleted").bool(),
                Timestamps.parse(item.get("versionCreatedAt").s()));
    }

    static Map<String, AttributeValue> toItem(ChatRef chat, IdempotencyRecord r) {
        Map<String, AttributeValue> item = new HashMap<>(idempotencyKey(chat, r.key()));
        item.put("requestHash", s(r.requestHash()));
        item.put("messageId", s(r.messageId()));
        item.put("createdAt", s(Timestamps.format(r.createdAt())));
        item.put(MessagesTable.TTL_ATTRIBUTE, n(r.expiresAt().getEpochSecond()));
        return item;
    }

    static IdempotencyRecord toIdempotencyRecord(String key, Map<String, AttributeValue> item) {
        return new IdempotencyRecord(
                key,
                item.get("requestHash").s(),
                item.get("messageId").s(),
                Timestamps.parse(item.get("createdAt").s()),
                Instant.ofEpochSecond(Long.parseLong(item.get(MessagesTable.TTL_ATTRIBUTE).n())));
    }

    static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    static AttributeValue bool(boolean value) {
        return AttributeValue.fromBool(value);
    }

    private static AttributeValue millis(Instant instant) {
        return n(instant.toEpochMilli());
    }

    private static Instant instant(AttributeValue value) {
        return Instant.ofEpochMilli(Long.parseLong(value.n()));
    }

    private static boolean flag(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value != null && Boolean.TRUE.equals(value.bool());
    }

    private static JsonNode json(AttributeValue value) {
        return value == null ? null : Json.parseTrusted(value.s());
    }

    private static Long optionalLong(AttributeValue value) {
        return value == null ? null : Long.parseLong(value.n());
    }

    private static Instant optionalInstant(AttributeValue value) {
        return value == null ? null : Timestamps.parse(value.s());
    }
}
