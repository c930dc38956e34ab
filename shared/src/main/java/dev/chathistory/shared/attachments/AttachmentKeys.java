package dev.chathistory.shared.attachments;

import dev.chathistory.shared.ids.Identifiers;
import dev.chathistory.shared.model.ChatRef;
import java.util.Optional;

/**
 * Object keys of attachments in the data bucket.
 *
 * <pre>
 * uploads/{tenant}/{chat}/{message}/{attachment}   where a presigned PUT lands; ingestion deletes it
 * blobs/{tenant}/sha256/{hex}                      the checked bytes, once per tenant and content hash
 * thumbnails/{tenant}/sha256/{hex}                 the thumbnail of that blob
 * </pre>
 *
 * Ids cannot contain '/', so an upload key splits back into exactly the ids it was made from,
 * and no tenant's blob key can fall under another tenant's.
 */
public final class AttachmentKeys {

    public static final String UPLOADS_PREFIX = "uploads/";
    public static final String BLOBS_PREFIX = "blobs/";
    public static final String THUMBNAILS_PREFIX = "thumbnails/";

    /** The ids an upload key names. */
    public record UploadKey(ChatRef chat, String messageId, String attachmentId) {
        public String key() {
            return uploadKey(chat, messageId, attachmentId);
        }
    }

    private AttachmentKeys() {
    }

    public static String uploadKey(ChatRef chat, String messageId, String attachmentId) {
        return UPLOADS_PREFIX + chat.tenantId() + "/" + chat.chatId() + "/" + messageId + "/" + attachmentId;
    }

    /** The ids of an upload key, or empty for anything that is not one (never trusted further). */
    public static Optional<UploadKey> parseUploadKey(String key) {
        if (key == null || !key.startsWith(UPLOADS_PREFIX)) {
            return Optional.empty();
        }
        String[] parts = key.substring(UPLOADS_PREFIX.length()).split("/", -1);
        if (parts.length != 4) {
            return Optional.empty();
        }
        for (String part : parts) {
            if (!Identifiers.isValid(part)) {
                return Optional.empty();
            }
        }
        return Optional.of(new UploadKey(new ChatRef(parts[0], parts[1]), parts[2], parts[3]));
    }

    public static String blobKey(BlobId blob) {
        return BLOBS_PREFIX + blob.tenantId() + "/sha256/" + blob.sha256();
    }

    public static String thumbnailKey(BlobId blob) {
        return THUMBNAILS_PREFIX + blob.tenantId() + "/sha256/" + blob.sha256();
    }
}
