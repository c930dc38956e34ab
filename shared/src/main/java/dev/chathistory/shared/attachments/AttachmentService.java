package dev.chathistory.shared.attachments;

import dev.chathistory.shared.config.AttachmentsConfig;
import dev.chathistory.shared.error.DomainException;
import dev.chathistory.shared.error.Problem;
import dev.chathistory.shared.ids.Identifiers;
import dev.chathistory.shared.ids.MessageIdGenerator;
import dev.chathistory.shared.model.ChatRef;
import dev.chathistory.shared.model.Message;
import dev.chathistory.shared.service.MessageLookup;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The API side of attachments: hands out upload links for a message, and shows what ingestion
 * made of them. The bytes never pass through here.
 */
public final class AttachmentService {

    /** An upload the bot may now perform. */
    public record Upload(Attachment attachment, String url, Instant expiresAt, Map<String, String> headers) {
    }

    /** An attachment as the API shows it, with fresh links when it is ready. */
    public record View(Attachment attachment, Optional<String> url, Optional<String> thumbnailUrl,
                       Optional<Instant> urlsExpireAt) {
    }

    /** What a bot asks to upload. */
    public record UploadRequest(String contentType, long size, String filename) {
    }

    public static final int MAX_FILENAME_LENGTH = 255;

    private final AttachmentRepository attachments;
    private final AttachmentStorage storage;
    private final MessageLookup messages;
    private final MessageIdGenerator ids;
    private final Clock clock;
    private final AttachmentsConfig config;

    public AttachmentService(AttachmentRepository attachments, AttachmentStorage storage, MessageLookup messages,
                             MessageIdGenerator ids, Clock clock, AttachmentsConfig config) {
        this.attachments = attachments;
        this.storage = storage;
        this.messages = messages;
        this.ids = ids;
        this.clock = clock;
        this.config = config;
    }

    public Upload createUpload(ChatRef chat, String messageId, UploadRequest request) {
        ImageType type = ImageType.fromContentType(request.contentType()).orElseThrow(() -> new DomainException(
                Problem.UNSUPPORTED_MEDIA_TYPE, "contentType must be one of " + ImageType.contentTypes()));
        if (request.size() < 1) {
            throw new DomainException(Problem.VALIDATION_FAILED, "size must be a positive number of bytes");
        }
        if (request.size() > config.maxBytes()) {
            throw new DomainException(Problem.ATTACHMENT_TOO_LARGE,
                    "size must be at most " + config.maxBytes() + " bytes", Map.of("maxBytes", config.maxBytes()));
        }
        checkFilename(request.filename());
        Message message = messages.writable(chat, messageId);
        long live = attachments.list(chat, messageId).stream()
                .filter(a -> a.status() != AttachmentStatus.REJECTED).count();
        if (live >= config.maxPerMessage()) {
            throw new DomainException(Problem.TOO_MANY_ATTACHMENTS, "a message takes at most "
                    + config.maxPerMessage() + " attachments", Map.of("maxAttachments", config.maxPerMessage()));
        }
        Instant now = clock.instant();
        Attachment pending = Attachment.pending(chat.chatId(), messageId, ids.nextId(), type, request.size(),
                request.filename(), now);
        // Due for the retention sweep when its message expires: TTL removes the message, and the
        // sweep then drops the attachment, giving its blob reference back.
        if (attachments.createPending(chat, pending, now.plus(AttachmentsConfig.PENDING_RETENTION),
                message.expiresAt()) == AttachmentRepository.CreateOutcome.MESSAGE_GONE) {
            // Deleted or archived between the check and the write: report its state now.
            messages.writable(chat, messageId);
            throw new DomainException(Problem.MESSAGE_NOT_FOUND, "message " + messageId + " not found");
        }
        String key = AttachmentKeys.uploadKey(chat, messageId, pending.attachmentId());
        String url = storage.uploadUrl(key, type.contentType(), request.size(), config.uploadUrlTtl());
        return new Upload(pending, url, now.plus(config.uploadUrlTtl()), Map.of(
                "Content-Type", type.contentType(),
                "Content-Length", Long.toString(request.size())));
    }

    /** Every attachment of a readable (hot or archived, not deleted) message, oldest first. */
    public List<View> list(ChatRef chat, String messageId) {
        messages.readable(chat, messageId, false);
        return attachments.list(chat, messageId).stream().map(a -> view(chat, a)).toList();
    }

    public View get(ChatRef chat, String messageId, String attachmentId) {
        Identifiers.require("attachmentId", attachmentId);
        messages.readable(chat, messageId, false);
        return attachments.find(chat, messageId, attachmentId).map(a -> view(chat, a)).orElseThrow(() ->
                new DomainException(Problem.ATTACHMENT_NOT_FOUND, "attachment " + attachmentId + " not found"));
    }

    /**
     * Removes every attachment of a message, giving blob references back; used when the
     * message is deleted or its author erased. Repeating it is harmless.
     */
    public int dropAll(ChatRef chat, String messageId) {
        List<Attachment> all = attachments.list(chat, messageId);
        Instant now = clock.instant();
        all.forEach(a -> attachments.drop(chat, a, now));
        return all.size();
    }

    private View view(ChatRef chat, Attachment attachment) {
        if (!attachment.isReady()) {
            return new View(attachment, Optional.empty(), Optional.empty(), Optional.empty());
        }
        BlobId blob = new BlobId(chat.tenantId(), attachment.sha256());
        return new View(attachment,
                Optional.of(storage.downloadUrl(blob.objectKey(), config.downloadUrlTtl())),
                Optional.of(storage.downloadUrl(blob.thumbnailKey(), config.downloadUrlTtl())),
                Optional.of(clock.instant().plus(config.downloadUrlTtl())));
    }

    /** A filename a bot may give an attachment: 1-255 characters, no control characters or slashes. */
    public static boolean isValidFilename(String filename) {
        return !filename.isBlank() && filename.length() <= MAX_FILENAME_LENGTH
                && filename.chars().noneMatch(c -> Character.isISOControl(c) || c == '/' || c == '\\');
    }

    private static void checkFilename(String filename) {
        if (filename == null) {
            return;
        }
        if (!isValidFilename(filename)) {
            throw new DomainException(Problem.VALIDATION_FAILED, "filename must be 1-" + MAX_FILENAME_LENGTH
                    + " characters without control characters or slashes");
        }
    }
}
