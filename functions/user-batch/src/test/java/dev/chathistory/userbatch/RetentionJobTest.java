package dev.chathistory.userbatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chathistory.shared.archive.ArchiveReader;
import dev.chathistory.shared.archive.ChatArchiver;
import dev.chathistory.shared.attachments.Attachment;
import dev.chathistory.shared.attachments.AttachmentRef;
import dev.chathistory.shared.attachments.AttachmentRepository;
import dev.chathistory.shared.attachments.Blob;
import dev.chathistory.shared.attachments.BlobId;
import dev.chathistory.shared.attachments.ImageType;
import dev.chathistory.shared.ids.MessageIdGenerator;
import dev.chathistory.shared.jobs.JobOutcome;
import dev.chathistory.shared.jobs.JobRequest;
import dev.chathistory.shared.jobs.JobRun;
import dev.chathistory.shared.jobs.JobType;
import dev.chathistory.shared.model.ChatRef;
import dev.chathistory.shared.model.IdempotencyRecord;
import dev.chathistory.shared.model.Message;
import dev.chathistory.shared.model.UserRef;
import dev.chathistory.shared.retention.ChatRetention;
import dev.chathistory.shared.retention.Retention;
import dev.chathistory.shared.testing.InMemoryArchiveIndex;
import dev.chathistory.shared.testing.InMemoryAttachmentRepository;
import dev.chathistory.shared.testing.InMemoryJobRepository;
import dev.chathistory.shared.testing.InMemoryLeases;
import dev.chathistory.shared.testing.InMemoryMessageRepository;
import dev.chathistory.shared.testing.InMemoryObjectStore;
import dev.chathistory.shared.testing.InMemoryRetentionRepository;
import dev.chathistory.shared.testing.InMemoryUserRepository;
import dev.chathistory.shared.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The retention job on the in-memory fakes: what it deletes, what it stamps, what a hold keeps. */
class RetentionJobTest {

    private static final Instant START = Instant.parse("2026-10-01T10:00:00Z");
    private static final ChatRef CHAT = new ChatRef("t1", "chat-a");
    private static final Duration SETTLE = Duration.ofSeconds(330);

    private final MutableClock clock = new MutableClock(START);
    private final InMemoryMessageRepository messages = new InMemoryMessageRepository();
    private final InMemoryArchiveIndex index = new InMemoryArchiveIndex(messages);
    private final InMemoryObjectStore objects = new InMemoryObjectStore();
    private final ArchiveReader archive = new ArchiveReader(index, objects, 1 << 20);
    private final InMemoryAttachmentRepository attachments = new InMemoryAttachmentRepository(messages);
    private final InMemoryUserRepository users = new InMemoryUserRepository();
    private final InMemoryRetentionRepository policies = new InMemoryRetentionRepository();
    private final InMemoryJobRepository jobs = new InMemoryJobRepository();
    private final MessageIdGenerator ids = MessageIdGenerator.ulid();
    private final RetentionJob job = new RetentionJob(
            new ChatEraser(messages, index, archive, objects, attachments, clock), messages, attachments, users,
            policies, jobs,
            new InMemoryLeases(), clock, Duration.ofMinutes(5), SETTLE);

    private Message write(String user, String text) {
        String id = ids.nextId();
        Message message = Message.first(CHAT.chatId(), id, user, false, text, null, clock.instant());
        messages.claimIdempotencyKey(CHAT, new IdempotencyRecord("key-" + id, "hash", id, clock.instant(),
                clock.instant().plus(Duration.ofHours(24))), clock.instant());
        messages.insert(CHAT, message);
        users.rememberChat(new UserRef("t1", user), CHAT.chatId(), clock.instant());
        return message;
    }

    private List<String> stored() {
        List<String> texts = new ArrayList<>();
        messages.forEachMessage(CHAT, null, m -> texts.add(m.text()));
        index.listAll(CHAT).forEach(chunk -> archive.read(CHAT, chunk).forEach(m -> texts.add(m.message().text())));
        return texts;
    }

    /** Every delivery until the job finishes, the clock moving on by each delay it asks for. */
    private JobOutcome run(String userId, String chatId) {
        JobRequest request = new JobRequest(ids.nextId(), JobType.RETENTION, "t1", userId, chatId);
        List<JobOutcome> passes = new ArrayList<>();
        JobOutcome outcome;
        do {
            jobs.start(request, 1, clock.instant(), clock.instant().plus(Duration.ofDays(1)));
            outcome = job.run(JobRun.of(request));
            passes.add(outcome);
            if (!outcome.finished()) {
                assertThat(outcome.continueAfter()).isEqualTo(SETTLE);
                clock.advance(outcome.continueAfter());
            }
        } while (!outcome.finished());
        assertThat(passes).as("a first pass, and one after API caches have let go of the old policy").hasSize(2);
        return outcome;
    }

