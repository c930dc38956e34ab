package dev.chathistory.shared.repository;

import dev.chathistory.shared.model.Message;
import java.util.Optional;

/** The conditional write lost: the message moved to another version, or no longer exists. */
public final class StaleVersionException extends RuntimeException {

    private final transient Message current;

    public StaleVersionException(Message current) {
        super("message version changed", null, false, false);
        this.current = current;
    }

    /** The state that won, when the store returned it; empty if it was not returned. */
    public Optional<Message> current() {
        return Optional.ofNullable(current);
    }
}
