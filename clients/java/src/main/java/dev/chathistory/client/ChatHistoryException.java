package dev.chathistory.client;

/**
 * A request that did not succeed: the service answered with an error status, or did not
 * answer at all after the retries the {@link RetryPolicy} allows.
 *
 * <p>Unchecked, so it can also come out of the iterators of {@link ChatHistoryClient#history}
 * and {@link ChatHistoryClient#versionsOf}. It never contains the API key.
 */
public class ChatHistoryException extends RuntimeException {

    /** {@link #code()} when no HTTP response arrived (connection failed, timed out, interrupted). */
    public static final String NO_RESPONSE = "no_response";
    /** {@link #code()} when a 2xx response could not be understood. */
    public static final String INVALID_RESPONSE = "invalid_response";

    private final int status;
    private final String code;
    private final String errorMessage;
    private final String requestId;

    public ChatHistoryException(int status, String code, String errorMessage, String requestId, Throwable cause) {
        super(describe(status, code, errorMessage, requestId), cause);
        this.status = status;
        this.code = code;
        this.errorMessage = errorMessage;
        this.requestId = requestId;
    }

    /** The HTTP status, or 0 when no response arrived. */
    public int status() {
        return status;
    }

    /**
     * The machine-readable error code from {@code {"error":{"code":..}}}, such as
     * {@code message_not_found}; {@code unauthorized} also for API Gateway's own 401 (no key)
     * and 403 (a key the authorizer denied); {@link #NO_RESPONSE} or {@link #INVALID_RESPONSE}
     * for failures on this side; {@code null} when the response carried no code (a proxy's error page, or storage refusing an upload).
     */
    public String code() {
        return code;
    }

    /** The human-readable message the service gave, without status or code. */
    public String errorMessage() {
        return errorMessage;
    }

    /** The service's request id, for support; {@code null} if none was given. */
    public String requestId() {
        return requestId;
    }

    private static String describe(int status, String code, String message, String requestId) {
        StringBuilder text = new StringBuilder();
        text.append(status == 0 ? "no response" : "HTTP " + status);
        if (code != null) {
            text.append(' ').append(code);
        }
        if (message != null && !message.isEmpty()) {
            text.append(": ").append(message);
        }
        if (requestId != null) {
            text.append(" (requestId ").append(requestId).append(')');
        }
        return text.toString();
    }
}
