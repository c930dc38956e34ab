package dev.chathistory.shared.repository.dynamodb;

import static dev.chathistory.shared.repository.dynamodb.MessageItems.bool;
import static dev.chathistory.shared.repository.dynamodb.MessageItems.n;
import static dev.chathistory.shared.repository.dynamodb.MessageItems.s;

import dev.chathistory.shared.attachments.Attachment;
import dev.chathistory.shared.attachments.AttachmentRef;
import dev.chathistory.shared.attachments.AttachmentStatus;
import dev.chathistory.shared.attachments.Blob;
import dev.chathistory.shared.attachments.BlobId;
import dev.chathistory.shared.attachments.ImageType;
import dev.chathistory.shared.attachments.RejectionReason;
import dev.chathistory.shared.model.ChatRef;
import dev.chathistory.shared.model.Timestamps;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Mapping of attachment and blob records to DynamoDB items and back. */
final class AttachmentItems {

    /** Who claimed a processing attachment, and until when (epoch milliseconds); gone once decided. */
    static final String CLAIM_HOLDER = "claimHolder";
    static final String LEASE_UNTIL = "leaseUntil";

    private AttachmentItems() {
    }

    static Map<String, AttributeValue> attachmentKey(ChatRef chat, String messageId, String attachmentId) {
        return Map.of(
                MessagesTable.PARTITION_KEY, s(MessagesTable.partitionKey(chat)),
                MessagesTable.SORT_KEY, s(MessagesTable.attachmentSortKey(messageId, attachmentId)));
    }

    /** Where an attachment item is, from its key (also as an index projects it). */
    static AttachmentRef refOf(Map<String, AttributeValue> item) {
        String pk = item.get(MessagesTable.PARTITION_KEY).s();
        String tenant = pk.substring("T#".length(), pk.indexOf("#C#"));
        String rest = item.get(MessagesTable.SORT_KEY).s().substring(MessagesTable.ATTACHMENT_PREFIX.length());
        int split = rest.lastIndexOf('#');
        return new AttachmentRef(new ChatRef(tenant, MessagesTable.chatIdOf(pk)), rest.substring(0, split),
                rest.substring(split + 1));
    }

    static Map<String, AttributeValue> blobKey(BlobId blob) {
        return Map.of(
                MessagesTable.PARTITION_KEY, s(MessagesTable.blobPartitionKey(blob)),
                MessagesTable.SORT_KEY, s(MessagesTable.BLOB_SORT_KEY));
    }

    static Map<String, AttributeValue> toItem(ChatRef chat, Attachment a) {
        Map<String, AttributeValue> item = new HashMap<>(attachmentKey(chat, a.messageId(), a.attachmentId()));
        item.put("chatId", s(a.chatId()));
        item.put("messageId", s(a.messageId()));
        item.put("attachmentId", s(a.attachmentId()));
        item.put("status", s(a.status().storedName()));
        item.put("declaredType", s(a.declaredType().contentType()));
        item.put("declaredSize", n(a.declaredSize()));
        if (a.filename() != null) {
            item.put("filename", s(a.filename()));
        }
        item.put("createdAt", s(Timestamps.format(a.createdAt())));
        item.putAll(outcome(a));
        return item;
    }

    /** The attributes ingestion sets: what the bytes turned out to be, or why they were refused. */
    static Map<String, AttributeValue> outcome(Attachment a) {
        Map<String, AttributeValue> item = new HashMap<>();
        if (a.type() != null) {
            item.put("type", s(a.type().contentType()));
            item.put("size", n(a.size()));
            item.put("width", n(a.width()));
            item.put("height", n(a.height()));
            item.put("sha256", s(a.sha256()));
        }
        if (a.rejection() != null) {
            item.put("rejection", s(a.rejection().code()));
        }
        if (a.completedAt() != null) {
            item.put("completedAt", s(Timestamps.format(a.completedAt())));
        }
        return item;
    }

    static Attachment toAttachment(Map<String, AttributeValue> item) {
        return new Attachment(
                item.get("chatId").s(),
                item.get("messageId").s(),
                item.get("attachmentId").s(),
                AttachmentStatus.fromStoredName(item.get("status").s()),
                imageType(item.get("declaredType")),
                Long.parseLong(item.get("declaredSize").n()),
                item.containsKey("filename") ? item.get("filename").s() : null,
                Timestamps.parse(item.get("createdAt").s()),
                item.containsKey("type") ? imageType(item.get("type")) : null,
                item.containsKey("size") ? Long.parseLong(item.get("size").n()) : null,
                item.containsKey("width") ? Integer.parseInt(item.get("width").n()) : null,
                item.containsKey("height") ? Integer.parseInt(item.get("height").n()) : null,
                item.containsKey("sha256") ? item.get("sha256").s() : null,
                item.containsKey("rejection") ? RejectionReason.fromCode(item.get("rejection").s()).orElseThrow() : null,
                item.containsKey("completedAt") ? Timestamps.parse(item.get("completedAt").s()) : null);
    }

    static Map<String, AttributeValue> toItem(Blob b) {
        Map<String, AttributeValue> item = new HashMap<>(blobKey(b.id()));
        item.put("type", s(b.type().contentType()));
        item.put("size", n(b.size()));
        item.put("width", n(b.width()));
        item.put("height", n(b.height()));
        item.put("thumbnailType", s(b.thumbnailContentType()));
        item.put("createdAt", s(Timestamps.format(b.createdAt())));
        item.put("references", n(b.references()));
        item.put("stored", bool(b.stored()));
        return item;
    }

    static Blob toBlob(Map<String, AttributeValue> item) {
        return new Blob(MessagesTable.blobIdOf(item.get(MessagesTable.PARTITION_KEY).s()),
                imageType(item.get("type")),
                Long.parseLong(item.get("size").n()),
                Integer.parseInt(item.get("width").n()),
                Integer.parseInt(item.get("height").n()),
                item.get("thumbnailType").s(),
                Timestamps.parse(item.get("createdAt").s()),
                Long.parseLong(item.get("references").n()),
                item.get("stored").bool());
    }

    private static ImageType imageType(AttributeValue value) {
        return ImageType.fromContentType(value.s()).orElseThrow(
                () -> new IllegalStateException("unknown stored image type " + value.s()));
    }
}
