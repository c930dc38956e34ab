package dev.chathistory.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chathistory.shared.attachments.Blob;
import dev.chathistory.shared.attachments.BlobId;
import dev.chathistory.shared.attachments.ImageType;
import dev.chathistory.shared.repository.dynamodb.DynamoDbAttachmentRepository;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The scheduled sweep of images nobody refers to, as the maintenance function runs it (its
 * role, its calls through the local IAM check): past the grace period a blob's record, image
 * and thumbnail go; within it, they stay.
 */
class MaintenanceBlobSweepIT {

    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    private MaintenanceStack stack;

    @AfterEach
    void close() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void sweep_shouldDeleteBlobsUnreferencedForTheGracePeriod_andKeepYoungerOnes() throws Exception {
        stack = new MaintenanceStack(NOW, 2, Duration.ofHours(1));
        DynamoDbAttachmentRepository blobs = new DynamoDbAttachmentRepository(stack.dynamoDb,
                stack.service.messagesTable());
        BlobId old = storedBlob(blobs, "t1", randomHash(), NOW.minus(MaintenanceStack.BLOB_GRACE).minusSeconds(3600));
        BlobId young = storedBlob(blobs, "t1", randomHash(), NOW.minus(Duration.ofHours(1)));

        stack.sweep();

        assertThat(blobs.findBlob(old)).as("the old blob's record").isEmpty();
        assertThatThrownBy(() -> object(old.objectKey())).isInstanceOf(NoSuchKeyException.class);
        assertThatThrownBy(() -> object(old.thumbnailKey())).isInstanceOf(NoSuchKeyException.class);
        assertThat(blobs.findBlob(young)).as("the young blob's record").isPresent();
        assertThat(object(young.objectKey())).isEqualTo("image");
        assertThat(object(young.thumbnailKey())).isEqualTo("thumbnail");
    }

    @Test
    void sweep_shouldTreatEachTenantsCopyOfTheSameBytesOnItsOwn() throws Exception {
        stack = new MaintenanceStack(NOW, 2, Duration.ofHours(1));
        DynamoDbAttachmentRepository blobs = new DynamoDbAttachmentRepository(stack.dynamoDb,
                stack.service.messagesTable());
        String sameBytes = randomHash();
        BlobId forgotten = storedBlob(blobs, "tenant-a", sameBytes, NOW.minus(MaintenanceStack.BLOB_GRACE)
                .minusSeconds(3600));
        BlobId kept = storedBlob(blobs, "tenant-b", sameBytes, NOW.minus(Duration.ofHours(1)));

        stack.sweep();

        assertThat(blobs.findBlob(forgotten)).isEmpty();
        assertThatThrownBy(() -> object(forgotten.objectKey())).isInstanceOf(NoSuchKeyException.class);
        assertThat(blobs.findBlob(kept)).as("another tenant's copy, still in its grace period").isPresent();
        assertThat(object(kept.objectKey())).isEqualTo("image");
        assertThat(object(kept.thumbnailKey())).isEqualTo("thumbnail");
    }

    private static String randomHash() throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8)));
    }

    /** A blob as ingestion leaves it: record, image and thumbnail, with no reference since {@code since}. */
    private BlobId storedBlob(DynamoDbAttachmentRepository blobs, String tenant, String sha256, Instant since) {
        BlobId blob = new BlobId(tenant, sha256);
        assertThat(blobs.createBlob(Blob.unstored(blob, ImageType.PNG, 5, 1, 1, "image/png", since))).isTrue();
        put(blob.objectKey(), "image");
        put(blob.thumbnailKey(), "thumbnail");
        blobs.markBlobStored(blob);
        return blob;
    }

    private void put(String key, String content) {
        stack.stack.adminS3().putObject(b -> b.bucket(stack.attachmentsBucket).key(key),
                RequestBody.fromString(content));
    }

    private String object(String key) {
        return stack.stack.adminS3().getObjectAsBytes(b -> b.bucket(stack.attachmentsBucket).key(key)).asUtf8String();
    }
}
