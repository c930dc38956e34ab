package dev.chathistory.local.aws;

import dev.chathistory.local.sources.QueryStrings;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One AWS API request as it reached the gateway: method, raw path and query, headers (names
 * lower-cased) and the whole body.
 */
public record AwsCall(String method, String rawPath, String rawQuery, Map<String, List<String>> headers,
                      byte[] body) {

    public AwsCall {
        rawQuery = rawQuery == null ? "" : rawQuery;
        headers = Map.copyOf(headers);
    }

    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** Decoded query parameters; a name without a value maps to an empty string. */
    public Map<String, List<String>> query() {
        return QueryStrings.parse(rawQuery);
    }

    public Optional<String> queryParameter(String name) {
        List<String> values = query().get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    public boolean hasQueryParameter(String name) {
        return query().containsKey(name);
    }

    /** The JSON protocols' operation: {@code DynamoDB_20120810.GetItem} gives {@code GetItem}. */
    public Optional<String> targetOperation() {
        return header("x-amz-target").map(target -> target.substring(target.indexOf('.') + 1));
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
