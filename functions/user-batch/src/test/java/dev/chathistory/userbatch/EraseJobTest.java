package dev.chathistory.userbatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chathistory.shared.archive.ArchiveReader;
import dev.chathistory.shared.archive.ChatArchiver;
import dev.chathistory.shared.archive.ObjectStore;
import dev.chathistory.shared.attachments.Attachment;
import dev.chathistory.shared.attachments.AttachmentRepository;
import dev.chathistory.shared.attachments.Blob;
import dev.chathistory.shared.attachments.BlobId;
import dev.chathistory.shared.attachments.ImageType;
import dev.chathistory.shared.ids.MessageIdGenerator;
import dev.chathistory.shared.jobs.JobOutcome;
import dev.chathistory.shared.jobs.JobRequest;
import dev.chathistory.shared.jobs.JobRun;
import dev.chathistory.shared.jobs.LeaseBusyException;
import dev.chathistory.shared.jobs.Leases;
import dev.chathistory.shared.jobs.JobType;
import dev.chathistory.shared.json.Json;
import dev.chathistory.shared.model.ChatRef;
import dev.chathistory.shared.model.IdempotencyRecord;
import dev.chathistory.shared.model.Message;
import dev.chathistory.shared.model.UserRef;
import dev.chathistory.shared.testing.InMemoryArchiveIndex;
import dev.chathistory.shared.testing.InMemoryAttachmentRepository;
import dev.chathistory.shared.testing.InMemoryErasures;
import dev.chathistory.shared.testing.InMemoryJobRepository;
import dev.chathistory.shared.testing.InMemoryLeases;
import dev.chathistory.shared.testing.InMemoryMultipartUploads;
import dev.chathistory.shared.testing.InMemoryMessageRepository;
import dev.chathistory.shared.testing.InMemoryObjectStore;
import dev.chathistory.shared.testing.InMemoryRetentionRepository;
import dev.chathistory.shared.testing.InMemoryUserRepository;
import dev.chathistory.shared.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Erase on the in-memory fakes: complete, and resumable after a crash part-way. */
class EraseJobTest {

    private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");
    private static final UserRef LEAVING = new UserRef("t1", "leaving");
    private static final UserRef STAYING = new UserRef("t1", "staying");
    private static final Duration LEASE_TTL = Duration.ofMinutes(5);
    private static final Duration SETTLE_DELAY = Duration.ofSeconds(330);

    private final InMemoryMessageRepository messages = new InMemoryMessageRepository();
    private final InMemoryArchiveIndex index = new InMemoryArchiveIndex(messages);
    private final InMemoryObjectStore stored = new InMemoryObjectStore();
    private boolean crashOnNextRewrite;
    /** Fails the first chunk rewrite it is asked for, as a recycled container would, mid-chat. */
    private final ObjectStore objects = new ObjectStore() {
        @Override
        public void put(String key, byte[] bytes, String contentType) {
            if (crashOnNextRewrite && key.startsWith("archive/")) {
                crashOnNextRewrite = false;
                throw new IllegalStateException("container recycled");
            }
            stored.put(key, bytes, contentType);
        }

        @Override
        public void put(String key, Path file, String contentType) {
            stored.put(key, file, contentType);
        }

        @Override
        public Optional<byte[]> get(String key) {
            return stored.get(key);
        }

        @Override
        public void delete(String key) {
            stored.delete(key);
        }

        @Override
        public List<String> list(String prefix) {
            return stored.list(prefix);
        }

        @Override
        public String downloadUrl(String key, Duration validFor) {
            return stored.downloadUrl(key, validFor);
        }
    };
    private final ArchiveReader archive = new ArchiveReader(index, objects, 1 << 20);
    private final MutableClock clock = new MutableClock(NOW);
    private final MessageIdGenerator ids = MessageIdGenerator.ulid();
    private final InMemoryUserRepository users = new InMemoryUserRepository();
    private final InMemoryAttachmentRepository attachments = new InMemoryAttachmentRepository(messages);
    private final InMemoryJobRepository jobs = new InMemoryJobRepository();
    private final InMemoryErasures erasures = new InMemoryErasures();
    private final InMemoryLeases leases = new InMemoryLeases();
    private final InMemoryMultipartUploads uploads = new InMemoryMultipartUploads(stored);
    private final InMemoryRetentionRepository holds = new InMemoryRetentionRepository();
    private final EraseJob job = new EraseJob(new ChatEraser(messages, index, archive, objects, attachments, clock),
            users, objects, uploads, jobs, erasures, leases, clock, LEASE_TTL, SETTLE_DELAY, holds);
    private final JobRequest request = new JobRequest("job-erase", JobType.ERASE, "t1", LEAVING.userId(), null);

