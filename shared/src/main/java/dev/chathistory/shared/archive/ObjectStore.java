package dev.chathistory.shared.archive;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The bucket that holds archive chunks and exports. Keys are never chosen by a client. */
public interface ObjectStore {

    void put(String key, byte[] bytes, String contentType);

    /** Uploads a file, for objects too large to hold in memory. */
    void put(String key, java.nio.file.Path file, String contentType);

    Optional<byte[]> get(String key);

    /** Deleting a missing key is not an error. */
    void delete(String key);

    /** Every key under {@code prefix}. */
    List<String> list(String prefix);

    /** A URL that lets anyone holding it download the object until it expires. */
    String downloadUrl(String key, Duration validFor);
}
