package dev.chathistory.userbatch;

import dev.chathistory.shared.archive.ArchiveChunk;
import dev.chathistory.shared.archive.ArchiveConflictException;
import dev.chathistory.shared.archive.ArchiveIndex;
import dev.chathistory.shared.archive.ArchiveReader;
import dev.chathistory.shared.archive.ArchivedMessage;
import dev.chathistory.shared.archive.ChatArchiver;
import dev.chathistory.shared.archive.ChunkFormat;
import dev.chathistory.shared.archive.Gzip;
import dev.chathistory.shared.archive.ObjectStore;
import dev.chathistory.shared.attachments.Attachment;
import dev.chathistory.shared.attachments.AttachmentRepository;
import dev.chathistory.shared.jobs.JobOutcome;
import dev.chathistory.shared.model.ChatRef;
import dev.chathistory.shared.model.IdempotencyRecord;
import dev.chathistory.shared.model.Message;
import dev.chathistory.shared.repository.MessageRepository;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Removes one user's data from one chat: the idempotency records pointing at their messages,
 * their attachments, their messages with every version, and their lines in archive chunks
 * (rewritten without them, or removed when nothing else is left). Then reads the chat back.
 *
 * <p>The order makes a crash at any point safe to rerun: whatever leads to a message (its
 * attachments, its idempotency records) goes before the message, so a rerun still finds it.
 * A rewritten chunk's old object is handed to {@code deleteLater} before the index stops naming
 * it, so a crash between the two cannot leave it unreachable yet stored.
 */
final class ChatEraser {

    private final MessageRepository messages;
    private final ArchiveIndex index;
    private final ArchiveReader archive;
    private final ObjectStore objects;
    private final AttachmentRepository attachments;
    private final Clock clock;

    ChatEraser(MessageRepository messages, ArchiveIndex index, ArchiveReader archive, ObjectStore objects,
               AttachmentRepository attachments, Clock clock) {
        this.messages = messages;
        this.index = index;
        this.archive = archive;
        this.objects = objects;
        this.attachments = attachments;
        this.clock = clock;
    }

    /**
     * Erases everything of {@code userId} in the chat.
     *
     * @param deleteLater called with an object key that must be deleted even if this run dies
     *     before it does; it returns once that is recorded
     * @param deletedNow called once the object is gone
     */
    /**
     * A record whose message was never stored: its writer stopped between claiming the key and
     * storing the message. A retry of that request would store the message then, dated before
     * this erase, so the claim goes too; whoever it was for, a retry then appends afresh.
     */
    private boolean isUnfinishedClaim(ChatRef chat, IdempotencyRecord record) {
        return messages.find(chat, record.messageId()).isEmpty()
                && index.findCovering(chat, record.messageId()).isEmpty();
    }

    void erase(ChatRef chat, String userId, JobOutcome.Counts counts, Consumer<String> deleteLater,
               Consumer<String> deletedNow) {
        remove(chat, userId, m -> m.userId().equals(userId), true, counts, deleteLater, deletedNow);
    }

    /**
     * Removes the messages {@code selected} picks, hot and archived, with everything that leads to
     * them, in the same crash-safe order as an erase.
     *
     * @param author only this author's hot messages are read (null: everyone's); {@code selected}
     *     decides
     * @param unfinishedClaims whether idempotency records whose message was never stored go too
     *     (an erase takes them, since their retry would store a message dated before it)
     */
    void remove(ChatRef chat, String author, Predicate<Message> selected, boolean unfinishedClaims,
                JobOutcome.Counts counts, Consumer<String> deleteLater, Consumer<String> deletedNow) {
        List<Message> hot = new ArrayList<>();
        messages.forEachMessage(chat, author, m -> {
            if (selected.test(m)) {
                hot.add(m);
            }
        });
        Set<String> ids = new HashSet<>();
        hot.forEach(m -> ids.add(m.messageId()));
        List<ArchiveChunk> chunks = index.listAll(chat);
        for (ArchiveChunk chunk : chunks) {
            for (ArchivedMessage m : archive.read(chat, chunk)) {
                if (selected.test(m.message())) {
                    ids.add(m.message().messageId());
                }
            }
        }
        // Dropping gives the blob references back; images nobody refers to are deleted by
        // maintenance after the grace period.
        for (String messageId : ids) {
            for (Attachment attachment : attachments.list(chat, messageId)) {
                attachments.drop(chat, attachment, clock.instant());
                counts.add("attachmentsErased", 1);
            }
        }
        for (IdempotencyRecord record : messages.listIdempotencyRecords(chat)) {
            if (ids.contains(record.messageId()) || (unfinishedClaims && isUnfinishedClaim(chat, record))) {
                messages.deleteIdempotencyRecord(chat, record.key());
                counts.add("idempotencyRecordsErased", 1);
            }
        }
        for (Message message : hot) {
            if (message.version() > 1) {
                counts.add("versionsErased", messages.deleteVersions(chat, message.messageId()));
            }
            messages.deleteMessage(chat, message.messageId());
            counts.add("messagesErased", 1);
        }
        for (ArchiveChunk chunk : chunks) {
            eraseFromChunk(chat, chunk, selected, counts, deleteLater, deletedNow);
        }
    }

