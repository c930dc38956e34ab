package dev.chathistory.shared.archive;

/** An archive commit lost a race (an edit, an erase, or another run); retrying re-reads. */
public final class ArchiveConflictException extends RuntimeException {
    public ArchiveConflictException(String message, Throwable cause) {
        super(message, cause);
    }
}
