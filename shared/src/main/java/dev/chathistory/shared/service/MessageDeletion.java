package dev.chathistory.shared.service;

import dev.chathistory.shared.attachments.AttachmentService;
import dev.chathistory.shared.model.ChatRef;
import dev.chathistory.shared.model.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Deleting a message: the versioned soft delete, then the attachments a deleted message no longer keeps. */
public final class MessageDeletion {

    private static final Logger LOG = LoggerFactory.getLogger(MessageDeletion.class);

    private final MessageService messages;
    private final AttachmentService attachments;

    /** {@code attachments} is null where attachments are not configured: then there are none to drop. */
    public MessageDeletion(MessageService messages, AttachmentService attachments) {
        this.messages = messages;
        this.attachments = attachments;
    }

    /**
     * Deletes the message at {@code expectedVersion}. The delete has happened once this returns,
     * so a failure to drop attachments is logged, not thrown: the leftover records are
     * unreachable (the message reads as gone) and an erase of the author removes them.
     */
    public Message delete(ChatRef chat, String messageId, long expectedVersion) {
        Message deleted = messages.delete(chat, messageId, expectedVersion);
        if (attachments != null) {
            try {
                attachments.dropAll(chat, messageId);
            } catch (RuntimeException e) {
                LOG.warn("attachments of a deleted message were not all dropped: {}", e.getClass().getSimpleName());
            }
        }
        return deleted;
    }
}
