package dev.chathistory.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What an edit changes: the text, the metadata, or both. Whatever is not changed stays as it
 * is; replacing the metadata with {@code null} removes it.
 */
public record MessageEdit(String text, boolean replacesMetadata, JsonNode metadata) {

    public MessageEdit {
        if (text == null && !replacesMetadata) {
            throw new IllegalArgumentException("an edit changes the text, the metadata or both");
        }
        metadata = JsonValues.copyOrNull(metadata);
    }

    public static MessageEdit text(String text) {
        return new MessageEdit(java.util.Objects.requireNonNull(text, "text"), false, null);
    }

    /** Replaces the metadata; {@code null} removes it. */
    public static MessageEdit metadata(JsonNode metadata) {
        return new MessageEdit(null, true, metadata);
    }

    public static MessageEdit textAndMetadata(String text, JsonNode metadata) {
        return new MessageEdit(java.util.Objects.requireNonNull(text, "text"), true, metadata);
    }

    @Override
    public JsonNode metadata() {
        return JsonValues.copyOrNull(metadata);
    }
}
