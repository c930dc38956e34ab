package dev.chathistory.client;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.StringJoiner;

/** Paths and query strings with every value percent-encoded. */
final class ApiPath {

    private final StringBuilder path = new StringBuilder();
    private final StringJoiner query = new StringJoiner("&", "?", "").setEmptyValue("");

    private ApiPath() {
    }

    /** Starts with literal segments such as {@code "v1", "chats"}. */
    static ApiPath of(String literal) {
        ApiPath apiPath = new ApiPath();
        apiPath.path.append('/').append(literal);
        return apiPath;
    }

    /** Appends a literal path segment (or several, slash-separated) as it is. */
    ApiPath then(String literal) {
        path.append('/').append(literal);
        return this;
    }

    /**
     * Appends an id as one path segment. Ids are plain ({@code [A-Za-z0-9._:-]}) today, but an
     * unexpected character must not turn into another path: {@code /} becomes {@code %2F}, and
     * a segment of only dots is encoded so it cannot mean "this" or "parent" directory.
     */
    ApiPath id(String name, String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
        String encoded = encode(value);
        if (encoded.chars().allMatch(c -> c == '.')) {
            encoded = encoded.replace(".", "%2E");
        }
        path.append('/').append(encoded);
        return this;
    }

    /** Adds a query parameter; {@code null} values are left out. */
    ApiPath query(String name, Object value) {
        if (value != null) {
            query.add(encode(name) + "=" + encode(String.valueOf(value)));
        }
        return this;
    }

    @Override
    public String toString() {
        return path + query.toString();
    }

    private static String encode(String value) {
        // URLEncoder encodes for forms: a space becomes '+', which in a path is a literal plus.
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
