package dev.chathistory.shared.error;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** A budget is used up until a known instant; the caller may try again after {@link #retryAfterSeconds}. */
public final class LimitExceededException extends DomainException {

    private final long retryAfterSeconds;

    public LimitExceededException(Problem problem, String message, Instant now, Instant retryAt) {
        this(problem, message, secondsBetween(now, retryAt));
    }

    private LimitExceededException(Problem problem, String message, long retryAfterSeconds) {
        super(problem, message, Map.of("retryAfterSeconds", retryAfterSeconds));
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** Whole seconds, rounded up and at least one, so a caller that waits them is not refused again. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    private static long secondsBetween(Instant now, Instant retryAt) {
        long millis = Duration.between(now, retryAt).toMillis();
        return Math.max(1, (millis + 999) / 1000);
    }
}
