package dev.chathistory.maintenance;

import com.github.f4b6a3.ulid.Ulid;
import dev.chathistory.shared.archive.ArchiveChunk;
import dev.chathistory.shared.archive.ArchiveIndex;
import dev.chathistory.shared.attachments.Attachment;
import dev.chathistory.shared.attachments.AttachmentRef;
import dev.chathistory.shared.attachments.AttachmentRepository;
import dev.chathistory.shared.ids.MessageIdGenerator;
import dev.chathistory.shared.jobs.ExportKeys;
import dev.chathistory.shared.jobs.JobQueue;
import dev.chathistory.shared.jobs.JobRequest;
import dev.chathistory.shared.jobs.JobType;
import dev.chathistory.shared.model.ChatRef;
import dev.chathistory.shared.model.Message;
import dev.chathistory.shared.model.UserRef;
import dev.chathistory.shared.repository.MessageRepository;
import dev.chathistory.shared.retention.Retention;
import dev.chathistory.shared.retention.RetentionPolicy;
import dev.chathistory.shared.retention.RetentionRepository;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What retention lets go of and DynamoDB's TTL cannot remove:
 * <ul>
 *   <li>attachments whose message expired: TTL removes the message, but an attachment record
 *       holds a blob reference that must be given back. Each is due at its message's expiry (in
 *       the sparse index unreferenced blobs use); the sweep drops it, or moves its due time when
 *       the policy changed since;</li>
 *   <li>exports older than their tenant's retention (unless a hold is on their user);</li>
 *   <li>archived chunks, which live in S3: the orphaned-chunk sweep hands each chat's manifest
 *       here as it walks the archive, and a chat whose chunks hold expired messages gets a
 *       retention job, which rewrites or removes them as an erase does.</li>
 * </ul>
 */
public final class RetentionSweep {

    /** Attachments and exports looked at per run; the rest wait for the next one. */
    static final int MAX_PER_RUN = 1000;

    /** What one run did. */
    public record Result(int attachmentsDropped, int exportsDeleted) {
    }

    private final AttachmentRepository attachments;
    private final MessageRepository messages;
    private final ArchiveIndex index;
    private final RetentionRepository policies;
    private final ArchiveObjects exports;
    private final JobQueue queue;
    private final MessageIdGenerator jobIds;
    private final Clock clock;
    private final AtomicInteger jobsQueued = new AtomicInteger();

    public RetentionSweep(AttachmentRepository attachments, MessageRepository messages, ArchiveIndex index,
                          RetentionRepository policies, ArchiveObjects exports, JobQueue queue,
                          MessageIdGenerator jobIds, Clock clock) {
        this.attachments = attachments;
        this.messages = messages;
        this.index = index;
        this.policies = policies;
        this.exports = exports;
        this.queue = queue;
        this.jobIds = jobIds;
        this.clock = clock;
    }

    /** Reads without changing anything, for priming before a snapshot. */
    void prime() {
        attachments.listDueAttachments(Instant.EPOCH, 1);
        exports.listAfter(null, 1);
    }

    public Result run(TimeBudget budget) {
        Policies known = new Policies();
        int dropped = 0;
        Instant now = clock.instant();
        for (AttachmentRef due : attachments.listDueAttachments(now, MAX_PER_RUN)) {
            if (budget.exhausted()) {
                break;
            }
            if (settle(due, known, now)) {
                dropped++;
            }
        }
        return new Result(dropped, deleteExpiredExports(known, now, budget));
    }

    /** Retention jobs queued for chats whose archive holds expired messages since the last call. */
    public int takeJobsQueued() {
        return jobsQueued.getAndSet(0);
    }