    @Test
    void chatJob_shouldDeleteWhatIsPastRetention_hotAndArchived_andStampTheRest() {
        write("u1", "archived and old");
        // Ids are ULIDs of the real time, so the cutoff is too.
        new ChatArchiver(messages, index, objects, clock)
                .archiveOlderThan(CHAT, Instant.now().plusSeconds(60), new JobOutcome.Counts());
        assertThat(index.listAll(CHAT)).hasSize(1);
        write("u2", "hot and old");
        clock.advance(Duration.ofDays(20));
        write("u2", "hot and old too");
        clock.advance(Duration.ofDays(20));
        Message recent = write("u1", "recent");
        policies.setChat(CHAT, new ChatRetention(30, false), clock.instant());

        JobOutcome outcome = run(Retention.CHAT_JOB_USER, CHAT.chatId());

        assertThat(stored()).containsExactly("hot and old too", "recent");
        assertThat(messages.listIdempotencyRecords(CHAT)).hasSize(2);
        assertThat(index.listAll(CHAT)).as("the expired chunk is gone").isEmpty();
        assertThat(messages.find(CHAT, recent.messageId()).orElseThrow().expiresAt())
                .isEqualTo(recent.createdAt().plus(Duration.ofDays(30)).truncatedTo(ChronoUnit.SECONDS));
        assertThat(outcome.counts()).containsEntry("messagesErased", 1L).containsEntry("archivedMessagesErased", 1L)
                .containsEntry("messagesStamped", 2L).containsEntry("chunksRemoved", 1L).containsEntry("passes", 2L);
    }

    @Test
    void shorteningThePolicy_shouldDeleteExistingData_andLengtheningItRestamps() {
        Message first = write("u1", "first");
        clock.advance(Duration.ofDays(5));
        Message second = write("u1", "second");
        policies.setChat(CHAT, new ChatRetention(30, false), clock.instant());
        run(Retention.CHAT_JOB_USER, CHAT.chatId());
        assertThat(stored()).containsExactly("first", "second");

        policies.setChat(CHAT, new ChatRetention(3, false), clock.instant());
        run(Retention.CHAT_JOB_USER, CHAT.chatId());
        assertThat(stored()).containsExactly("second");
        assertThat(messages.find(CHAT, second.messageId()).orElseThrow().expiresAt())
                .isEqualTo(second.createdAt().plus(Duration.ofDays(3)).truncatedTo(ChronoUnit.SECONDS));

        policies.setChat(CHAT, ChatRetention.NONE, clock.instant());
        run(Retention.CHAT_JOB_USER, CHAT.chatId());
        assertThat(messages.find(CHAT, second.messageId()).orElseThrow().expiresAt()).isNull();
        assertThat(messages.find(CHAT, first.messageId())).isEmpty();
    }

    @Test
    void holds_shouldKeepEverythingTheyCover_andTakeTheStampAway() {
        write("held", "held user's old message");
        write("free", "another user's old message");
        clock.advance(Duration.ofDays(10));
        policies.setTenantDays("t1", OptionalInt.of(7), clock.instant());
        policies.setUserHeld(new UserRef("t1", "held"), true, clock.instant());
        policies.setChat(CHAT, new ChatRetention(null, true), clock.instant());

        run(Retention.CHAT_JOB_USER, CHAT.chatId());
        assertThat(stored()).as("the chat's hold keeps all").hasSize(2);

        policies.setChat(CHAT, ChatRetention.NONE, clock.instant());
        run("held", null);
        assertThat(stored()).as("a user's job touches only their messages").hasSize(2);

        run(Retention.CHAT_JOB_USER, CHAT.chatId());
        assertThat(stored()).containsExactly("held user's old message");
        messages.forEachMessage(CHAT, null, m -> assertThat(m.expiresAt()).isNull());
    }

    @Test
    void stamping_shouldMoveTheAttachmentsDueTimeWithItsMessage() {
        Message photo = write("u1", "a photo");
        Attachment pending = Attachment.pending(CHAT.chatId(), photo.messageId(), "att-1", ImageType.PNG, 100, null,
                START);
        attachments.createPending(CHAT, pending, START.plusSeconds(60));
        AttachmentRef ref = new AttachmentRef(CHAT, photo.messageId(), "att-1");

        policies.setChat(CHAT, new ChatRetention(30, false), clock.instant());
        run(Retention.CHAT_JOB_USER, CHAT.chatId());
        assertThat(attachments.retainUntil(ref)).contains(photo.createdAt().plus(Duration.ofDays(30))
                .truncatedTo(ChronoUnit.SECONDS));

        policies.setChat(CHAT, new ChatRetention(30, true), clock.instant());
        run(Retention.CHAT_JOB_USER, CHAT.chatId());
        assertThat(attachments.retainUntil(ref)).as("held: never due").isEmpty();
    }

    @Test
    void expiredMessage_shouldLoseItsAttachments_andGiveTheBlobReferenceBack() {
        Message old = write("u1", "a photo");
        BlobId sha = new BlobId("t1", "cd".repeat(32));
        attachments.createBlob(Blob.unstored(sha, ImageType.PNG, 100, 10, 10, "image/png", START));
        attachments.markBlobStored(sha);
        Attachment pending = Attachment.pending(CHAT.chatId(), old.messageId(), "att-1", ImageType.PNG, 100, null,
                START);
        attachments.createPending(CHAT, pending, START.plusSeconds(60));
        assertThat(attachments.markReady(CHAT, pending.ready(attachments.findBlob(sha).orElseThrow(), START)))
                .isEqualTo(AttachmentRepository.ReadyOutcome.READY);
        clock.advance(Duration.ofDays(2));
        policies.setChat(CHAT, new ChatRetention(1, false), clock.instant());

        run(Retention.CHAT_JOB_USER, CHAT.chatId());

        assertThat(attachments.all()).isEmpty();
        assertThat(attachments.findBlob(sha).orElseThrow().references()).isZero();
    }
}
