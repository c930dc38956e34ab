package dev.chathistory.messageapi.http;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An API request, independent of the API Gateway event classes. Header names are lower-case;
 * {@code body} is the decoded bytes (empty when there is none); {@code authorizerContext} is
 * what the Lambda authorizer said of the caller (empty when nothing was authorized).
 */
public record HttpRequest(
        String method,
        String rawPath,
        Map<String, String> headers,
        Map<String, String> query,
        byte[] body,
        String requestId,
        Map<String, String> authorizerContext) {

    public HttpRequest {
        method = method == null ? "" : method.toUpperCase(Locale.ROOT);
        rawPath = rawPath == null ? "" : rawPath;
        headers = Map.copyOf(headers);
        query = Map.copyOf(query);
        body = body == null ? new byte[0] : body;
        requestId = requestId == null ? "" : requestId;
        authorizerContext = authorizerContext == null ? Map.of() : Map.copyOf(authorizerContext);
    }

    /** A request nobody has authorized. */
    public HttpRequest(String method, String rawPath, Map<String, String> headers, Map<String, String> query,
                       byte[] body, String requestId) {
        this(method, rawPath, headers, query, body, requestId, Map.of());
    }

    public Optional<String> header(String lowerCaseName) {
        return Optional.ofNullable(headers.get(lowerCaseName));
    }

    public Optional<String> queryParameter(String name) {
        return Optional.ofNullable(query.get(name));
    }
}
