package dev.chathistory.shared.repository;

import dev.chathistory.shared.model.IdempotencyRecord;
import java.util.Optional;

/** A live idempotency record already holds the key; carries it when the store returned it. */
public final class IdempotencyKeyTakenException extends RuntimeException {

    private final transient IdempotencyRecord existing;

    public IdempotencyKeyTakenException(IdempotencyRecord existing) {
        super("idempotency key already used", null, false, false);
        this.existing = existing;
    }

    public Optional<IdempotencyRecord> existing() {
        return Optional.ofNullable(existing);
    }
}
