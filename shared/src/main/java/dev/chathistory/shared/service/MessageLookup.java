package dev.chathistory.shared.service;

import dev.chathistory.shared.archive.ArchiveReader;
import dev.chathistory.shared.archive.ArchivedHistory;
import dev.chathistory.shared.archive.ArchivedMessage;
import dev.chathistory.shared.error.DomainException;
import dev.chathistory.shared.error.Problem;
import dev.chathistory.shared.ids.Identifiers;
import dev.chathistory.shared.model.ChatRef;
import dev.chathistory.shared.model.Message;
import dev.chathistory.shared.repository.MessageRepository;
import dev.chathistory.shared.repository.WriteConflictException;
import dev.chathistory.shared.retention.Retention;
import dev.chathistory.shared.retry.ConflictRetry;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The rules for finding one message, hot or archived, shared by everything that acts on a
 * message (edits, deletes, attachments): what "not found", "deleted" and "archived, so
 * read-only" mean lives here and nowhere else.
 */
public final class MessageLookup {

    private final MessageRepository messages;
    private final ArchivedHistory archive;
    private final ConflictRetry retry;
    private final Retention retention;

    public MessageLookup(MessageRepository messages, ArchivedHistory archive, ConflictRetry retry,
                         Retention retention) {
        this.messages = messages;
        this.archive = archive;
        this.retry = retry;
        this.retention = retention;
    }

    /**
     * A message a caller may read: hot or archived; a deleted one only when asked for. A message
     * past retention is not found, whether or not TTL has removed it yet.
     */
    public Message readable(ChatRef chat, String messageId, boolean includeDeleted) {
        Identifiers.require("messageId", messageId);
        Message message = messages.find(chat, messageId)
                .or(() -> archived(chat, messageId).map(ArchivedMessage::message))
                .filter(retention.readableIn(chat))
                .orElseThrow(() -> notFound(messageId));
        if (message.deleted() && !includeDeleted) {
            throw notFound(messageId);
        }
        return message;
    }

    /**
     * The message, if it can still change (and take attachments): {@link Problem#MESSAGE_NOT_FOUND},
     * {@link Problem#MESSAGE_DELETED} or {@link Problem#MESSAGE_ARCHIVED} otherwise.
     */
    public Message writable(ChatRef chat, String messageId) {
        Message current = hot(chat, messageId);
        if (current.deleted()) {
            throw new DomainException(Problem.MESSAGE_DELETED, "message " + messageId + " is deleted",
                    Map.of("currentVersion", current.version()));
        }
        return current;
    }

    /** The hot (editable) message, deleted or not; an archived one is read-only. */
    Message hot(ChatRef chat, String messageId) {
        Identifiers.require("messageId", messageId);
        Predicate<Message> readable = retention.readableIn(chat);
        Optional<Message> hot = messages.find(chat, messageId);
        if (hot.isPresent()) {
            return hot.filter(readable).orElseThrow(() -> notFound(messageId));
        }
        Optional<ArchivedMessage> archived = archived(chat, messageId);
        if (archived.isPresent() && readable.test(archived.get().message())) {
            throw new DomainException(Problem.MESSAGE_ARCHIVED,
                    "message " + messageId + " is archived and can no longer be changed");
        }
        throw notFound(messageId);
    }

    /** The archived message, if it is there and not past retention. */
    Optional<ArchivedMessage> readableArchived(ChatRef chat, String messageId) {
        return archived(chat, messageId).filter(a -> retention.readableIn(chat).test(a.message()));
    }

    Optional<ArchivedMessage> archived(ChatRef chat, String messageId) {
        return readArchive(() -> archive.find(chat, messageId));
    }

    /** An erase may swap a chunk under a reader; reading the manifest again finds the new one. */
    <T> T readArchive(Supplier<T> read) {
        return retry.run(() -> {
            try {
                return read.get();
            } catch (ArchiveReader.MissingChunkException e) {
                throw new WriteConflictException("archive chunk replaced while reading", e);
            }
        });
    }

    static DomainException notFound(String messageId) {
        return new DomainException(Problem.MESSAGE_NOT_FOUND, "message " + messageId + " not found");
    }
}
