package dev.chathistory.shared.archive;

import java.time.Instant;
import java.util.Objects;

/**
 * One entry of a chat's archive manifest: a compressed object in S3 holding the chat's messages
 * with ids from {@code firstMessageId} to {@code lastMessageId}. Chunks of one chat never overlap
 * and every archived id is older than every hot one, so newest-first paging reads the hot
 * messages, then the chunks from the newest down.
 */
public record ArchiveChunk(
        String chatId,
        String firstMessageId,
        String lastMessageId,
        int messageCount,
        String objectKey,
        String codec,
        long rawBytes,
        long storedBytes,
        String sha256,
        Instant archivedAt) {

    public ArchiveChunk {
        Objects.requireNonNull(chatId, "chatId");
        Objects.requireNonNull(firstMessageId, "firstMessageId");
        Objects.requireNonNull(lastMessageId, "lastMessageId");
        Objects.requireNonNull(objectKey, "objectKey");
        if (messageCount < 1) {
            throw new IllegalArgumentException("a chunk holds at least one message");
        }
    }

    public boolean covers(String messageId) {
        return firstMessageId.compareTo(messageId) <= 0 && lastMessageId.compareTo(messageId) >= 0;
    }
}
