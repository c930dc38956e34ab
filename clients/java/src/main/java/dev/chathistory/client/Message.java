package dev.chathistory.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * The current version of a chat message, as the API returns it.
 *
 * <p>{@link #version()} is the value of the response's {@code ETag}: pass it to
 * {@link ChatHistoryClient#edit} or {@link ChatHistoryClient#delete} as the expected version.
 *
 * @param metadata the bot's own JSON object, or {@code null} when the message has none; a copy
 *                 is returned on every call, so the record stays immutable
 * @param parentVersion the version this one replaced, {@code null} for the first
 * @param editedAt when it was last edited or deleted, {@code null} if never
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Message(
        String chatId,
        String messageId,
        String userId,
        @JsonProperty("isBot") boolean isBot,
        String text,
        JsonNode metadata,
        long version,
        Long parentVersion,
        boolean deleted,
        Instant createdAt,
        Instant editedAt) {

    public Message {
        metadata = JsonValues.copyOrNull(metadata);
    }

    @Override
    public JsonNode metadata() {
        return JsonValues.copyOrNull(metadata);
    }
}
