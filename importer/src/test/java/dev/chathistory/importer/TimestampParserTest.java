package dev.chathistory.importer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TimestampParserTest {

    private static final Instant AT = Instant.parse("2023-05-01T10:00:00Z");
    private final TimestampParser parser = new TimestampParser(Instant.parse("2026-11-28T00:00:00Z"));

    @Test
    void readsEveryFormatTheOldBotUsed() {
        assertThat(parser.parse(AT.getEpochSecond())).contains(AT);
        assertThat(parser.parse(AT.toEpochMilli())).contains(AT);
        assertThat(parser.parse(Long.toString(AT.getEpochSecond()))).contains(AT);
        assertThat(parser.parse(Long.toString(AT.toEpochMilli()))).contains(AT);
        assertThat(parser.parse(AT.getEpochSecond() + 0.25)).contains(AT.plusMillis(250));
        assertThat(parser.parse("2023-05-01T10:00:00Z")).contains(AT);
        assertThat(parser.parse("2023-05-01T13:00:00+03:00")).contains(AT);
        assertThat(parser.parse("2023-05-01 10:00:00")).contains(AT);
        assertThat(parser.parse(" 2023-05-01 10:00:00.000 ")).contains(AT);
        assertThat(parser.parse(LocalDateTime.of(2023, 5, 1, 10, 0))).contains(AT);
        assertThat(parser.parse(OffsetDateTime.of(2023, 5, 1, 12, 0, 0, 0, ZoneOffset.ofHours(2)))).contains(AT);
    }

    @Test
    void keepsMillisecondsOnly() {
        assertThat(parser.parse("2023-05-01T10:00:00.123456Z")).contains(AT.plusMillis(123));
    }

    @Test
    void refusesGarbageAndImpossibleTimes() {
        assertThat(parser.parse(null)).isEmpty();
        assertThat(parser.parse("yesterday")).isEmpty();
        assertThat(parser.parse("2023-13-45 25:61:00")).isEmpty();
        assertThat(parser.parse("1e400")).isEmpty();
        assertThat(parser.parse(Double.NaN)).isEmpty();
        assertThat(parser.parse(-5L)).isEmpty();
        assertThat(parser.parse("2031-01-01T00:00:00Z")).as("years ahead").isEqualTo(Optional.empty());
    }
}