    private void write(UserRef user, String chatId, String text) {
        ChatRef chat = new ChatRef(user.tenantId(), chatId);
        String id = ids.nextId();
        messages.claimIdempotencyKey(chat, new IdempotencyRecord("key-" + id, "hash", id, NOW, NOW.plusSeconds(3600)),
                NOW);
        messages.insert(chat, Message.first(chatId, id, user.userId(), false, text, null, NOW));
        users.rememberChat(user, chatId, NOW);
    }

    private List<Message> everything(String chatId) {
        ChatRef chat = new ChatRef("t1", chatId);
        List<Message> all = new ArrayList<>();
        messages.forEachMessage(chat, null, all::add);
        index.listAll(chat).forEach(chunk -> archive.read(chat, chunk).forEach(m -> all.add(m.message())));
        return all;
    }

    /** One delivery of the erase, as the job runner makes it (the record exists, a fresh run token). */
    private JobOutcome deliver() {
        jobs.start(request, 1, clock.instant(), clock.instant().plus(Duration.ofDays(1)));
        return job.run(JobRun.of(request));
    }

    /** Deliveries until the erase finishes, the clock moving on by each delay it asks for. */
    private JobOutcome erase() {
        JobOutcome outcome = deliver();
        while (!outcome.finished()) {
            clock.advance(outcome.continueAfter());
            outcome = deliver();
        }
        return outcome;
    }

    @Test
    void erase_shouldResumeAfterACrash_andLeaveNothingOfTheUser() {
        for (String chat : List.of("chat-a", "chat-b", "chat-c")) {
            for (int i = 0; i < 4; i++) {
                write(i % 2 == 0 ? LEAVING : STAYING, chat, chat + " " + i);
            }
        }
        // chat-b partly archived: its archive mixes both users.
        new ChatArchiver(messages, index, objects, clock)
                .archiveOlderThan(new ChatRef("t1", "chat-b"), Instant.now().plusSeconds(60), new JobOutcome.Counts());
        users.putSettings(LEAVING, Json.object().put("language", "de"), OptionalLong.empty(), NOW);
        objects.put("exports/t1/leaving/old.jsonl.gz", new byte[] {1}, "application/gzip");

        crashOnNextRewrite = true;
        assertThatThrownBy(this::erase).hasMessage("container recycled");
        assertThat(users.listChats(LEAVING)).as("unfinished chats stay listed").containsExactly("chat-b", "chat-c");
        assertThat(everything("chat-b")).as("chat-b half erased: hot gone, archive not yet")
                .anySatisfy(m -> assertThat(m.userId()).isEqualTo(LEAVING.userId()));

        JobOutcome outcome = erase();

        assertThat(outcome.counts()).containsEntry("verified", 1L).containsEntry("chunksRewritten", 1L);
        for (String chat : List.of("chat-a", "chat-b", "chat-c")) {
            assertThat(everything(chat)).as(chat).hasSize(2)
                    .allSatisfy(m -> assertThat(m.userId()).isEqualTo(STAYING.userId()));
            assertThat(messages.listIdempotencyRecords(new ChatRef("t1", chat))).hasSize(2);
        }
        assertThat(users.hasAnyData(LEAVING)).isFalse();
        assertThat(users.findSettings(LEAVING).version()).isZero();
        assertThat(objects.list("exports/t1/leaving/")).isEmpty();
        assertThat(users.listChats(STAYING)).hasSize(3);
    }

