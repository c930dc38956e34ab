package dev.chathistory.local;

/** Something on this machine stops the local stack; the message says what and how to fix it. */
public final class EnvironmentException extends RuntimeException {
    public EnvironmentException(String message) {
        super(message);
    }
}
