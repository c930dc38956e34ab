package dev.chathistory.shared.error;

import java.util.Map;

/** A stale {@code If-Match}: carries the current version so the client can re-read and retry. */
public final class PreconditionFailedException extends ApiException {

    private final long currentVersion;

    public PreconditionFailedException(String what, long expectedVersion, long currentVersion) {
        super(ErrorCode.PRECONDITION_FAILED,
                what + " is at version " + currentVersion + ", not " + expectedVersion,
                Map.of("currentVersion", currentVersion));
        this.currentVersion = currentVersion;
    }

    public long currentVersion() {
        return currentVersion;
    }
}
