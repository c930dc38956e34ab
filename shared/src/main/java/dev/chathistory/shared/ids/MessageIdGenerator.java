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
     */
    static MessageIdGenerator ulid() {
        return () -> UlidCreator.getMonotonicUlid().toString();
    }
}
