package dev.chathistory.shared.model;

import java.time.Instant;

/**
 * Remembers which message an {@code Idempotency-Key} created, and a fingerprint of the request
 * that created it, until {@code expiresAt}.
 */
public record IdempotencyRecord(String key, String requestHash, String messageId, Instant createdAt,
                                Instant expiresAt) {

    public boolean isExpiredAt(Instant now) {
        return !expiresAt.isAfter(now);
    }
}
