package dev.chathistory.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * A message to append.
 *
 * @param metadata the bot's own JSON object (up to 8 KiB), or {@code null}
 */
public record NewMessage(String userId, boolean isBot, String text, JsonNode metadata) {

    public NewMessage {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(text, "text");
        metadata = JsonValues.copyOrNull(metadata);
    }

    public static NewMessage of(String userId, boolean isBot, String text) {
        return new NewMessage(userId, isBot, text, null);
    }

    @Override
    public JsonNode metadata() {
        return JsonValues.copyOrNull(metadata);
    }
}
