package dev.chathistory.shared.repository;

import dev.chathistory.shared.model.ChatRef;
import dev.chathistory.shared.model.IdempotencyRecord;
import dev.chathistory.shared.model.Message;
import dev.chathistory.shared.model.MessageVersion;
import dev.chathistory.shared.model.Page;
import java.time.Instant;
import java.util.Optional;

/**
 * Storage of messages, their superseded versions and append idempotency records. Every write is
 * all-or-nothing; every read is strongly consistent, so a bot always reads its own writes.
 */
public interface MessageRepository {

    /** Stores a new message (version 1). */
    void insert(ChatRef chat, Message message);

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
}
