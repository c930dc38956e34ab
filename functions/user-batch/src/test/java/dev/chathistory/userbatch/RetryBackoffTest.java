package dev.chathistory.userbatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryBackoffTest {

    @Test
    void after_shouldDoubleFromTheBase_whenJitterIsAtItsTop() {
        RetryBackoff backoff = new RetryBackoff(Duration.ofSeconds(30), Duration.ofSeconds(900), () -> 0.999999);

        assertThat(backoff.after(1)).isEqualTo(Duration.ofSeconds(30));
        assertThat(backoff.after(2)).isEqualTo(Duration.ofSeconds(60));
        assertThat(backoff.after(3)).isEqualTo(Duration.ofSeconds(120));
        assertThat(backoff.after(5)).isEqualTo(Duration.ofSeconds(480));
        assertThat(backoff.after(6)).isEqualTo(Duration.ofSeconds(900));
        assertThat(backoff.after(60)).isEqualTo(Duration.ofSeconds(900));
    }

    @Test
    void after_shouldNeverWaitLessThanHalf_whenJitterIsAtItsBottom() {
        RetryBackoff backoff = new RetryBackoff(Duration.ofSeconds(30), Duration.ofSeconds(900), () -> 0.0);

        assertThat(backoff.after(1)).isEqualTo(Duration.ofSeconds(15));
        assertThat(backoff.after(3)).isEqualTo(Duration.ofSeconds(60));
        assertThat(backoff.after(10)).isEqualTo(Duration.ofSeconds(450));
    }

    @Test
    void constructor_shouldRefuseWaitsSqsCannotHold() {
        assertThatThrownBy(() -> new RetryBackoff(Duration.ofSeconds(1), Duration.ofHours(13), () -> 0.5))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetryBackoff(Duration.ZERO, Duration.ofSeconds(10), () -> 0.5))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
