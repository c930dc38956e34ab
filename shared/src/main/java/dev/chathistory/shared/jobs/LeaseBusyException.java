package dev.chathistory.shared.jobs;

import java.time.Instant;

/** Another job holds the lease this job needs; it can try again once {@link #busyUntil()} has passed. */
public final class LeaseBusyException extends RuntimeException {

    private final transient Instant busyUntil;

    public LeaseBusyException(Instant busyUntil) {
        super("another job holds the lease until " + busyUntil, null, false, false);
        this.busyUntil = busyUntil;
    }

    public Instant busyUntil() {
        return busyUntil;
    }
}
