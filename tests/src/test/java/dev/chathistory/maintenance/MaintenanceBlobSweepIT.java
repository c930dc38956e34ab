package dev.chathistory.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chathistory.shared.attachments.AttachmentKeys;
import dev.chathistory.shared.attachments.Blob;
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
        String old = storedBlob(blobs, NOW.minus(MaintenanceStack.BLOB_GRACE).minus(Duration.ofHours(1)));
        String young = storedBlob(blobs, NOW.minus(Duration.ofHours(1)));

        stack.sweep();

        assertThat(blobs.findBlob(old)).as("the old blob's record").isEmpty();
        assertThatThrownBy(() -> object(AttachmentKeys.blobKey(old))).isInstanceOf(NoSuchKeyException.class);
        assertThatThrownBy(() -> object(AttachmentKeys.thumbnailKey(old))).isInstanceOf(NoSuchKeyException.class);
        assertThat(blobs.findBlob(young)).as("the young blob's record").isPresent();
        assertThat(object(AttachmentKeys.blobKey(young))).isEqualTo("image");
        assertThat(object(AttachmentKeys.thumbnailKey(young))).isEqualTo("thumbnail");
    }

    /** A blob as ingestion leaves it: record, image and thumbnail, with no reference since {@code since}. */
    private String storedBlob(DynamoDbAttachmentRepository blobs, Instant since) throws NoSuchAlgorithmException {
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8)));
        assertThat(blobs.createBlob(Blob.unstored(sha256, ImageType.PNG, 5, 1, 1, "image/png", since))).isTrue();
        put(AttachmentKeys.blobKey(sha256), "image");
        put(AttachmentKeys.thumbnailKey(sha256), "thumbnail");
        blobs.markBlobStored(sha256);
        return sha256;
    }

    private void put(String key, String content) {
        stack.stack.adminS3().putObject(b -> b.bucket(stack.attachmentsBucket).key(key),
                RequestBody.fromString(content));
    }

    private String object(String key) {
        return stack.stack.adminS3().getObjectAsBytes(b -> b.bucket(stack.attachmentsBucket).key(key)).asUtf8String();
    }
}
