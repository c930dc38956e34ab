package dev.chathistory.local.sources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chathistory.local.template.UnsupportedTemplateException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ScheduleEventSourceTest {

    private static final Instant NOW = Instant.parse("2026-11-28T10:17:30Z");

    private static Instant next(String expression) {
        return ScheduleEventSource.nextFireTime("t", expression, ZoneOffset.UTC, NOW).orElseThrow();
    }

    @Test
    void nextFireTime_shouldFollowRateExpressions() {
        assertThat(next("rate(1 minute)")).isEqualTo(NOW.plusSeconds(60));
        assertThat(next("rate(2 hours)")).isEqualTo(NOW.plusSeconds(7200));
        assertThat(next("rate(1 day)")).isEqualTo(NOW.plusSeconds(86400));
    }

    @Test
    void nextFireTime_shouldFollowSixFieldAwsCron() {
        assertThat(next("cron(0 12 * * ? *)")).isEqualTo(Instant.parse("2026-11-28T12:00:00Z"));
        assertThat(next("cron(15 10 * * ? *)")).isEqualTo(Instant.parse("2026-11-29T10:15:00Z"));
        // 2026-11-28 is a Saturday; MON-FRI skips to Monday.
        assertThat(next("cron(0 8 ? * MON-FRI *)")).isEqualTo(Instant.parse("2026-11-30T08:00:00Z"));
    }

    @Test
    void nextFireTime_shouldHonourTheScheduleTimezone() {
        Instant next = ScheduleEventSource.nextFireTime("t", "cron(0 12 * * ? *)", ZoneId.of("Europe/Berlin"), NOW)
                .orElseThrow();

        assertThat(next).isEqualTo(Instant.parse("2026-11-28T11:00:00Z"));
    }

    @Test
    void nextFireTime_shouldFireOneTimeSchedulesOnce() {
        assertThat(next("at(2026-11-28T11:00:00)")).isEqualTo(Instant.parse("2026-11-28T11:00:00Z"));
        assertThat(ScheduleEventSource.nextFireTime("t", "at(2026-11-28T09:00:00)", ZoneOffset.UTC, NOW)).isEmpty();
    }

    @Test
    void nextFireTime_shouldRejectWhatItCannotRead() {
        assertThatThrownBy(() -> next("every tuesday")).isInstanceOf(UnsupportedTemplateException.class)
                .hasMessageContaining("every tuesday");
    }
}