    /**
     * What of the user's data stored up to {@code cutoff} is still in the chat (hot or archived);
     * empty when nothing is.
     */
    List<String> leftovers(ChatRef chat, String userId, Instant cutoff) {
        List<String> found = new ArrayList<>();
        long[] hot = {0};
        messages.forEachMessage(chat, userId, m -> {
            if (!m.createdAt().isAfter(cutoff)) {
                hot[0]++;
            }
        });
        if (hot[0] > 0) {
            found.add(hot[0] + " messages in chat " + chat.chatId());
        }
        for (ArchiveChunk chunk : index.listAll(chat)) {
            if (archive.read(chat, chunk).stream().anyMatch(m -> m.message().userId().equals(userId)
                    && !m.message().createdAt().isAfter(cutoff))) {
                found.add("archived messages in chat " + chat.chatId());
                break;
            }
        }
        return found;
    }

    /** Whether the user has any message in the chat, whenever written (hot or archived). */
    boolean hasMessages(ChatRef chat, String userId) {
        boolean[] any = {false};
        messages.forEachMessage(chat, userId, m -> any[0] = true);
        if (any[0]) {
            return true;
        }
        for (ArchiveChunk chunk : index.listAll(chat)) {
            if (archive.read(chat, chunk).stream().anyMatch(m -> m.message().userId().equals(userId))) {
                return true;
            }
        }
        return false;
    }

    private void eraseFromChunk(ChatRef chat, ArchiveChunk chunk, Predicate<Message> selected,
                                JobOutcome.Counts counts, Consumer<String> deleteLater, Consumer<String> deletedNow) {
        List<ArchivedMessage> all = archive.read(chat, chunk);
        List<ArchivedMessage> keep = all.stream().filter(m -> !selected.test(m.message())).toList();
        if (keep.size() == all.size()) {
            return;
        }
        for (ArchivedMessage m : all) {
            if (!keep.contains(m) && !m.versions().isEmpty()) {
                // Left behind only if archiving had to delete them after its commit.
                messages.deleteVersions(chat, m.message().messageId());
            }
        }
        deleteLater.accept(chunk.objectKey());
        if (keep.isEmpty()) {
            if (!index.remove(chat, chunk)) {
                throw new ArchiveConflictException("chunk changed during erase", null);
            }
            counts.add("chunksRemoved", 1);
        } else {
            byte[] raw = ChunkFormat.encode(keep);
            byte[] stored = Gzip.compress(raw);
            String sha256 = ChatArchiver.sha256(stored);
            String key = ChatArchiver.objectKey(chat, chunk.firstMessageId(), sha256);
            objects.put(key, stored, "application/gzip");
            if (!ChunkFormat.decode(Gzip.decompress(objects.get(key).orElseThrow())).equals(keep)) {
                throw new IllegalStateException("rewritten archive chunk read back differs");
            }
            // The range stays: it is where the chunk sits in the chat's order.
            ArchiveChunk replacement = new ArchiveChunk(chunk.chatId(), chunk.firstMessageId(),
                    chunk.lastMessageId(), keep.size(), key, Gzip.NAME, raw.length, stored.length, sha256,
                    clock.instant());
            if (!index.replace(chat, chunk, replacement)) {
                objects.delete(key);
                throw new ArchiveConflictException("chunk changed during erase", null);
            }
            counts.add("chunksRewritten", 1);
        }
        objects.delete(chunk.objectKey());
        deletedNow.accept(chunk.objectKey());
        counts.add("archivedMessagesErased", all.size() - keep.size());
    }
}
