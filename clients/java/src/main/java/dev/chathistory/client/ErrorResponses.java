package dev.chathistory.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns failed exchanges into {@link ChatHistoryException}s. Every text that goes into one
 * passes {@link #redact}, so the API key cannot leak into logs through an exception, even if
 * a proxy echoed the request headers back.
 */
final class ErrorResponses {

    private static final int MAX_QUOTED_BODY = 200;
    private static final Pattern XML_CODE = Pattern.compile("<Code>([^<]{1,100})</Code>");
    private static final Pattern XML_MESSAGE = Pattern.compile("<Message>([^<]{1,300})</Message>");

    private final String secret;

    ErrorResponses(String secret) {
        this.secret = secret;
    }

    ChatHistoryException from(HttpResponse<byte[]> response) {
        int status = response.statusCode();
        HttpHeaders headers = response.headers();
        String text = new String(response.body(), StandardCharsets.UTF_8);
        JsonNode body = JsonMapping.parseOrNull(text);
        String code;
        String message;
        String requestId = null;
        Long currentVersion = null;
        if (body != null && body.path("error").isObject()) {
            // The service's own format: {"error":{"code","message","requestId",...details}}.
            JsonNode error = body.path("error");
            code = textOrNull(error.path("code"));
            message = textOrNull(error.path("message"));
            requestId = textOrNull(error.path("requestId"));
            if (error.path("currentVersion").canConvertToLong()) {
                currentVersion = error.path("currentVersion").longValue();
            }
        } else if (body != null && body.path("message").isTextual()) {
            // API Gateway's own answers: {"message":"Unauthorized"} without a key, and
            // {"message":"Forbidden"} when the authorizer denied the key. Either way the key is wrong.
            message = body.path("message").textValue();
            code = status == 401 || status == 403 ? "unauthorized" : null;
        } else {
            // Not JSON: storage refusing an upload (XML), or a proxy's error page.
            code = firstGroup(XML_CODE, text);
            String xmlMessage = firstGroup(XML_MESSAGE, text);
            message = xmlMessage != null ? xmlMessage : abbreviate(text.strip());
        }
        if (requestId == null) {
            requestId = headers.firstValue("apigw-requestid")
                    .or(() -> headers.firstValue("x-amz-request-id")).orElse(null);
        }
        if (status == 412) {
            if (currentVersion == null) {
                currentVersion = headers.firstValue("ETag").flatMap(ETags::parse).orElse(null);
            }
            return new ConflictException(redact(code), redact(message), redact(requestId), currentVersion);
        }
        return new ChatHistoryException(status, redact(code), redact(message), redact(requestId), null);
    }

    ChatHistoryException noResponse(IOException failure) {
        String detail = failure.getMessage() == null ? "" : ": " + failure.getMessage();
        return new ChatHistoryException(0, ChatHistoryException.NO_RESPONSE,
                redact(failure.getClass().getSimpleName() + detail), null, failure);
    }

    ChatHistoryException interrupted(InterruptedException interruption) {
        return new ChatHistoryException(0, ChatHistoryException.NO_RESPONSE, "interrupted", null, interruption);
    }

    ChatHistoryException invalidResponse(HttpResponse<byte[]> response, String problem, Throwable cause) {
        return new ChatHistoryException(response.statusCode(), ChatHistoryException.INVALID_RESPONSE,
                redact(problem), response.headers().firstValue("apigw-requestid").orElse(null), cause);
    }

    String redact(String text) {
        if (text == null || secret == null || secret.isEmpty()) {
            return text;
        }
        return text.replace(secret, "[redacted]");
    }

    private static String textOrNull(JsonNode node) {
        return node.isTextual() ? node.textValue() : null;
    }

    private static String firstGroup(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        return matcher.find() ? matcher.group(1) : null;
    }

    private static String abbreviate(String text) {
        if (text.isEmpty()) {
            return null;
        }
        return text.length() <= MAX_QUOTED_BODY ? text : text.substring(0, MAX_QUOTED_BODY) + "...";
    }
}
