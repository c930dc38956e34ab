package dev.chathistory.shared.repository;

import dev.chathistory.shared.model.ChatRef;
import dev.chathistory.shared.model.IdempotencyRecord;
import dev.chathistory.shared.model.Message;
import dev.chathistory.shared.model.MessageVersion;
import dev.chathistory.shared.model.Page;
import dev.chathistory.shared.model.ReadConsistency;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Storage of messages, their superseded versions and append idempotency records. Each write is
 * one conditional single-item put or delete, ordered so that stopping between two of them leaves
 * nothing a reader sees half-done. Every read is strongly consistent, so a bot reads its own
 * writes, except a history page asked for with {@link ReadConsistency#EVENTUAL} (half the read
 * units).
 */
public interface MessageRepository {

    /** Stores a new message (version 1). */
    void insert(ChatRef chat, Message message);

    /**
     * Stores a new message (version 1) unless the chat already holds one with that id; says
     * whether it is stored, which it also is when the item found is exactly this one (a put whose
     * answer was lost, or an idempotent append completed by its retry). For imports, whose ids
     * come from the source row, a repeat of the same row finds its own message.
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
     * Claims an {@code Idempotency-Key} for the message the record names, before that message is
     * stored: one conditional put, so an append with a key costs two single-item writes rather
     * than a transaction (twice the write units). A record whose message never got stored (the
     * writer stopped between the two puts) is completed by the next attempt of the same request.
     *
     * @throws IdempotencyKeyTakenException if a live record already holds the key
     */
    void claimIdempotencyKey(ChatRef chat, IdempotencyRecord record, Instant now);

    Optional<IdempotencyRecord> findIdempotencyRecord(ChatRef chat, String key);

    Optional<Message> find(ChatRef chat, String messageId);

    /**
     * Newest first, in one request: up to {@code limit} hot messages after {@code resumeAfter} (a
     * message id from a previous page, exclusive; null for the newest), and where they run out,
     * the newest archive chunks in the same read. Hidden deleted messages still count towards
     * the read, so a page can hold fewer than {@code limit} items while more follow.
     */
    default HistoryPage listNewestFirst(ChatRef chat, int limit, String resumeAfter, boolean includeDeleted,
                                        ReadConsistency consistency) {
        return listNewestFirst(chat, limit, resumeAfter, null, includeDeleted, consistency);
    }

    /**
     * As above, from {@code upTo} (inclusive; null: the newest) when there is no {@code
     * resumeAfter}: a branch reads its parent's history up to the message it forked from. Where
     * the read reaches the bottom of the chat's range, the page says so, and gives the chat's
     * branch mark if it has one, found by the same request.
     */
    HistoryPage listNewestFirst(ChatRef chat, int limit, String resumeAfter, String upTo, boolean includeDeleted,
                                ReadConsistency consistency);

    /**
     * Replaces the current message with {@code next} if it is still at {@code expectedVersion},
     * after storing {@code superseded} as that version's snapshot (stamped to expire with
     * {@code next}). Two single-item writes, the
     * snapshot first: a writer stopping between them leaves a copy of the current version that
     * no listing shows ({@link #listVersionsNewestFirst} and {@link #listAllVersions} stop below
     * the current version) and that the next edit writes again, identically.
     *
     * @throws StaleVersionException with the current state if the version moved on or the
     *     message is gone
     */
    void replace(ChatRef chat, Message next, long expectedVersion, MessageVersion superseded);

    /**
     * Stamps every version snapshot of the message, then the message itself, to expire at
     * {@code expiresAt} (null: kept), for DynamoDB's TTL; the message only while it is still at
     * {@code version}, since an edit since then stamped it by the policy in force. The message's
     * stamp goes last, so a rerun after a crash that finds it stamped finds the snapshots stamped
     * too. Says whether the message was stamped.
     */
    boolean stampExpiry(ChatRef chat, String messageId, long version, Instant expiresAt);

    /** Superseded versions of one message, newest first, strictly below {@code belowVersion}. */
    Page<MessageVersion> listVersionsNewestFirst(ChatRef chat, String messageId, int limit, long belowVersion);

    // Bulk access for background jobs (archive, export, erase, recount). Each reads or deletes
    // within one chat's partition; none scans the table.

    /** Hot messages with ids below {@code belowMessageId}, oldest first, deleted ones included. */
    List<Message> listOldestFirst(ChatRef chat, String belowMessageId, int limit);

    /** Every superseded version of a message below {@code currentVersion}, newest first. */
    List<MessageVersion> listAllVersions(ChatRef chat, String messageId, long currentVersion);

    /** Visits every hot message of the chat (of one author, when {@code userId} is given), oldest first. */
    void forEachMessage(ChatRef chat, String userId, Consumer<Message> visitor);

    /**
     * Deletes every version snapshot of a message (a stray copy of the current version too) and
     * says how many there were; repeating it is harmless.
     */
    int deleteVersions(ChatRef chat, String messageId);

    /** Deletes the current version of a message; repeating it is harmless. */
    void deleteMessage(ChatRef chat, String messageId);

    /** Deletes the current versions of many messages with batch writes; repeating it is harmless. */
    void deleteMessages(ChatRef chat, List<String> messageIds);

    /** Every idempotency record of the chat, expired or not. */
    List<IdempotencyRecord> listIdempotencyRecords(ChatRef chat);

    void deleteIdempotencyRecord(ChatRef chat, String key);
}
