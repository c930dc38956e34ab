package dev.chathistory.importer;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Makes an instant of whatever a legacy timestamp column held: epoch seconds or milliseconds
 * (as numbers or digit strings), ISO-8601 text with or without a zone (without one it is UTC,
 * with a space or a {@code T} between date and time), or a database timestamp. Anything else, or
 * a time before 1970 or more than a day ahead, is not a timestamp. Precision is milliseconds,
 * like every stored time.
 */
final class TimestampParser {

    /** From here on a number is milliseconds: as seconds it would be the year 5138. */
    static final long MILLIS_THRESHOLD = 100_000_000_000L;
    private static final Pattern INTEGER = Pattern.compile("-?\\d{1,19}");
    private static final Pattern DECIMAL = Pattern.compile("-?\\d{1,15}\\.\\d{1,9}");

    private final Instant latestAccepted;

    TimestampParser(Instant now) {
        this.latestAccepted = now.plus(1, ChronoUnit.DAYS);
    }

    Optional<Instant> parse(Object value) {
        return toInstant(value)
                .map(i -> i.truncatedTo(ChronoUnit.MILLIS))
                .filter(i -> !i.isBefore(Instant.EPOCH) && !i.isAfter(latestAccepted));
    }

    private static Optional<Instant> toInstant(Object value) {
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof OffsetDateTime offset) {
            return Optional.of(offset.toInstant());
        }
        if (value instanceof LocalDateTime local) {
            return Optional.of(local.toInstant(ZoneOffset.UTC));
        }
        if (value instanceof Date date) {
            return Optional.of(date.toInstant());
        }
        if (value instanceof Double || value instanceof Float) {
            return fromEpoch(((Number) value).doubleValue());
        }
        if (value instanceof Number number) {
            return Optional.of(fromEpoch(number.longValue()));
        }
        return fromText(value.toString().trim());
    }

    private static Optional<Instant> fromText(String text) {
        if (INTEGER.matcher(text).matches()) {
            try {
                return Optional.of(fromEpoch(Long.parseLong(text)));
            } catch (NumberFormatException tooLong) {
                return Optional.empty();
            }
        }
        if (DECIMAL.matcher(text).matches()) {
            return fromEpoch(Double.parseDouble(text));
        }
        String iso = text.length() > 10 && text.charAt(10) == ' ' ? text.substring(0, 10) + 'T' + text.substring(11)
                : text;
        try {
            return Optional.of(OffsetDateTime.parse(iso).toInstant());
        } catch (DateTimeParseException notWithOffset) {
            try {
                return Optional.of(LocalDateTime.parse(iso).toInstant(ZoneOffset.UTC));
            } catch (DateTimeParseException notIso) {
                return Optional.empty();
            }
        }
    }

    private static Instant fromEpoch(long value) {
        return Math.abs(value) >= MILLIS_THRESHOLD ? Instant.ofEpochMilli(value) : Instant.ofEpochSecond(value);
    }

    private static Optional<Instant> fromEpoch(double value) {
        if (!Double.isFinite(value)) {
            return Optional.empty();
        }
        double millis = Math.abs(value) >= MILLIS_THRESHOLD ? value : value * 1000;
        return Optional.of(Instant.ofEpochMilli((long) Math.floor(millis)));
    }
}
