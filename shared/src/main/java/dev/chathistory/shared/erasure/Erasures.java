package dev.chathistory.shared.erasure;

import dev.chathistory.shared.model.UserRef;
import java.time.Instant;
import java.util.Optional;

/**
 * Tombstones of erased users. An erase records, before it deletes anything, that everything the
 * user stored up to its cutoff is to be gone. Whatever could bring such data back reads it:
 * an export submitted before the cutoff does not run, an import skips the user's legacy rows.
 * The tombstone holds only the ids and instants, never content.
 */
public interface Erasures {

    /** Records an erase of everything the user stored up to {@code cutoff}; a later cutoff wins. */
    void record(UserRef user, Instant cutoff, String jobId);

    /** The latest erase cutoff recorded for the user, if the user was ever erased. */
    Optional<Instant> erasedUpTo(UserRef user);
}
