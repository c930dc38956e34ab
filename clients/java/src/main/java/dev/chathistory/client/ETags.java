package dev.chathistory.client;

import java.util.Optional;

/** Versions in {@code ETag} and {@code If-Match}: the service uses the version number as a strong ETag. */
final class ETags {

    private ETags() {
    }

    /** {@code "3"}, {@code W/"3"} or {@code 3} as 3; anything else (such as {@code *}) as empty. */
    static Optional<Long> parse(String etag) {
        String value = etag.strip();
        if (value.startsWith("W/")) {
            value = value.substring(2);
        }
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            value = value.substring(1, value.length() - 1);
        }
        if (!value.matches("\\d{1,18}")) {
            return Optional.empty();
        }
        return Optional.of(Long.parseLong(value));
    }

    static String of(long version) {
        return "\"" + version + "\"";
    }
}
