package dev.chathistory.shared.error;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** A limit is used up until {@code retryAt}: answered as 429 with {@code Retry-After}. */
public final class TooManyRequestsException extends ApiException {

    private final long retryAfterSeconds;

    public TooManyRequestsException(ErrorCode code, String message, Instant now, Instant retryAt) {
        this(code, message, secondsBetween(now, retryAt));
    }

    private TooManyRequestsException(ErrorCode code, String message, long retryAfterSeconds) {
        super(code, message, Map.of("retryAfterSeconds", retryAfterSeconds));
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** Whole seconds, rounded up and at least one, so a client that waits them is not refused again. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    private static long secondsBetween(Instant now, Instant retryAt) {
        long millis = Duration.between(now, retryAt).toMillis();
        return Math.max(1, (millis + 999) / 1000);
    }
}
