package dev.chathistory.shared.repository;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chathistory.shared.model.UserRef;
import dev.chathistory.shared.model.UserSettings;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Per-user state: settings (versioned), last activity and counters, and the directory of chats
 * each user has written in, which lets export, erase and recount find a user's messages
 * without scanning every chat.
 */
public interface UserRepository {

    /** The counters and activity kept on a user's profile. */
    record Activity(long messageCount, Optional<Instant> lastActiveAt) {
    }

    /** The stored settings, or an empty object at version 0 if none were ever written. */
    UserSettings findSettings(UserRef user);

    /**
     * Writes settings. With {@code expectedVersion} present the write only happens if the stored
     * version matches (0 = none stored yet); empty means unconditional.
     *
     * @throws StaleSettingsVersionException with the current version when the condition fails
     */
    UserSettings putSettings(UserRef user, ObjectNode settings, OptionalLong expectedVersion, Instant now);

    /**
     * Records that the user was active at {@code at} and wrote {@code newMessages} more messages,
     * and files the user under {@code activeShard} in the active-users index.
     */
    void recordActivity(UserRef user, Instant at, long newMessages, String activeShard);

    /** What the profile says about activity; empty if there is no profile. */
    Optional<Activity> findActivity(UserRef user);

    /**
     * Sets the counters to values recounted from the data. {@code lastActiveAt} only moves
     * forward, so a recount racing a fresh append never hides the user from the active index.
     */
    void setActivity(UserRef user, long messageCount, Instant lastActiveAt, String activeShard);

    /** Files {@code chatId} in the user's chat directory; repeating it changes nothing. */
    void rememberChat(UserRef user, String chatId, Instant at);

    /** Every chat in the user's directory, in chat id order. */
    List<String> listChats(UserRef user);

    void forgetChat(UserRef user, String chatId);

    // For imports: each of these writes or removes only what carries the import's id, so a
    // rollback never takes away what a bot wrote itself.

    /**
     * Files the chat for an import, marked with its id, unless the user already has it filed;
     * says whether it filed it.
     */
    boolean fileImportedChat(UserRef user, String chatId, Instant firstSeenAt, String importId);

    /** Removes a directory entry, only if that import filed it. */
    void forgetImportedChat(UserRef user, String chatId, String importId);

    /**
     * Creates a profile holding the imported counters, marked with the import's id, unless the
     * user has one; says whether it created it. It is not filed in the active-users index.
     */
    boolean createImportedProfile(UserRef user, long messageCount, Instant lastActiveAt, String importId);

    /**
     * Deletes a profile that import created, if no settings were written to it since; a profile
     * with settings only loses the mark.
     */
    void dropImportedProfile(UserRef user, String importId);

    /** Removes the profile: settings, counters and the active-users index entry. */
    void deleteProfile(UserRef user);

    /** Whether anything at all (profile, chat directory) is stored under the user's key. */
    boolean hasAnyData(UserRef user);
}
