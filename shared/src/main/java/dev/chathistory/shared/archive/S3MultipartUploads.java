package dev.chathistory.shared.archive;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;

/** {@link MultipartUploads} on one S3 bucket. */
public final class S3MultipartUploads implements MultipartUploads {

    private final S3Client s3;
    private final String bucket;

    public S3MultipartUploads(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    @Override
    public String start(String key, String contentType) {
        return s3.createMultipartUpload(b -> b.bucket(bucket).key(key).contentType(contentType)).uploadId();
    }

    @Override
    public String uploadPart(String key, String uploadId, int partNumber, Path file) {
        return s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(partNumber),
                RequestBody.fromFile(file)).eTag();
    }

    @Override
    public void complete(String key, String uploadId, List<String> partETags) {
        List<CompletedPart> parts = new ArrayList<>(partETags.size());
        for (int i = 0; i < partETags.size(); i++) {
            parts.add(CompletedPart.builder().partNumber(i + 1).eTag(partETags.get(i)).build());
        }
        s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                .multipartUpload(u -> u.parts(parts)));
    }

    @Override
    public int abortAll(String prefix) {
        // Page by page through the client, not a paginator: a paginator's pages are fetched
        // outside the client's failure translation (StorageFailures).
        List<MultipartUpload> open = new ArrayList<>();
        String keyMarker = null;
        String uploadIdMarker = null;
        do {
            String key = keyMarker;
            String uploadId = uploadIdMarker;
            ListMultipartUploadsResponse page = s3.listMultipartUploads(b -> b.bucket(bucket).prefix(prefix)
                    .keyMarker(key).uploadIdMarker(uploadId));
            open.addAll(page.uploads());
            boolean more = Boolean.TRUE.equals(page.isTruncated());
            keyMarker = more ? page.nextKeyMarker() : null;
            uploadIdMarker = more ? page.nextUploadIdMarker() : null;
        } while (keyMarker != null);
        for (MultipartUpload upload : open) {
            try {
                s3.abortMultipartUpload(b -> b.bucket(bucket).key(upload.key()).uploadId(upload.uploadId()));
            } catch (NoSuchUploadException alreadyEnded) {
                // completed or aborted meanwhile
            }
        }
        return open.size();
    }
}
