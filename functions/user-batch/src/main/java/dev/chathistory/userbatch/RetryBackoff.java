package dev.chathistory.userbatch;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with jitter for failed job messages, applied by extending the message's
 * visibility: delivery n waits about base * 2^(n-1), capped, before the next try. "Equal jitter"
 * (half fixed, half random) keeps the growth visible while spreading retries of a failed batch.
 */
public final class RetryBackoff {

    /** SQS refuses visibility timeouts beyond twelve hours. */
    static final Duration SQS_MAX_VISIBILITY = Duration.ofHours(12);

    private final Duration base;
    private final Duration max;
    private final DoubleSupplier random;

    public RetryBackoff(Duration base, Duration max, DoubleSupplier random) {
        if (base.isNegative() || base.isZero() || max.compareTo(base) < 0 || max.compareTo(SQS_MAX_VISIBILITY) > 0) {
            throw new IllegalArgumentException("backoff needs 0 < base <= max <= 12 hours");
        }
        this.base = base;
        this.max = max;
        this.random = random;
    }

    /** The wait after delivery {@code receiveCount} failed (the first delivery is 1). */
    public Duration after(int receiveCount) {
        int doublings = Math.min(Math.max(receiveCount, 1) - 1, 30);
        long ceiling = Math.min(max.getSeconds(), base.getSeconds() << doublings);
        long half = ceiling / 2;
        long seconds = ceiling - half + (long) Math.floor(random.getAsDouble() * (half + 1));
        return Duration.ofSeconds(Math.min(Math.max(seconds, 1), ceiling));
    }
}
