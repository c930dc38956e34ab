package dev.chathistory.shared.retry;

import dev.chathistory.shared.repository.WriteConflictException;
import java.time.Duration;
import java.util.function.Supplier;
import software.amazon.awssdk.retries.api.BackoffStrategy;

/**
 * Business-level retry of an operation that lost a transaction race ({@link
 * WriteConflictException}). AWS-call retries (throttling, 5xx, timeouts) stay with the SDK; this
 * only re-runs our read-decide-write step, with exponential backoff and full jitter so competing
 * writers spread out.
 */
public final class ConflictRetry {

    private final int maxAttempts;
    private final BackoffStrategy backoff;
    private final Sleeper sleeper;

    public ConflictRetry(int maxAttempts, Duration baseDelay, Duration maxDelay) {
        this(maxAttempts, BackoffStrategy.exponentialDelay(baseDelay, maxDelay), Thread::sleep);
    }

    ConflictRetry(int maxAttempts, BackoffStrategy backoff, Sleeper sleeper) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        this.maxAttempts = maxAttempts;
        this.backoff = backoff;
        this.sleeper = sleeper;
    }

    public static ConflictRetry defaults() {
        return new ConflictRetry(5, Duration.ofMillis(20), Duration.ofMillis(500));
    }

    public <T> T run(Supplier<T> operation) {
        for (int attempt = 1; ; attempt++) {
            try {
                return operation.get();
            } catch (WriteConflictException e) {
                if (attempt >= maxAttempts) {
                    throw e;
                }
                // The SDK numbers attempts from 1 and gives the first no delay; we are about to make attempt + 1.
                pause(backoff.computeDelay(attempt + 1));
            }
        }
    }

    private void pause(Duration delay) {
        try {
            sleeper.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while backing off", e);
        }
    }

    @FunctionalInterface
    interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }
}
