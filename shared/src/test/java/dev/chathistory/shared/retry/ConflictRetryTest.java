package dev.chathistory.shared.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chathistory.shared.repository.WriteConflictException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.retries.api.BackoffStrategy;

class ConflictRetryTest {

    private final List<Long> sleeps = new ArrayList<>();
    private final ConflictRetry retry = new ConflictRetry(3,
            BackoffStrategy.exponentialDelayWithoutJitter(Duration.ofMillis(10), Duration.ofMillis(100)),
            sleeps::add);

    @Test
    void run_shouldRetryConflicts_withGrowingDelays() {
        AtomicInteger calls = new AtomicInteger();

        String result = retry.run(() -> {
            if (calls.incrementAndGet() < 3) {
                throw new WriteConflictException("busy", null);
            }
            return "done";
        });

        assertThat(result).isEqualTo("done");
        assertThat(sleeps).containsExactly(10L, 20L);
    }

    @Test
    void run_shouldGiveUpAfterMaxAttempts() {
        AtomicInteger calls = new AtomicInteger();

        assertThatThrownBy(() -> retry.run(() -> {
            calls.incrementAndGet();
            throw new WriteConflictException("busy", null);
        })).isInstanceOf(WriteConflictException.class);
        assertThat(calls).hasValue(3);
    }

    @Test
    void run_shouldNotRetryOtherFailures() {
        AtomicInteger calls = new AtomicInteger();

        assertThatThrownBy(() -> retry.run(() -> {
            calls.incrementAndGet();
            throw new IllegalStateException("bug");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(calls).hasValue(1);
    }
}
