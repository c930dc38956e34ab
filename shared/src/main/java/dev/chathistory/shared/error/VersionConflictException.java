package dev.chathistory.shared.error;

import java.util.Map;

/** An optimistic write named a stale version: carries the current one so the caller can re-read and retry. */
public final class VersionConflictException extends DomainException {

    private final long currentVersion;

    public VersionConflictException(String what, long expectedVersion, long currentVersion) {
        super(Problem.VERSION_CONFLICT, what + " is at version " + currentVersion + ", not " + expectedVersion,
                Map.of("currentVersion", currentVersion));
        this.currentVersion = currentVersion;
    }

    public long currentVersion() {
        return currentVersion;
    }
}
