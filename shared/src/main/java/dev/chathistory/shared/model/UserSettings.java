package dev.chathistory.shared.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * A user's free-form settings object. Version 0 means "never written": reads of an unknown
 * user return an empty object at version 0, so a client can create with {@code If-Match: "0"}.
 */
public record UserSettings(String userId, ObjectNode settings, long version, Instant updatedAt) {

    public static UserSettings empty(String userId, ObjectNode emptyObject) {
        return new UserSettings(userId, emptyObject, 0, null);
    }
}
