package dev.chathistory.messageapi.http;

import java.util.Map;

/**
 * A refusal the HTTP layer itself makes (no route, a wrong method, a missing key, a body or a
 * header it cannot read), before any domain rule runs. The message is written for the caller
 * and never contains request data beyond names.
 */
public class ApiException extends RuntimeException {

    private final ErrorCode code;

    public ApiException(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }

    /** Response headers this refusal needs besides the error body. */
    public Map<String, String> headers() {
        return Map.of();
    }
}
