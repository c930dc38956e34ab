package dev.chathistory.messageapi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chathistory.messageapi.http.ApiException;
import dev.chathistory.messageapi.http.ErrorCode;
import dev.chathistory.messageapi.http.HttpRequest;
import dev.chathistory.messageapi.http.HttpResponse;
import dev.chathistory.shared.error.DomainException;
import dev.chathistory.shared.error.LimitExceededException;
import dev.chathistory.shared.error.Problem;
import dev.chathistory.shared.error.StorageUnavailableException;
import dev.chathistory.shared.error.VersionConflictException;
import dev.chathistory.shared.json.Json;
import dev.chathistory.shared.repository.WriteConflictException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place failures become HTTP: a domain problem gets its status and wire code, the
 * HTTP layer's own refusals keep theirs, storage that is not answering is a 503 to retry, and
 * anything else a 500 that says nothing about its cause.
 */
final class ErrorResponses {

    private static final Logger LOG = LoggerFactory.getLogger(ErrorResponses.class);

    private ErrorResponses() {
    }

    static HttpResponse of(RuntimeException e, HttpRequest request) {
        if (e instanceof ApiException refusal) {
            return error(refusal.code(), refusal.getMessage(), Map.of(), refusal.headers(), request);
        }
        if (e instanceof StorageUnavailableException unavailable) {
            // DynamoDB, S3 (archived history) or SQS (jobs) throttled, failed or timed out after
            // the SDK's retries: names only, no request data.
            LOG.warn("{} unavailable after retries: {}", unavailable.service(), unavailable.failure());
            return error(ErrorCode.SERVICE_UNAVAILABLE, unavailable.getMessage(), Map.of(),
                    Map.of("Retry-After", "1"), request);
        }
        if (e instanceof DomainException refused) {
            return error(codeOf(refused.problem()), refused.getMessage(), refused.details(), headersOf(refused),
                    request);
        }
        if (e instanceof WriteConflictException) {
            LOG.warn("gave up after repeated transaction conflicts");
            return error(ErrorCode.SERVICE_UNAVAILABLE, "too many concurrent writes to this item; retry shortly",
                    Map.of(), Map.of("Retry-After", "1"), request);
        }
        LOG.error("unhandled error", e);
        return error(ErrorCode.INTERNAL_ERROR, "internal error", Map.of(), Map.of(), request);
    }

    /**
     * Every problem's wire code. A switch without a default: a problem added to the core fails
     * this module's build until it is given a status here.
     */
    static ErrorCode codeOf(Problem problem) {
        return switch (problem) {
            case INVALID_JSON -> ErrorCode.INVALID_JSON;
            case VALIDATION_FAILED -> ErrorCode.VALIDATION_FAILED;
            case INVALID_ID -> ErrorCode.INVALID_ID;
            case INVALID_PARAMETER -> ErrorCode.INVALID_PARAMETER;
            case INVALID_CURSOR -> ErrorCode.INVALID_CURSOR;
            case INVALID_IDEMPOTENCY_KEY -> ErrorCode.INVALID_IDEMPOTENCY_KEY;
            case TEXT_TOO_LONG -> ErrorCode.TEXT_TOO_LONG;
            case METADATA_TOO_LARGE -> ErrorCode.METADATA_TOO_LARGE;
            case SETTINGS_TOO_LARGE -> ErrorCode.SETTINGS_TOO_LARGE;
            case MESSAGE_NOT_FOUND -> ErrorCode.MESSAGE_NOT_FOUND;
            case JOB_NOT_FOUND -> ErrorCode.JOB_NOT_FOUND;
            case ATTACHMENT_NOT_FOUND -> ErrorCode.ATTACHMENT_NOT_FOUND;
            case MESSAGE_DELETED -> ErrorCode.MESSAGE_DELETED;
            case MESSAGE_ARCHIVED -> ErrorCode.MESSAGE_ARCHIVED;
            case TOO_MANY_ATTACHMENTS -> ErrorCode.TOO_MANY_ATTACHMENTS;
            case VERSION_CONFLICT -> ErrorCode.PRECONDITION_FAILED;
            case ATTACHMENT_TOO_LARGE -> ErrorCode.ATTACHMENT_TOO_LARGE;
            case UNSUPPORTED_MEDIA_TYPE -> ErrorCode.UNSUPPORTED_MEDIA_TYPE;
            case IDEMPOTENCY_KEY_REUSED -> ErrorCode.IDEMPOTENCY_KEY_REUSED;
            case RATE_LIMITED -> ErrorCode.RATE_LIMITED;
            case JOB_QUOTA_EXCEEDED -> ErrorCode.JOB_QUOTA_EXCEEDED;
            case RETENTION_TOO_LONG -> ErrorCode.RETENTION_TOO_LONG;
            case LEGAL_HOLD -> ErrorCode.LEGAL_HOLD;
            case STORAGE_UNAVAILABLE -> ErrorCode.SERVICE_UNAVAILABLE;
        };
    }

    private static Map<String, String> headersOf(DomainException refused) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (refused instanceof LimitExceededException limit) {
            headers.put("Retry-After", Long.toString(limit.retryAfterSeconds()));
        }
        if (refused instanceof VersionConflictException conflict) {
            // The current version as the ETag, as a read would give it: the caller re-reads or retries with it.
            headers.put("ETag", "\"" + conflict.currentVersion() + "\"");
        }
        return headers;
    }

    private static HttpResponse error(ErrorCode code, String message, Map<String, Object> details,
                                      Map<String, String> headers, HttpRequest request) {
        ObjectNode error = Json.object()
                .put("code", code.wireCode())
                .put("message", message)
                .put("requestId", request.requestId());
        details.forEach((key, value) -> error.set(key, Json.mapper().valueToTree(value)));
        ObjectNode body = Json.object();
        body.set("error", error);
        HttpResponse.Builder response = HttpResponse.status(code.httpStatus());
        headers.forEach(response::header);
        if (code == ErrorCode.UNAUTHORIZED) {
            response.header("WWW-Authenticate", "Bearer");
        }
        return response.json(Json.write(body));
    }
}