    @Test
    void erase_shouldDropTheUsersAttachments_andGiveTheirBlobReferencesBack() {
        write(LEAVING, "chat-a", "a photo");
        write(STAYING, "chat-a", "the same photo");
        ChatRef chat = new ChatRef("t1", "chat-a");
        BlobId sha = new BlobId(chat.tenantId(), "ab".repeat(32));
        attachments.createBlob(Blob.unstored(sha, ImageType.PNG, 100, 10, 10, "image/png", NOW));
        attachments.markBlobStored(sha);
        Blob blob = attachments.findBlob(sha).orElseThrow();
        List<Message> written = everything("chat-a");
        for (Message message : written) {
            Attachment pending = Attachment.pending("chat-a", message.messageId(), "att-" + message.userId(),
                    ImageType.PNG, 100, null, NOW);
            attachments.createPending(chat, pending, NOW.plusSeconds(60));
            assertThat(attachments.markReady(chat, pending.ready(blob, NOW)))
                    .isEqualTo(AttachmentRepository.ReadyOutcome.READY);
        }
        assertThat(attachments.findBlob(sha).orElseThrow().references()).isEqualTo(2);

        JobOutcome outcome = erase();

        assertThat(outcome.counts()).containsEntry("attachmentsErased", 1L);
        assertThat(attachments.all()).singleElement()
                .satisfies(a -> assertThat(a.attachmentId()).isEqualTo("att-" + STAYING.userId()));
        assertThat(attachments.findBlob(sha).orElseThrow().references()).isEqualTo(1);
    }

    @Test
    void erase_shouldFailBeforeDeletingAnything_whenALegalHoldIsOnTheUser() {
        write(LEAVING, "chat-a", "kept by the hold");
        holds.setUserHeld(LEAVING, true, NOW);

        assertThatThrownBy(this::deliver).isInstanceOf(EraseJob.LegalHoldException.class)
                .hasMessageContaining("legal hold");

        assertThat(everything("chat-a")).hasSize(1);
        assertThat(erasures.erasedUpTo(LEAVING)).isEmpty();

        holds.setUserHeld(LEAVING, false, NOW);
        assertThat(erase().counts()).containsEntry("verified", 1L);
        assertThat(holds.heldItems()).as("a lifted hold leaves nothing behind").isEmpty();
    }

    @Test
    void erase_shouldRecordTheTombstoneAndItsPlan_beforeDeletingAnything() {
        write(LEAVING, "chat-a", "hello");
        crashOnNextRewrite = false;
        leases.tryAcquire(Leases.chat(new ChatRef("t1", "chat-a")), "an archive job", NOW, LEASE_TTL);

        assertThatThrownBy(this::deliver).isInstanceOf(LeaseBusyException.class);

        assertThat(erasures.erasedUpTo(LEAVING)).contains(NOW);
        assertThat(jobs.checkpoint(request)).hasValueSatisfying(plan -> assertThat(plan).contains("chat-a"));
        assertThat(everything("chat-a")).as("nothing deleted while the chat's lease is held elsewhere").hasSize(1);
        assertThat(leases.holder(Leases.user(LEAVING))).as("the user's lease is given back").isEmpty();
    }

    @Test
    void erase_shouldWaitForTheUsersLease_whileAnotherJobOfTheUserRuns() {
        write(LEAVING, "chat-a", "hello");
        leases.tryAcquire(Leases.user(LEAVING), "an export job", NOW, LEASE_TTL);

        assertThatThrownBy(this::deliver).isInstanceOf(LeaseBusyException.class)
                .satisfies(e -> assertThat(((LeaseBusyException) e).busyUntil()).isEqualTo(NOW.plus(LEASE_TTL)));
        assertThat(everything("chat-a")).hasSize(1);
    }

