package dev.chathistory.shared.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** One version of a message as it was when written; superseded versions are kept forever. */
public record MessageVersion(
        String messageId,
        long version,
        Long parentVersion,
        String userId,
        boolean bot,
        String text,
        JsonNode metadata,
        boolean deleted,
        Instant versionCreatedAt) {
}
