package dev.chathistory.userbatch;

import dev.chathistory.shared.archive.ArchiveChunk;
import dev.chathistory.shared.archive.ArchiveIndex;
import dev.chathistory.shared.archive.ArchiveReader;
import dev.chathistory.shared.archive.ArchivedMessage;
import dev.chathistory.shared.model.ChatRef;
import dev.chathistory.shared.repository.MessageRepository;
import java.util.function.Consumer;

/**
 * Everything a user wrote in one chat, hot and archived, with every version: what export,
 * erase and recount walk. "A user's messages" are those filed under the user's id, which by the
 * legacy convention includes the bot's replies to them ({@code isBot} true).
 */
public final class UserMessages {

    private final MessageRepository messages;
    private final ArchiveIndex index;
    private final ArchiveReader archive;

    public UserMessages(MessageRepository messages, ArchiveIndex index, ArchiveReader archive) {
        this.messages = messages;
        this.index = index;
        this.archive = archive;
    }

    /** Hot messages of the user, oldest first, each with its superseded versions. */
    public void forEachHot(ChatRef chat, String userId, Consumer<ArchivedMessage> visitor) {
        messages.forEachMessage(chat, userId, message -> visitor.accept(new ArchivedMessage(message,
                message.version() > 1 ? messages.listAllVersions(chat, message.messageId(), message.version()) : java.util.List.of())));
    }

    /** Archived messages of the user, newest chunk first. */
    public void forEachArchived(ChatRef chat, String userId, Consumer<ArchivedMessage> visitor) {
        for (ArchiveChunk chunk : index.listAll(chat)) {
            for (ArchivedMessage message : archive.read(chat, chunk)) {
                if (message.message().userId().equals(userId)) {
                    visitor.accept(message);
                }
            }
        }
    }
}