    /**
     * Called with each chat's manifest as the orphaned-chunk sweep reaches it: a chat whose
     * archive holds a chunk whose newest message is past retention gets a retention job. Message
     * ids are ULIDs of their creation time, so no chunk is read here.
     */
    public void manifestRead(ChatRef chat, List<ArchiveChunk> chunks) {
        if (chunks.isEmpty()) {
            return;
        }
        RetentionPolicy policy = policies.findPolicy(chat);
        Instant now = clock.instant();
        boolean expired = chunks.stream().anyMatch(chunk -> createdAt(chunk.lastMessageId())
                .map(created -> policy.pastRetention(created, now)).orElse(false));
        if (expired) {
            queue.send(new JobRequest(jobIds.nextId(), JobType.RETENTION, chat.tenantId(), Retention.CHAT_JOB_USER,
                    chat.chatId()));
            jobsQueued.incrementAndGet();
        }
    }

    /** Drops a due attachment whose message is gone or expired, else moves its due time; says whether it dropped. */
    private boolean settle(AttachmentRef due, Policies known, Instant now) {
        Optional<Attachment> attachment = attachments.find(due.chat(), due.messageId(), due.attachmentId());
        if (attachment.isEmpty()) {
            return false;
        }
        Optional<Message> message = messages.find(due.chat(), due.messageId());
        if (message.isEmpty()) {
            if (index.findCovering(due.chat(), due.messageId()).isPresent()) {
                // Archived: its retention job drops it with the archived message.
                attachments.setRetainUntil(due, null);
                return false;
            }
            // Removed by TTL (or erased meanwhile): nothing leads to the attachment any more.
            attachments.drop(due.chat(), attachment.get(), now);
            return true;
        }
        RetentionPolicy policy = known.of(due.chat());
        Message m = message.get();
        boolean held = known.held(new UserRef(due.chat().tenantId(), m.userId()));
        if (!held && policy.pastRetention(m.createdAt(), now)) {
            attachments.drop(due.chat(), attachment.get(), now);
            return true;
        }
        // The policy changed since it was stamped: due again when the message expires now.
        attachments.setRetainUntil(due, held ? null : policy.expiryOf(m.createdAt()).orElse(null));
        return false;
    }

    private int deleteExpiredExports(Policies known, Instant now, TimeBudget budget) {
        int deleted = 0;
        int looked = 0;
        String after = null;
        do {
            ArchiveObjects.Page page = exports.listAfter(after, Math.min(1000, MAX_PER_RUN - looked));
            for (ArchiveObjects.StoredObject object : page.objects()) {
                Optional<UserRef> owner = ExportKeys.ownerOf(object.key());
                if (owner.isEmpty()) {
                    continue;
                }
                OptionalInt days = known.tenantDays(owner.get().tenantId());
                if (days.isPresent() && !object.lastModified().plus(Duration.ofDays(days.getAsInt())).isAfter(now)
                        && !known.held(owner.get())) {
                    exports.delete(object.key());
                    deleted++;
                }
            }
            looked += page.objects().size();
            after = page.more() && !page.objects().isEmpty()
                    ? page.objects().get(page.objects().size() - 1).key() : null;
        } while (after != null && looked < MAX_PER_RUN && !budget.exhausted());
        return deleted;
    }

    private static Optional<Instant> createdAt(String messageId) {
        return Ulid.isValid(messageId) ? Optional.of(Ulid.from(messageId).getInstant()) : Optional.empty();
    }

    /** Policies and holds as stored, each read once per run. */
    private final class Policies {
        private final Map<String, OptionalInt> tenants = new ConcurrentHashMap<>();
        private final Map<ChatRef, RetentionPolicy> chats = new ConcurrentHashMap<>();
        private final Map<UserRef, Boolean> holds = new ConcurrentHashMap<>();

        OptionalInt tenantDays(String tenantId) {
            return tenants.computeIfAbsent(tenantId, policies::findTenantDays);
        }

        RetentionPolicy of(ChatRef chat) {
            return chats.computeIfAbsent(chat,
                    c -> new RetentionPolicy(tenantDays(c.tenantId()), policies.findChat(c)));
        }

        boolean held(UserRef user) {
            return holds.computeIfAbsent(user, policies::findUserHold);
        }
    }
}
