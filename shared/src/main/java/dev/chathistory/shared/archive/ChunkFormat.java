package dev.chathistory.shared.archive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chathistory.shared.json.Json;
import dev.chathistory.shared.model.Message;
import dev.chathistory.shared.model.MessageVersion;
import dev.chathistory.shared.model.Timestamps;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * JSON Lines, one archived message per line with its superseded versions inline. The same line
 * shape is used by exports, so an archive chunk and an export read alike.
 */
public final class ChunkFormat {

    private ChunkFormat() {
    }

    public static byte[] encode(List<ArchivedMessage> messages) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(messages.size() * 512);
        for (ArchivedMessage message : messages) {
            writeLine(out, toLine(message));
        }
        return out.toByteArray();
    }

    public static List<ArchivedMessage> decode(byte[] lines) {
        List<ArchivedMessage> messages = new ArrayList<>();
        String text = new String(lines, StandardCharsets.UTF_8);
        for (String line : text.split("\n")) {
            if (!line.isEmpty()) {
                messages.add(fromLine(Json.parseTrusted(line)));
            }
        }
        return messages;
    }

    private static void writeLine(ByteArrayOutputStream out, JsonNode line) {
        out.writeBytes(Json.writeBytes(line));
        out.write('\n');
    }

    public static ObjectNode toLine(ArchivedMessage archived) {
        Message m = archived.message();
        ObjectNode line = Json.object()
                .put("messageId", m.messageId())
                .put("chatId", m.chatId())
                .put("userId", m.userId())
                .put("isBot", m.bot())
                .put("text", m.text());
        line.set("metadata", m.metadata());
        line.put("version", m.version());
        if (m.parentVersion() != null) {
            line.put("parentVersion", m.parentVersion());
        }
        line.put("deleted", m.deleted())
                .put("createdAt", Timestamps.format(m.createdAt()));
        if (m.editedAt() != null) {
            line.put("editedAt", Timestamps.format(m.editedAt()));
        }
        if (m.importId() != null) {
            line.put("importId", m.importId());
        }
        ArrayNode versions = line.putArray("versions");
        for (MessageVersion v : archived.versions()) {
            ObjectNode node = versions.addObject()
                    .put("version", v.version());
            if (v.parentVersion() != null) {
                node.put("parentVersion", v.parentVersion());
            }
            node.put("userId", v.userId()).put("isBot", v.bot()).put("text", v.text());
            node.set("metadata", v.metadata());
            node.put("deleted", v.deleted()).put("versionCreatedAt", Timestamps.format(v.versionCreatedAt()));
        }
        return line;
    }

    static ArchivedMessage fromLine(JsonNode line) {
        String messageId = line.get("messageId").asText();
        Message message = new Message(
                line.get("chatId").asText(),
                messageId,
                line.get("userId").asText(),
                line.get("isBot").asBoolean(),
                line.get("text").asText(),
                metadata(line),
                line.get("version").asLong(),
                line.hasNonNull("parentVersion") ? line.get("parentVersion").asLong() : null,
                line.get("deleted").asBoolean(),
                Timestamps.parse(line.get("createdAt").asText()),
                line.hasNonNull("editedAt") ? Timestamps.parse(line.get("editedAt").asText()) : null,
                line.hasNonNull("importId") ? line.get("importId").asText() : null,
                null);
        List<MessageVersion> versions = new ArrayList<>();
        for (JsonNode v : line.path("versions")) {
            versions.add(new MessageVersion(
                    messageId,
                    v.get("version").asLong(),
                    v.hasNonNull("parentVersion") ? v.get("parentVersion").asLong() : null,
                    v.get("userId").asText(),
                    v.get("isBot").asBoolean(),
                    v.get("text").asText(),
                    metadata(v),
                    v.get("deleted").asBoolean(),
                    Timestamps.parse(v.get("versionCreatedAt").asText())));
        }
        return new ArchivedMessage(message, versions);
    }

    private static JsonNode metadata(JsonNode node) {
        JsonNode metadata = node.get("metadata");
        return metadata == null || metadata.isNull() ? null : metadata;
    }
}
