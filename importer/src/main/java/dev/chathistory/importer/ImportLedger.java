package dev.chathistory.importer;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What an import has done so far, kept in the target (the users table) rather than beside the
 * command, so a resumed run or a rollback finds it from any machine: the position of the last
 * chunk written completely, and every chat the import wrote to.
 */
interface ImportLedger {

    /** Where an import stands; {@code position} is the last source id whose chunk is fully written. */
    record State(String tenantId, String importId, String source, Status status, Long position, long messagesImported,
                 Instant startedAt, Instant updatedAt) {
    }

    enum Status {
        RUNNING, COMPLETE, ROLLED_BACK;

        String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    Optional<State> find(String tenantId, String importId);

    /** Records a new import unless one with this id exists; returns what is recorded. */
    State start(String tenantId, String importId, String source, Instant now);

    void checkpoint(String tenantId, String importId, long position, Instant now);

    void finish(String tenantId, String importId, Status status, long messagesImported, Instant now);

    /** Files a chat the import writes to; called before its first message there is written. */
    void addChat(String tenantId, String importId, String chatId);

    List<String> chats(String tenantId, String importId);

    void removeChat(String tenantId, String importId, String chatId);
}
