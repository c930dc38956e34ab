package dev.chathistory.maintenance;

import dev.chathistory.shared.archive.ChatArchiver;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * {@link ArchiveObjects} on the data bucket. Listing resumes from a key ({@code StartAfter})
 * rather than a continuation token, so a position saved in one invocation means the same in the
 * next, whatever was written in between.
 */
public final class S3ArchiveObjects implements ArchiveObjects {

    private final S3Client s3;
    private final String bucket;
    private final String prefix;

    public S3ArchiveObjects(S3Client s3, String bucket) {
        this(s3, bucket, ChatArchiver.OBJECT_PREFIX);
    }

    /** The objects under another prefix of the bucket: the retention sweep lists exports this way. */
    public S3ArchiveObjects(S3Client s3, String bucket, String prefix) {
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix;
    }

    @Override
    public Page listAfter(String startAfter, int limit) {
        ListObjectsV2Response page = s3.listObjectsV2(b -> b.bucket(bucket).prefix(prefix)
                .startAfter(startAfter).maxKeys(limit));
        List<StoredObject> objects = page.contents().stream()
                .map(o -> new StoredObject(o.key(), o.lastModified()))
                .toList();
        return new Page(objects, Boolean.TRUE.equals(page.isTruncated()));
    }

    @Override
    public Optional<Instant> lastModified(String key) {
        try {
            return Optional.of(s3.headObject(b -> b.bucket(bucket).key(key)).lastModified());
        } catch (NoSuchKeyException gone) {
            return Optional.empty();
        }
    }

    @Override
    public void delete(String key) {
        s3.deleteObject(b -> b.bucket(bucket).key(key));
    }
}
