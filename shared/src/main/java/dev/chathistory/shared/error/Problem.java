package dev.chathistory.shared.error;

/**
 * What went wrong, in the domain's words: a rule a request broke or a resource that is not
 * there. The core knows nothing of HTTP; the API maps every problem to a status and a wire code
 * in one exhaustive switch, so adding a problem here fails its build until it is mapped.
 */
public enum Problem {
    /** Client input that is not a JSON document. */
    INVALID_JSON,
    /** A field missing, of the wrong type or out of its range. */
    VALIDATION_FAILED,
    /** A chat, user, message, job or attachment id outside the identifier rules. */
    INVALID_ID,
    /** A listing parameter (limit) out of range. */
    INVALID_PARAMETER,
    /** A cursor this service did not issue, or issued for another listing. */
    INVALID_CURSOR,
    INVALID_IDEMPOTENCY_KEY,
    TEXT_TOO_LONG,
    METADATA_TOO_LARGE,
    SETTINGS_TOO_LARGE,
    MESSAGE_NOT_FOUND,
    JOB_NOT_FOUND,
    ATTACHMENT_NOT_FOUND,
    MESSAGE_DELETED,
    /** The message lives in an archived chunk, which is read-only. */
    MESSAGE_ARCHIVED,
    TOO_MANY_ATTACHMENTS,
    /** An optimistic write named a version that is no longer current ({@link VersionConflictException}). */
    VERSION_CONFLICT,
    ATTACHMENT_TOO_LARGE,
    UNSUPPORTED_MEDIA_TYPE,
    /** An idempotency key sent again with a different request. */
    IDEMPOTENCY_KEY_REUSED,
    /** The tenant's request budget is used up ({@link LimitExceededException}). */
    RATE_LIMITED,
    /** The user's or tenant's job budget is used up ({@link LimitExceededException}). */
    JOB_QUOTA_EXCEEDED,
    /** A chat's retention asked for longer than its tenant's. */
    RETENTION_TOO_LONG,
    /** A deletion (an erase) refused because a legal hold is on what it would delete. */
    LEGAL_HOLD,
    /** A store or queue throttled, timed out or failed after the SDK's retries ({@link StorageUnavailableException}). */
    STORAGE_UNAVAILABLE
}
