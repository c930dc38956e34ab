package dev.chathistory.shared.repository;

/**
 * A transaction was cancelled because another transaction held the same item, not because a
 * condition failed. Safe and expected to retry.
 */
public final class WriteConflictException extends RuntimeException {
    public WriteConflictException(String message, Throwable cause) {
        super(message, cause);
    }
}
