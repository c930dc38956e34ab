package dev.chathistory.shared.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Objects;

/**
 * The current version of one chat message. {@code metadata} is a JSON object or null and is
 * never mutated after construction. {@code importId} names the import that brought the message
 * in from a legacy database (null for messages appended through the API); edits keep it, so a
 * rollback of that import finds the message whatever happened to it since. {@code expiresAt} is
 * when retention lets it go, as stamped on the stored item for DynamoDB's TTL (null: kept); what
 * readers hide is decided by the policy in force, not by this stamp.
 */
public record Message(
        String chatId,
        String messageId,
        String userId,
        boolean bot,
        String text,
        JsonNode metadata,
        long version,
        Long parentVersion,
        boolean deleted,
        Instant createdAt,
        Instant editedAt,
        String importId,
        Instant expiresAt) {

    public Message {
        Objects.requireNonNull(chatId, "chatId");
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(createdAt, "createdAt");
        if (version < 1) {
            throw new IllegalArgumentException("version starts at 1");
        }
    }

    public static Message first(String chatId, String messageId, String userId, boolean bot,
                                String text, JsonNode metadata, Instant createdAt) {
        return new Message(chatId, messageId, userId, bot, text, metadata, 1, null, false, createdAt, null, null,
                null);
    }

    /** When the content of this version was written. */
    public Instant versionCreatedAt() {
        return editedAt != null ? editedAt : createdAt;
    }

    /** The snapshot that preserves this version once it is superseded. */
    public MessageVersion toVersion() {
        return new MessageVersion(messageId, version, parentVersion, userId, bot, text, metadata,
                deleted, versionCreatedAt());
    }

    /** The next version with new content; the caller decides which fields change. */
    public Message nextVersion(String newText, JsonNode newMetadata, boolean nowDeleted, Instant at) {
        return new Message(chatId, messageId, userId, bot, newText, newMetadata, version + 1, version,
                nowDeleted, createdAt, at, importId, expiresAt);
    }

    /** The same message stamped to expire then (null: kept). */
    public Message withExpiry(Instant newExpiresAt) {
        return new Message(chatId, messageId, userId, bot, text, metadata, version, parentVersion, deleted,
                createdAt, editedAt, importId, newExpiresAt);
    }
}
