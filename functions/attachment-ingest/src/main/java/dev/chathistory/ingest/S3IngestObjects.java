package dev.chathistory.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** {@link IngestObjects} on the data bucket. */
public final class S3IngestObjects implements IngestObjects {

    /**
     * Images are private and their links die (ATTACHMENT_URL_TTL_SECONDS): no shared cache may
     * keep one, and a private cache must ask S3 before each reuse, which a dead link (or an
     * erased image) cannot pass. A long max-age, or "public", would let copies outlive both.
     */
    static final String PRIVATE_NO_REUSE_WITHOUT_S3 = "private, no-cache";
    private static final int PRECONDITION_FAILED = 412;
    private static final int CONDITIONAL_CONFLICT = 409;

    private final S3Client s3;
    private final String bucket;

    public S3IngestObjects(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    @Override
    public Optional<Download> download(String key, long maxBytes, Path directory)
            throws IOException, TooLargeException {
        Path file = Files.createTempFile(directory, "upload-", ".bin");
        boolean kept = false;
        try (InputStream object = s3.getObject(b -> b.bucket(bucket).key(key))) {
            MessageDigest sha256 = sha256();
            long size;
            try (InputStream in = new DigestInputStream(object, sha256);
                 OutputStream out = Files.newOutputStream(file)) {
                size = copyAtMost(in, out, maxBytes);
            }
            kept = true;
            return Optional.of(new Download(file, size, HexFormat.of().formatHex(sha256.digest())));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } finally {
            if (!kept) {
                Files.deleteIfExists(file);
            }
        }
    }

    @Override
    public void putImmutable(String key, Path file, String contentType) {
        put(key, contentType, RequestBody.fromFile(file));
    }

    @Override
    public void putImmutable(String key, byte[] bytes, String contentType) {
        put(key, contentType, RequestBody.fromBytes(bytes));
    }

    @Override
    public void delete(String key) {
        s3.deleteObject(b -> b.bucket(bucket).key(key));
    }

    private void put(String key, String contentType, RequestBody body) {
        PutObjectRequest request = PutObjectRequest.builder()
                .bucket(bucket)
                .key(key)
                .contentType(contentType)
                .cacheControl(PRIVATE_NO_REUSE_WITHOUT_S3)
                // Create-only: two ingestions of the same bytes keep the first object, and an
                // existing blob is never rewritten.
                .ifNoneMatch("*")
                .build();
        try {
            s3.putObject(request, body);
        } catch (S3Exception e) {
            if (e.statusCode() != PRECONDITION_FAILED && e.statusCode() != CONDITIONAL_CONFLICT) {
                throw e;
            }
        }
    }

    /** Copies up to {@code limit} bytes; reading one more means the object is too large. */
    private static long copyAtMost(InputStream in, OutputStream out, long limit)
            throws IOException, TooLargeException {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        int read;
        while ((read = in.read(buffer)) != -1) {
            total += read;
            if (total > limit) {
                throw new TooLargeException(limit);
            }
            out.write(buffer, 0, read);
        }
        return total;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
