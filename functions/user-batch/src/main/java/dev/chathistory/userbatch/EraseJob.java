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
import dev.chathistory.shared.jobs.JobRequest;
import dev.chathistory.shared.model.ChatRef;
import dev.chathistory.shared.model.IdempotencyRecord;
import dev.chathistory.shared.model.Message;
import dev.chathistory.shared.model.UserRef;
import dev.chathistory.shared.repository.MessageRepository;
import dev.chathistory.shared.repository.UserRepository;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Removes everything stored about a user: in each chat of their directory, the idempotency
 * records pointing at their messages, their messages with every version, and their lines in
 * archive chunks (rewritten without them, or removed when nothing else is left); then their
 * exports, chat directory and profile (settings, counters, active-users entry).
 *
 * <p>Resumable: a chat leaves the directory only after its data is gone, so a rerun after a crash
 * picks up the chats still listed. The job then reads everything back and fails (to be retried)
 * if anything of the user is still found. The job record itself is kept, as the receipt.
 */
public final class EraseJob implements UserJob {

    private final MessageRepository messages;
    private final UserRepository users;
    private final ArchiveIndex index;
    private final ArchiveReader archive;
    private final ObjectStore objects;
    private final AttachmentRepository attachments;
    private final Clock clock;

    public EraseJob(MessageRepository messages, UserRepository users, ArchiveIndex index, ArchiveReader archive,
                    ObjectStore objects, AttachmentRepository attachments, Clock clock) {
        this.messages = messages;
        this.attachments = attachments;
        this.users = users;
        this.index = index;
        this.archive = archive;
        this.objects = objects;
        this.clock = clock;
    }

    @Override
    public JobOutcome run(JobRequest request) {
        UserRef user = new UserRef(request.tenantId(), request.userId());
        JobOutcome.Counts counts = new JobOutcome.Counts();
        List<String> chats = users.listChats(user);
        for (String chatId : chats) {
            eraseChat(new ChatRef(user.tenantId(), chatId), user.userId(), counts);
            users.forgetChat(user, chatId);
            counts.add("chats", 1);
        }
        for (String key : objects.list(ExportJob.prefix(user))) {
            objects.delete(key);
            counts.add("exportsErased", 1);
        }
        users.deleteProfile(user);
        verifyNothingLeft(user, chats);
        return counts.add("verified", 1).outcome();
    }

    private void eraseChat(ChatRef chat, String userId, JobOutcome.Counts counts) {
        List<Message> hot = new ArrayList<>();
        messages.forEachMessage(chat, userId, hot::add);
        Set<String> ids = new HashSet<>();
        hot.forEach(m -> ids.add(m.messageId()));
        List<ArchiveChunk> chunks = index.listAll(chat);
        for (ArchiveChunk chunk : chunks) {
            for (ArchivedMessage m : archive.read(chat, chunk)) {
                if (m.message().userId().equals(userId)) {
                    ids.add(m.message().messageId());
                }
            }
        }
        // Attachments before the messages they hang off: once a message is gone, nothing leads
        // to its attachments any more. Dropping gives the blob references back; images nobody
        // refers to are deleted by maintenance after the grace period.
        for (String messageId : ids) {
            for (Attachment attachment : attachments.list(chat, messageId)) {
                attachments.drop(chat, attachment, clock.instant());
                counts.add("attachmentsErased", 1);
            }
        }
        // Idempotency records first: they are how a replay finds a message, and they are only
        // recognisable while the messages they point at are still known.
        for (IdempotencyRecord record : messages.listIdempotencyRecords(chat)) {
            if (ids.contains(record.messageId())) {
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
            eraseFromChunk(chat, chunk, userId, counts);
        }
    }

    private void eraseFromChunk(ChatRef chat, ArchiveChunk chunk, String userId, JobOutcome.Counts counts) {
        List<ArchivedMessage> all = archive.read(chat, chunk);
        List<ArchivedMessage> keep = all.stream().filter(m -> !m.message().userId().equals(userId)).toList();
        if (keep.size() == all.size()) {
            return;
        }
        for (ArchivedMessage m : all) {
            if (!keep.contains(m) && !m.versions().isEmpty()) {
                // Left behind only if archiving had to delete them after its commit.
                messages.deleteVersions(chat, m.message().messageId());
            }
        }
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
        counts.add("archivedMessagesErased", all.size() - keep.size());
    }

    private void verifyNothingLeft(UserRef user, List<String> chats) {
        List<String> found = new ArrayList<>();
        if (users.hasAnyData(user)) {
            found.add("profile or chat directory");
        }
        if (!objects.list(ExportJob.prefix(user)).isEmpty()) {
            found.add("exports");
        }
        for (String chatId : chats) {
            ChatRef chat = new ChatRef(user.tenantId(), chatId);
            long[] hot = {0};
            messages.forEachMessage(chat, user.userId(), m -> hot[0]++);
            if (hot[0] > 0) {
                found.add("messages in chat " + chatId);
            }
            for (ArchiveChunk chunk : index.listAll(chat)) {
                if (archive.read(chat, chunk).stream().anyMatch(m -> m.message().userId().equals(user.userId()))) {
                    found.add("archived messages in chat " + chatId);
                    break;
                }
            }
        }
        if (!found.isEmpty()) {
            // Typically the user wrote again while the erase ran; the retry erases that too.
            throw new IllegalStateException("erase read-back still found: " + String.join(", ", found));
        }
    }
}
