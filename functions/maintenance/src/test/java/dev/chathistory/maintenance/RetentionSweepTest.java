package dev.chathistory.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.f4b6a3.ulid.UlidCreator;
import dev.chathistory.shared.archive.ArchiveChunk;
import dev.chathistory.shared.archive.ArchivedMessage;
import dev.chathistory.shared.archive.ChatArchiver;
import dev.chathistory.shared.attachments.Attachment;
import dev.chathistory.shared.attachments.AttachmentRef;
import dev.chathistory.shared.attachments.AttachmentRepository;
import dev.chathistory.shared.attachments.Blob;
import dev.chathistory.shared.attachments.BlobId;
import dev.chathistory.shared.attachments.ImageType;
import dev.chathistory.shared.ids.MessageIdGenerator;
import dev.chathistory.shared.jobs.JobType;
import dev.chathistory.shared.model.ChatRef;
import dev.chathistory.shared.model.Message;
import dev.chathistory.shared.model.UserRef;
import dev.chathistory.shared.retention.ChatRetention;
import dev.chathistory.shared.retention.Retention;
import dev.chathistory.shared.testing.InMemoryArchiveIndex;
import dev.chathistory.shared.testing.InMemoryAttachmentRepository;
import dev.chathistory.shared.testing.InMemoryMessageRepository;
import dev.chathistory.shared.testing.InMemoryRetentionRepository;
import dev.chathistory.shared.testing.MutableClock;
import dev.chathistory.shared.testing.RecordingJobQueue;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The retention sweep on fakes: due attachments, expired exports, chats with expired archives. */
class RetentionSweepTest {

    private static final Instant START = Instant.parse("2026-06-01T00:00:00Z");
    private static final ChatRef CHAT = new ChatRef("t1", "chat-1");

    private final MutableClock clock = new MutableClock(START);
    private final InMemoryMessageRepository messages = new InMemoryMessageRepository();
    private final InMemoryArchiveIndex index = new InMemoryArchiveIndex(messages);
    private final InMemoryAttachmentRepository attachments = new InMemoryAttachmentRepository(messages);
    private final InMemoryRetentionRepository policies = new InMemoryRetentionRepository();
    private final InMemoryArchiveObjects exports = new InMemoryArchiveObjects(clock);
    private final RecordingJobQueue queue = new RecordingJobQueue();
    private final RetentionSweep sweep = new RetentionSweep(attachments, messages, index, policies, exports, queue,
            MessageIdGenerator.ulid(), clock);
    private final BlobId blob = new BlobId("t1", "e".repeat(64));

    /** A message with a ready attachment on a stored blob, due for the sweep when the message expires. */
    private AttachmentRef photo(String messageId, String user, Instant retainUntil) {
        Message message = Message.first(CHAT.chatId(), messageId, user, false, "a photo", null, clock.instant())
                .withExpiry(retainUntil);
        messages.insert(CHAT, message);
        if (attachments.findBlob(blob).isEmpty()) {
            attachments.createBlob(Blob.unstored(blob, ImageType.PNG, 100, 10, 10, "image/png", START));
            attachments.markBlobStored(blob);
        }
        Attachment pending = Attachment.pending(CHAT.chatId(), messageId, "att-" + messageId, ImageType.PNG, 100,
                null, clock.instant());
        attachments.createPending(CHAT, pending, clock.instant().plusSeconds(60), retainUntil);
        assertThat(attachments.markReady(CHAT, pending.ready(attachments.findBlob(blob).orElseThrow(),
                clock.instant()))).isEqualTo(AttachmentRepository.ReadyOutcome.READY);
        return new AttachmentRef(CHAT, messageId, pending.attachmentId());
    }

    @Test
    void dueAttachments_shouldBeDropped_whenTheirMessageIsGoneOrExpired_butNotWhileItsAuthorIsHeld() {
        policies.setChat(CHAT, new ChatRetention(7, false), START);
        AttachmentRef ttlRemoved = photo("m1", "u1", START.plus(Duration.ofDays(7)));
        AttachmentRef expired = photo("m2", "u1", START.plus(Duration.ofDays(7)));
        AttachmentRef heldUser = photo("m3", "held", START.plus(Duration.ofDays(7)));
        messages.deleteMessage(CHAT, "m1");
        policies.setUserHeld(new UserRef("t1", "held"), true, START);
        clock.advance(Duration.ofDays(8));

        RetentionSweep.Result result = sweep.run(TimeBudget.unlimited());

        assertThat(attachments.find(CHAT, "m1", ttlRemoved.attachmentId())).as("its message is gone").isEmpty();
        assertThat(attachments.find(CHAT, "m2", expired.attachmentId())).as("its message expired").isEmpty();
        assertThat(attachments.find(CHAT, "m3", heldUser.attachmentId())).isPresent();
        assertThat(attachments.retainUntil(heldUser)).as("held: never due").isEmpty();
        assertThat(result.attachmentsDropped()).isEqualTo(2);
        assertThat(attachments.findBlob(blob).orElseThrow().references()).as("two references given back")
                .isEqualTo(1);
    }

