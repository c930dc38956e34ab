package dev.chathistory.ingest;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/** The bucket as ingestion sees it: uploads to read and remove, immutable objects to create. */
public interface IngestObjects {

    /** An upload copied to a local file, with what was learnt while copying it. */
    record Download(Path file, long size, String sha256) {
    }

    /** Thrown when an upload holds more bytes than allowed; nothing is kept. */
    final class TooLargeException extends Exception {
        public TooLargeException(long limit) {
            super("upload exceeds " + limit + " bytes");
        }
    }

    /**
     * Streams an upload into a file under {@code directory}, hashing it on the way and stopping
     * as soon as it passes {@code maxBytes}. Empty if the upload is gone (a duplicate event that
     * lost the race).
     */
    Optional<Download> download(String key, long maxBytes, Path directory) throws IOException, TooLargeException;

    /**
     * Creates an object that never changes (its key is its content hash), marked private and
     * never reusable without asking S3; if it already exists, leaves it alone.
     */
    void putImmutable(String key, Path file, String contentType);

    void putImmutable(String key, byte[] bytes, String contentType);

    /** Deleting a missing key is not an error. */
    void delete(String key);
}
