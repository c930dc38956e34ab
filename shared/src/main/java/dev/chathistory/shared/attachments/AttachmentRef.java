package dev.chathistory.shared.attachments;

import dev.chathistory.shared.model.ChatRef;

/** Where an attachment record is: its chat, message and id. */
public record AttachmentRef(ChatRef chat, String messageId, String attachmentId) {
}
