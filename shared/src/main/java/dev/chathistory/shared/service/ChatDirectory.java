package dev.chathistory.shared.service;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.chathistory.shared.model.ChatRef;
import dev.chathistory.shared.repository.UserRepository;
import dev.chathistory.shared.model.UserRef;
import java.time.Duration;
import java.time.Instant;

/**
 * Files each chat a user writes in under the user, before the first message lands, so export and
 * erase can find every message of a user by chat rather than by scanning the table. The entry is
 * written before the message: a failed append may leave an empty directory entry, never a message
 * no directory points to.
 *
 * <p>A container remembers which entries it has written, for a short time, so a busy chat costs
 * one extra write per container and interval rather than one per message. The interval is short
 * because an erase removes entries: a user who keeps writing after an erase is filed again within
 * that interval.
 */
public final class ChatDirectory {

    private static final long MAX_REMEMBERED = 100_000;

    private final UserRepository users;
    private final Cache<Entry, Boolean> written;

    public ChatDirectory(UserRepository users, Duration rememberFor) {
        this.users = users;
        this.written = Caffeine.newBuilder()
                .maximumSize(MAX_REMEMBERED)
                .expireAfterWrite(rememberFor)
                .build();
    }

    /** Throws if the entry cannot be written, so the append fails before storing anything. */
    public void userWroteIn(UserRef user, ChatRef chat, Instant at) {
        Entry entry = new Entry(user, chat.chatId());
        if (written.getIfPresent(entry) == null) {
            users.rememberChat(user, chat.chatId(), at);
            written.put(entry, Boolean.TRUE);
        }
    }

    /**
     * Files a chat an import writes to, marked with the import's id so a rollback removes only
     * what it filed; a chat the user already has filed is left as it is. The same rule as
     * {@link #userWroteIn}: before the message, and once per entry while remembered.
     */
    public void importWroteIn(UserRef user, String chatId, Instant firstSeenAt, String importId) {
        Entry entry = new Entry(user, chatId);
        if (written.getIfPresent(entry) == null) {
            users.fileImportedChat(user, chatId, firstSeenAt, importId);
            written.put(entry, Boolean.TRUE);
        }
    }

    private record Entry(UserRef user, String chatId) {
    }
}
