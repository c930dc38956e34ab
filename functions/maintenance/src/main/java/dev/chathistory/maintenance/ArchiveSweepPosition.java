package dev.chathistory.maintenance;

import java.util.Optional;

/**
 * Where the orphaned-chunk sweep stopped: the last object key it looked at. The next run lists
 * from the key after it, so a bucket too large for one invocation is covered over several.
 */
public interface ArchiveSweepPosition {

    /** The key to continue after; empty to start from the first. */
    Optional<String> read();

    /** Saves the key to continue after; null when the listing reached the end, to start over. */
    void save(String startAfter);
}
