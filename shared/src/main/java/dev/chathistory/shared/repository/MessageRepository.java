package dev.chathistory.shared.repository;

import dev.chathistory.shared.model.ChatRef;
import dev.chathistory.shared.model.IdempotencyRecord;
import dev.chathistory.shared.model.Message;
import dev.chathistory.shared.model.MessageVersion;
import dev.chathistory.shared.model.Page;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Storage of messages, their superseded versions and append idempotency records. Every write is
 * all-or-nothing; every read is strongly consistent, so a bot always reads its own writes.
 */
public interface MessageRepository {

    /** Stores a new message (version 1). */
    void insert(ChatRef chat, Message message);

    /**
     * Stores a new message (version 1) unless the chat already holds one with that id; says
     * whether it stored it. For imports, whose ids come from the source row, so a repeat of the
     * same row finds its own message.
     */
    boolean insertIfAbsent(ChatRef chat, Message message);

    /**
     * Stores imported messages of the tenant's chats, each only where the chat holds no message
     * with its id, or holds the one this same import wrote, unchanged since (version 1). So a
     * repeat of an import lands on its own items again, while a message a bot wrote, edited or
     * deleted, or another import wrote, stays as it is. Throws once a message can still not be
     * written after backing off and retrying. For imports only: their ids come from the source
     * rows.
     *
     * @return the ids of the messages left as they were, because another writer's item was there
     */
    List<String> putImported(String tenantId, String importId, List<Message> messages);

    /**
     * Stores a new message and its idempotency record together, or neither.
     *
     * @throws IdempotencyKeyTakenException if a live record already holds the key
     * @throws WriteConflictException if a concurrent transaction touched the same items
     */
    void insertIdempotent(ChatRef chat, Message message, IdempotencyRecord record, Instant now);

    Optional<IdempotencyRecord> findIdempotencyRecord(ChatRef chat, String key);

    Optional<Message> find(ChatRef chat, String messageId);

    /**
     * Newest first. {@code resumeAfter} is a message id from a previous page (exclusive), or
     * null for the newest. Hidden deleted messages still count towards the read, so a page can
     * hold fewer than {@code limit} items while more follow.
     */
    Page<Message> listNewestFirst(ChatRef chat, int limit, String resumeAfter, boolean includeDeleted);

    /**
     * Replaces the current message with {@code next} if it is still at {@code expectedVersion},
     * and stores {@code superseded} as a version snapshot, atomically.
     *
     * @throws StaleVersionException with the current state if the version moved on or the
     *     message is gone
     * @throws WriteConflictException if a concurrent transaction touched the same items
     */
    void replace(ChatRef chat, Message next, long expectedVersion, MessageVersion superseded);

    /** Superseded versions of one message, newest first, strictly below {@code belowVersion}. */
    Page<MessageVersion> listVersionsNewestFirst(ChatRef chat, String messageId, int limit, long belowVersion);

    // Bulk access for background jobs (archive, export, erase, recount). Each reads or deletes
    // within one chat's partition; none scans the table.

    /** Hot messages with ids below {@code belowMessageId}, oldest first, deleted ones included. */
    List<Message> listOldestFirst(ChatRef chat, String belowMessageId, int limit);

    /** Every superseded version of a message, newest first. */
    List<MessageVersion> listAllVersions(ChatRef chat, String messageId);

    /** Visits every hot message of the chat (of one author, when {@code userId} is given), oldest first. */
    void forEachMessage(ChatRef chat, String userId, Consumer<Message> visitor);

    /** Deletes a message's superseded versions and says how many there were; repeating it is harmless. */
    int deleteVersions(ChatRef chat, String messageId);

    /** Deletes the current version of a message; repeating it is harmless. */
    void deleteMessage(ChatRef chat, String messageId);

    /** Deletes the current versions of many messages with batch writes; repeating it is harmless. */
    void deleteMessages(ChatRef chat, List<String> messageIds);

    /** Every idempotency record of the chat, expired or not. */
    List<IdempotencyRecord> listIdempotencyRecords(ChatRef chat);

    void deleteIdempotencyRecord(ChatRef chat, String key);
}