    @Test
    void aDueAttachment_shouldWaitLonger_whenItsChatsPolicyWasLengthenedSince() {
        policies.setChat(CHAT, new ChatRetention(7, false), START);
        AttachmentRef lengthened = photo("m1", "u1", START.plus(Duration.ofDays(7)));
        policies.setChat(CHAT, new ChatRetention(30, false), START);
        clock.advance(Duration.ofDays(8));

        assertThat(sweep.run(TimeBudget.unlimited()).attachmentsDropped()).isZero();
        assertThat(attachments.retainUntil(lengthened)).contains(START.plus(Duration.ofDays(30)));

        clock.advance(Duration.ofDays(30));
        assertThat(sweep.run(TimeBudget.unlimited()).attachmentsDropped()).isEqualTo(1);
        assertThat(attachments.findBlob(blob).orElseThrow().references()).isZero();
    }

    @Test
    void anArchivedMessagesAttachment_shouldLeaveTheIndex_forItsChatsRetentionJob() {
        AttachmentRef archived = photo("01HZZZZZZZZZZZZZZZZZZZZZZZ", "u1", START.plus(Duration.ofDays(1)));
        Message message = messages.find(CHAT, archived.messageId()).orElseThrow();
        ArchiveChunk chunk = new ArchiveChunk(CHAT.chatId(), message.messageId(), message.messageId(), 1,
                ChatArchiver.objectKey(CHAT, message.messageId(), "f".repeat(64)), "gzip", 10, 5, "f".repeat(64),
                START);
        index.commit(CHAT, chunk, List.of(new ArchivedMessage(message, List.of())), true);
        clock.advance(Duration.ofDays(2));

        assertThat(sweep.run(TimeBudget.unlimited()).attachmentsDropped()).isZero();
        assertThat(attachments.find(CHAT, archived.messageId(), archived.attachmentId())).isPresent();
        assertThat(attachments.retainUntil(archived)).isEmpty();
    }

    @Test
    void exportsOlderThanTheirTenantsRetention_shouldBeDeleted_unlessTheirUserIsHeld() {
        policies.setTenantDays("t1", OptionalInt.of(10), START);
        exports.put("exports/t1/alice/01JOB.jsonl.gz");
        exports.put("exports/t1/held/01JOB.jsonl.gz");
        exports.put("exports/t2/bob/01JOB.jsonl.gz");
        policies.setUserHeld(new UserRef("t1", "held"), true, START);
        clock.advance(Duration.ofDays(9));
        exports.put("exports/t1/alice/02JOB.jsonl.gz");
        clock.advance(Duration.ofDays(1));

        RetentionSweep.Result result = sweep.run(TimeBudget.unlimited());

        assertThat(exports.deleted()).containsExactly("exports/t1/alice/01JOB.jsonl.gz");
        assertThat(result.exportsDeleted()).isEqualTo(1);
    }

    @Test
    void aChatWhoseArchiveHoldsExpiredMessages_shouldGetOneRetentionJob() {
        String oldId = UlidCreator.getMonotonicUlid(START.toEpochMilli()).toString();
        String newId = UlidCreator.getMonotonicUlid(START.plus(Duration.ofDays(20)).toEpochMilli()).toString();
        ArchiveChunk old = new ArchiveChunk(CHAT.chatId(), oldId, oldId, 1, "archive/t1/chat-1/a", "gzip", 1, 1,
                "a".repeat(64), START);
        ArchiveChunk recent = new ArchiveChunk(CHAT.chatId(), newId, newId, 1, "archive/t1/chat-1/b", "gzip", 1, 1,
                "b".repeat(64), START);
        clock.advance(Duration.ofDays(25));
        policies.setChat(CHAT, new ChatRetention(10, false), START);

        sweep.manifestRead(CHAT, List.of(recent));
        sweep.manifestRead(new ChatRef("t1", "kept"), List.of(old));
        sweep.manifestRead(CHAT, List.of(old, recent));
        policies.setChat(CHAT, new ChatRetention(10, true), START);
        sweep.manifestRead(CHAT, List.of(old, recent));

        assertThat(queue.sent()).singleElement().satisfies(job -> {
            assertThat(job.type()).isEqualTo(JobType.RETENTION);
            assertThat(job.userId()).isEqualTo(Retention.CHAT_JOB_USER);
            assertThat(job.chatId()).isEqualTo(CHAT.chatId());
        });
        assertThat(sweep.takeJobsQueued()).isEqualTo(1);
        assertThat(sweep.takeJobsQueued()).isZero();
    }
}
