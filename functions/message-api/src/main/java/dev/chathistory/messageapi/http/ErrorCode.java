package dev.chathistory.messageapi.http;

/**
 * Every error a client can see, with its HTTP status and the stable machine-readable code
 * that goes into {@code {"error":{"code":..}}}. Codes are part of the API contract (openapi.yaml
 * lists the same): add new ones, never rename. The core's problems reach the wire through
 * {@code ErrorResponses}; the HTTP-only ones (routing, authentication, headers) are raised here.
 */
public enum ErrorCode {
    INVALID_JSON(400, "invalid_json"),
    VALIDATION_FAILED(400, "validation_failed"),
    INVALID_ID(400, "invalid_id"),
    INVALID_PARAMETER(400, "invalid_parameter"),
    INVALID_CURSOR(400, "invalid_cursor"),
    INVALID_IF_MATCH(400, "invalid_if_match"),
    INVALID_IDEMPOTENCY_KEY(400, "invalid_idempotency_key"),
    TEXT_TOO_LONG(400, "text_too_long"),
    METADATA_TOO_LARGE(400, "metadata_too_large"),
    SETTINGS_TOO_LARGE(400, "settings_too_large"),
    RETENTION_TOO_LONG(400, "retention_too_long"),
    UNAUTHORIZED(401, "unauthorized"),
    ROUTE_NOT_FOUND(404, "route_not_found"),
    MESSAGE_NOT_FOUND(404, "message_not_found"),
    JOB_NOT_FOUND(404, "job_not_found"),
    ATTACHMENT_NOT_FOUND(404, "attachment_not_found"),
    METHOD_NOT_ALLOWED(405, "method_not_allowed"),
    MESSAGE_DELETED(409, "message_deleted"),
    MESSAGE_ARCHIVED(409, "message_archived"),
    TOO_MANY_ATTACHMENTS(409, "too_many_attachments"),
    LEGAL_HOLD(409, "legal_hold"),
    PRECONDITION_FAILED(412, "precondition_failed"),
    PAYLOAD_TOO_LARGE(413, "payload_too_large"),
    ATTACHMENT_TOO_LARGE(413, "attachment_too_large"),
    UNSUPPORTED_MEDIA_TYPE(415, "unsupported_media_type"),
    IDEMPOTENCY_KEY_REUSED(422, "idempotency_key_reused"),
    PRECONDITION_REQUIRED(428, "precondition_required"),
    RATE_LIMITED(429, "rate_limited"),
    JOB_QUOTA_EXCEEDED(429, "job_quota_exceeded"),
    INTERNAL_ERROR(500, "internal_error"),
    SERVICE_UNAVAILABLE(503, "service_unavailable");

    private final int httpStatus;
    private final String wireCode;

    ErrorCode(int httpStatus, String wireCode) {
        this.httpStatus = httpStatus;
        this.wireCode = wireCode;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public String wireCode() {
        return wireCode;
    }
}
