package dev.chathistory.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One version of a message, from {@link ChatHistoryClient#listVersions} or
 * {@link ChatHistoryClient#versionsOf}: what the message said from {@code versionCreatedAt}
 * until the next version replaced it.
 *
 * @param metadata a copy of the bot's JSON object at this version, or {@code null}
 * @param parentVersion the version this one replaced, {@code null} for the first
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record MessageVersion(
        String messageId,
        long version,
        Long parentVersion,
        String userId,
        @JsonProperty("isBot") boolean isBot,
        String text,
        JsonNode metadata,
        boolean deleted,
        Instant versionCreatedAt) {

    public MessageVersion {
        metadata = JsonValues.copyOrNull(metadata);
    }

    @Override
    public JsonNode metadata() {
        return JsonValues.copyOrNull(metadata);
    }
}
