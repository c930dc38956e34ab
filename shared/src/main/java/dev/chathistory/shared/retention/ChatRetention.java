package dev.chathistory.shared.retention;

/**
 * What a chat's own policy says: its retention in days (null: the tenant's applies) and whether a
 * legal hold suspends every deletion in it.
 */
public record ChatRetention(Integer days, boolean legalHold) {

    /** A chat nobody set a policy for. */
    public static final ChatRetention NONE = new ChatRetention(null, false);

    public ChatRetention {
        if (days != null && (days < 1 || days > RetentionPolicy.MAX_DAYS)) {
            throw new IllegalArgumentException("days out of range");
        }
    }
}