    @Test
    void erase_shouldVisitAChatFiledAfterItStarted_whenRerunAfterACrash() {
        write(LEAVING, "chat-a", "a");
        write(LEAVING, "chat-b", "b");
        write(STAYING, "chat-b", "reply");
        new ChatArchiver(messages, index, objects, clock)
                .archiveOlderThan(new ChatRef("t1", "chat-b"), Instant.now().plusSeconds(60), new JobOutcome.Counts());
        crashOnNextRewrite = true;
        assertThatThrownBy(this::deliver).hasMessage("container recycled");
        // Written just before the erase began, filed after its plan was made (a slow append).
        messages.insert(new ChatRef("t1", "chat-late"), Message.first("chat-late", ids.nextId(), LEAVING.userId(),
                false, "late", null, NOW.minusMillis(1)));
        users.rememberChat(LEAVING, "chat-late", NOW);

        JobOutcome outcome = erase();

        assertThat(outcome.counts()).containsEntry("verified", 1L);
        assertThat(everything("chat-late")).isEmpty();
        assertThat(everything("chat-b")).extracting(Message::userId).containsExactly(STAYING.userId());
        assertThat(stored.list("archive/")).as("the replaced chunk's object is gone too").hasSize(1);
    }

    @Test
    void erase_shouldFileAgainAChatTheUserWroteInAfterItWasForgotten_onceTheDirectoryMemoryHasPassed() {
        write(LEAVING, "chat-a", "before");
        JobOutcome first = deliver();
        assertThat(first.finished()).as("waits for the API's directory memory to pass").isFalse();
        assertThat(first.continueAfter()).isEqualTo(SETTLE_DELAY);
        assertThat(users.listChats(LEAVING)).isEmpty();
        // A warm API container still remembers having filed chat-a: the new message is not filed.
        clock.advance(Duration.ofSeconds(10));
        messages.insert(new ChatRef("t1", "chat-a"), Message.first("chat-a", ids.nextId(), LEAVING.userId(), false,
                "after", null, clock.instant()));
        clock.advance(SETTLE_DELAY);

        JobOutcome outcome = deliver();

        assertThat(outcome.counts()).containsEntry("verified", 1L).containsEntry("chatsFiledAgain", 1L);
        assertThat(users.listChats(LEAVING)).containsExactly("chat-a");
        assertThat(everything("chat-a")).extracting(Message::text).containsExactly("after");
    }

    @Test
    void erase_shouldAbortAHalfUploadedExport_andDeleteItsCarry() {
        write(LEAVING, "chat-a", "hello");
        uploads.start("exports/t1/leaving/01JDZ3Q6X8V1K2M3N4P5R6S7T8.jsonl.gz", "application/gzip");
        stored.put("exports/t1/leaving/01JDZ3Q6X8V1K2M3N4P5R6S7T8.carry-1", new byte[] {1}, "application/gzip");

        JobOutcome outcome = erase();

        assertThat(outcome.counts()).containsEntry("exportUploadsAborted", 1L).containsEntry("exportsErased", 1L);
        assertThat(uploads.openUploads()).isZero();
        assertThat(stored.list("exports/")).isEmpty();
    }

    @Test
    void erase_shouldVisitAChatAgain_whenTheFinalReadBackFindsAMessageThatLandedLate() {
        write(LEAVING, "chat-a", "hello");
        assertThat(deliver().finished()).isFalse();
        // Written just before the cutoff, stored only now (a slow append), in a chat already done.
        messages.insert(new ChatRef("t1", "chat-a"), Message.first("chat-a", ids.nextId(), LEAVING.userId(), false,
                "late", null, NOW.minusMillis(1)));
        clock.advance(SETTLE_DELAY);

        assertThatThrownBy(this::deliver).hasMessageContaining("still found");
        JobOutcome outcome = erase();

        assertThat(outcome.counts()).containsEntry("verified", 1L);
        assertThat(everything("chat-a")).isEmpty();
    }
}
