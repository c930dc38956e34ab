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

/** Hand-written item mapping: explicit, reflection-free, cheap at cold start. */
final class MessageItems {

    private MessageItems() {
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
        item.put("chatId", s(m.chatId()));
        item.put("messageId", s(m.messageId()));
        item.put("userId", s(m.userId()));
        item.put("isBot", bool(m.bot()));
        item.put("text", s(m.text()));
        if (m.metadata() != null) {
            item.put("metadata", s(Json.write(m.metadata())));
        }
        item.put("version", n(m.version()));
        if (m.parentVersion() != null) {
            item.put("parentVersion", n(m.parentVersion()));
        }
        item.put("deleted", bool(m.deleted()));
        item.put("createdAt", s(Timestamps.format(m.createdAt())));
        if (m.editedAt() != null) {
            item.put("editedAt", s(Timestamps.format(m.editedAt())));
        }
        if (m.importId() != null) {
            item.put("importId", s(m.importId()));
        }
        return item;
    }

    static Message toMessage(Map<String, AttributeValue> item) {
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
                item.containsKey("importId") ? item.get("importId").s() : null);
    }

    static Map<String, AttributeValue> toItem(ChatRef chat, MessageVersion v) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(MessagesTable.PARTITION_KEY, s(MessagesTable.partitionKey(chat)));
        item.put(MessagesTable.SORT_KEY, s(MessagesTable.versionSortKey(v.messageId(), v.version())));
        item.put("messageId", s(v.messageId()));
        item.put("version", n(v.version()));
        if (v.parentVersion() != null) {
            item.put("parentVersion", n(v.parentVersion()));
        }
        item.put("userId", s(v.userId()));
        item.put("isBot", bool(v.bot()));
        item.put("text", s(v.text()));
        if (v.metadata() != null) {
            item.put("metadata", s(Json.write(v.metadata())));
        }
        item.put("deleted", bool(v.deleted()));
        item.put("versionCreatedAt", s(Timestamps.format(v.versionCreatedAt())));
        return item;
    }

    static MessageVersion toVersion(Map<String, AttributeValue> item) {
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
