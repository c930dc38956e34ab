package dev.chathistory.shared.ids;

import com.github.f4b6a3.ulid.UlidCreator;

/**
 * Produces message ids whose lexical order is their creation order, so a reverse Query on the
 * sort key is the newest-first history.
 */
@FunctionalInterface
public interface MessageIdGenerator {

    String nextId();

    /**
     * Monotonic ULIDs: 48 bits of milliseconds then 80 random bits, incremented within the same
     * millisecond so two ids made by one container in one millisecond still sort in order.
     * The random bits come from {@code SecureRandom}, which the Lambda Java runtime re-seeds
     * after a SnapStart restore, so restored containers do not share a sequence; and inserts
     * are conditional, so even a collision could never overwrite a message.
     */
    static MessageIdGenerator ulid() {
        return () -> UlidCreator.getMonotonicUlid().toString();
    }
}
