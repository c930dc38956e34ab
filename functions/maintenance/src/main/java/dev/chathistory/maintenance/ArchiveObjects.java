package dev.chathistory.maintenance;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The objects under one prefix of the data bucket: the chunks under {@code archive/}, as the
 * orphan sweep sees them, or the exports under {@code exports/}, as the retention sweep does.
 */
public interface ArchiveObjects {

    /** A stored object and when it was last written. */
    record StoredObject(String key, Instant lastModified) {
    }

    /** Up to a page of objects in key order; {@code more} says whether keys follow the last one. */
    record Page(List<StoredObject> objects, boolean more) {
    }

    /** Objects with keys after {@code startAfter} (from the first when null), in key order. */
    Page listAfter(String startAfter, int limit);

    /** When the object was last written, read now; empty if it is gone. */
    Optional<Instant> lastModified(String key);

    /** Deleting a missing key is not an error. */
    void delete(String key);
}
