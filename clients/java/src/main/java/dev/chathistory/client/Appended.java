package dev.chathistory.client;

/**
 * The answer to an append.
 *
 * @param replayed true when the service had already stored a message under this idempotency
 *                 key and returned it instead of storing a second one (header
 *                 {@code Idempotent-Replayed: true}); expected after a retry whose first
 *                 attempt did arrive
 * @param idempotencyKey the key the append was sent with, generated or the caller's
 */
public record Appended(Message message, boolean replayed, String idempotencyKey) {
}
