package dev.chathistory.shared.repository;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chathistory.shared.model.UserRef;
import dev.chathistory.shared.model.UserSettings;
import java.time.Instant;
import java.util.OptionalLong;

/** Per-user state: settings (versioned), last activity and counters. */
public interface UserRepository {

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
}
