package dev.chathistory.shared.jobs;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The background jobs a user can have run; the wire name is the lower-case constant name. */
public enum JobType {
    /** Moves a user's chat messages older than their {@code archiveAfterDays} to compressed objects in S3. */
    ARCHIVE,
    /** Writes all of a user's data to one compressed JSON Lines object with a download link. */
    EXPORT,
    /** Removes everything stored about a user, then reads back to prove nothing is left. */
    ERASE,
    /** Rebuilds a user's message count and activity entry from the stored messages. */
    RECOUNT,
    /**
     * Applies the retention policy in force to what is stored: deletes what is past it, stamps
     * the rest with its expiry. For one chat (a policy change) or a user's messages (a hold).
     */
    RETENTION;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<JobType> fromWireName(String value) {
        return Arrays.stream(values()).filter(t -> t.wireName().equals(value)).findFirst();
    }
}
