package dev.chathistory.shared.error;

import java.util.Map;

/**
 * DynamoDB, S3 or SQS throttled the call, timed out or failed on its side, after the SDK's own
 * retries. Every AWS client the factory builds turns such failures into this one exception
 * ({@code StorageFailures}), so no caller has to know the SDK's many exception types, and a
 * condition failure or a missing object still arrives as the SDK's own, specific exception.
 * Retrying later is expected to succeed.
 */
public final class StorageUnavailableException extends DomainException {

    private final String service;
    private final String failure;

    public StorageUnavailableException(String service, String failure, Throwable cause) {
        super(Problem.STORAGE_UNAVAILABLE, "storage is busy; retry shortly", Map.of(), cause);
        this.service = service;
        this.failure = failure;
    }

    /** The AWS service that failed, such as {@code DynamoDb}; for logs and metrics. */
    public String service() {
        return service;
    }

    /** What failed, as the SDK names it (an error code or exception class); never request data. */
    public String failure() {
        return failure;
    }
}
