package dev.chathistory.shared.attachments;

import java.time.Duration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** {@link AttachmentStorage} on the data bucket. */
public final class S3AttachmentStorage implements AttachmentStorage {

    private final S3Presigner presigner;
    private final String bucket;

    public S3AttachmentStorage(S3Presigner presigner, String bucket) {
        this.presigner = presigner;
        this.bucket = bucket;
    }

    @Override
    public String uploadUrl(String key, String contentType, long contentLength, Duration validFor) {
        return presigner.presignPutObject(b -> b.signatureDuration(validFor)
                .putObjectRequest(put -> put.bucket(bucket).key(key)
                        .contentType(contentType)
                        .contentLength(contentLength)))
                .url().toString();
    }

    @Override
    public String downloadUrl(String key, Duration validFor) {
        return presigner.presignGetObject(b -> b.signatureDuration(validFor)
                .getObjectRequest(get -> get.bucket(bucket).key(key))).url().toString();
    }
}
