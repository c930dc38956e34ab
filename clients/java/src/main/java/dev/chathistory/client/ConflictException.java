package dev.chathistory.client;

import java.util.OptionalLong;

/**
 * {@code 412 precondition_failed}: the message or settings changed since the version you
 * passed. Read them again (or use {@link #currentVersion()}), decide, and retry with the
 * current version. Never retried automatically: only the caller knows whether its change
 * still applies.
 */
public class ConflictException extends ChatHistoryException {

    private final Long currentVersion;

    public ConflictException(String code, String errorMessage, String requestId, Long currentVersion) {
        super(412, code, errorMessage, requestId, null);
        this.currentVersion = currentVersion;
    }

    /** The version the item is at now, from the error body or the {@code ETag}; empty if neither said. */
    public OptionalLong currentVersion() {
        return currentVersion == null ? OptionalLong.empty() : OptionalLong.of(currentVersion);
    }
}
