package dev.chathistory.client.memory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chathistory.client.Message;
import java.util.Optional;

/**
 * A remembered message as the chat holds it: the entry, where it is in the conversation's
 * append log ({@code pos}, from 0), and, on the newest message of an update, the window.
 * Its metadata: {@code {"memory": {"v": 1, "pos", "role", "format", "kind", "window"?}}}.
 */
record StoredEntry(MemoryEntry entry, String kind, String messageId, long pos, long version, boolean deleted,
                   WindowSpec window) {

    static final String FIELD = "memory";

    /** The remembered message {@code message} holds, or empty for one written otherwise. */
    static Optional<StoredEntry> from(Message message) {
        JsonNode memory = message.metadata() == null ? null : message.metadata().get(FIELD);
        if (memory == null || !memory.path("pos").canConvertToLong()) {
            return Optional.empty();
        }
        MemoryRole role = MemoryRole.fromWire(memory.path("role").asText());
        boolean json = "json".equals(memory.path("format").asText());
        JsonNode window = memory.get("window");
        return Optional.of(new StoredEntry(new MemoryEntry(role, json, message.text()), memory.path("kind").asText(),
                message.messageId(),
                memory.path("pos").asLong(), message.version(), message.deleted(),
                window == null ? null : WindowSpec.fromJson(window)));
    }

    static ObjectNode metadata(MemoryEntry entry, long pos, String kind, WindowSpec window) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ObjectNode memory = root.putObject(FIELD);
        memory.put("v", 1);
        memory.put("pos", pos);
        memory.put("role", entry.role().wireName());
        memory.put("format", entry.json() ? "json" : "text");
        memory.put("kind", kind);
        if (window != null) {
            memory.set("window", window.toJson());
        }
        return root;
    }

    /** The same metadata with {@code window} in place of what it had. */
    ObjectNode metadataWith(WindowSpec newWindow) {
        return metadata(entry, pos, kind, newWindow);
    }
}
