package dev.chathistory.shared.archive;

import java.nio.file.Path;
import java.util.List;

/**
 * Objects uploaded in parts, possibly across several invocations: an export too large for one
 * writes a part at a time and completes the object at the end. Parts but the last must be at
 * least {@link #MIN_PART_BYTES}; unfinished uploads are aborted by erase and by the bucket's
 * lifecycle rule.
 */
public interface MultipartUploads {

    /** S3's smallest part, except for the last one. */
    long MIN_PART_BYTES = 5L * 1024 * 1024;

    /** Starts an upload to {@code key}; returns its id. */
    String start(String key, String contentType);

    /** Uploads part {@code partNumber} (from 1) from a file; returns its ETag. */
    String uploadPart(String key, String uploadId, int partNumber, Path file);

    /** Makes the object from the parts, whose ETags are given in part-number order from 1. */
    void complete(String key, String uploadId, List<String> partETags);

    /** Aborts every unfinished upload under {@code prefix}; returns how many. */
    int abortAll(String prefix);
}
