package dev.chathistory.client;

import java.time.Duration;
import java.util.Objects;

/**
 * How often and how patiently the client retries; see {@link ChatHistoryClient} for which
 * failures it retries at all.
 *
 * @param maxAttempts attempts in all, the first included; 1 turns retries off
 * @param baseDelay the backoff ceiling before the first retry; it doubles with every retry
 * @param maxDelay the largest backoff ceiling
 * @param maxRetryAfter the longest the client waits when the service says {@code Retry-After}
 */
public record RetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay, Duration maxRetryAfter) {

    /** 4 attempts, backoff from 100 ms up to 5 s, {@code Retry-After} honoured up to 5 s. */
    public static final RetryPolicy DEFAULT =
            new RetryPolicy(4, Duration.ofMillis(100), Duration.ofSeconds(5), Duration.ofSeconds(5));

    /** One attempt only. */
    public static final RetryPolicy NONE = DEFAULT.withMaxAttempts(1);

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        requireNotNegative(Objects.requireNonNull(baseDelay, "baseDelay"), "baseDelay");
        requireNotNegative(Objects.requireNonNull(maxDelay, "maxDelay"), "maxDelay");
        requireNotNegative(Objects.requireNonNull(maxRetryAfter, "maxRetryAfter"), "maxRetryAfter");
    }

    public RetryPolicy withMaxAttempts(int attempts) {
        return new RetryPolicy(attempts, baseDelay, maxDelay, maxRetryAfter);
    }

    /**
     * The ceiling of the random wait before retry number {@code retry} (1 for the first):
     * {@code min(maxDelay, baseDelay * 2^(retry-1))}.
     */
    Duration backoffCeiling(int retry) {
        // Past 2^30 the product is beyond any sensible cap anyway; stop before it overflows.
        int doublings = Math.min(retry - 1, 30);
        long millis = baseDelay.toMillis();
        long ceiling = millis > (Long.MAX_VALUE >> doublings) ? Long.MAX_VALUE : millis << doublings;
        return Duration.ofMillis(Math.min(ceiling, maxDelay.toMillis()));
    }

    private static void requireNotNegative(Duration duration, String name) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative");
        }
    }
}
