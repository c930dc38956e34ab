package dev.chathistory.importer;

import com.github.f4b6a3.ulid.Ulid;
import java.time.Instant;

/**
 * Message (and attachment) ids for imported rows, derived from the row rather than drawn at
 * random, so that
 * <ul>
 *   <li>they are ULIDs like every other id: the 48-bit time part is the row's timestamp, so the
 *   imported history sorts by time and interleaves with messages appended through the API, which
 *   get the current time;</li>
 *   <li>rows with the same millisecond sort by their original id: the 80 bits after the time hold
 *   the legacy id (offset so negative ids sort below positive ones), then a 16-bit occurrence
 *   number that separates rows sharing one legacy id;</li>
 *   <li>importing the same row again, after a crash or in a second run, yields the same id, which
 *   is what makes an import resumable without duplicates.</li>
 * </ul>
 */
final class LegacyIds {

    static final int MAX_OCCURRENCE = 0xFFFF;
    private static final long MAX_ULID_TIME = (1L << 48) - 1;

    private LegacyIds() {
    }

    static String messageId(Instant timestamp, long legacyId, int occurrence) {
        long millis = timestamp.toEpochMilli();
        if (millis < 0 || millis > MAX_ULID_TIME) {
            throw new IllegalArgumentException("timestamp outside what a ULID can hold: " + timestamp);
        }
        if (occurrence < 0 || occurrence > MAX_OCCURRENCE) {
            throw new IllegalArgumentException("occurrence must be 0.." + MAX_OCCURRENCE);
        }
        long ordered = legacyId ^ Long.MIN_VALUE; // flips the sign bit: signed order becomes unsigned order
        long mostSignificant = (millis << 16) | (ordered >>> 48);
        long leastSignificant = (ordered << 16) | occurrence;
        return new Ulid(mostSignificant, leastSignificant).toString();
    }
}
