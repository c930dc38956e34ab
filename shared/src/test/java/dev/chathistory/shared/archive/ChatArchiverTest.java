package dev.chathistory.shared.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chathistory.shared.branches.Branches;
import dev.chathistory.shared.config.ServiceConfig;
import dev.chathistory.shared.error.DomainException;
import dev.chathistory.shared.error.Problem;
import dev.chathistory.shared.ids.MessageIdGenerator;
import dev.chathistory.shared.jobs.JobOutcome;
import dev.chathistory.shared.model.ChatRef;
import dev.chathistory.shared.model.Message;
import dev.chathistory.shared.model.MessageVersion;
import dev.chathistory.shared.retention.Retention;
import dev.chathistory.shared.retry.ConflictRetry;
import dev.chathistory.shared.service.ActivityRecorder;
import dev.chathistory.shared.service.ChatDirectory;
import dev.chathistory.shared.service.MessageEdit;
import dev.chathistory.shared.service.MessageService;
import dev.chathistory.shared.service.NewMessage;
import dev.chathistory.shared.testing.InMemoryArchiveIndex;
import dev.chathistory.shared.testing.InMemoryBranchRepository;
import dev.chathistory.shared.testing.InMemoryMessageRepository;
import dev.chathistory.shared.testing.InMemoryObjectStore;
import dev.chathistory.shared.testing.InMemoryRetentionRepository;
import dev.chathistory.shared.testing.InMemoryUserRepository;
import dev.chathistory.shared.testing.MutableClock;
import dev.chathistory.shared.testing.RecordingMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Archiving, and reading across the boundary, on the in-memory fakes. */
class ChatArchiverTest {

    private static final ChatRef CHAT = new ChatRef("tenant-a", "chat-1");
    private static final Instant FAR_FUTURE = Instant.parse("2099-01-01T00:00:00Z");

    private final InMemoryMessageRepository messages = new InMemoryMessageRepository();
    private final InMemoryArchiveIndex index = new InMemoryArchiveIndex(messages);
    private final InMemoryObjectStore objects = new InMemoryObjectStore();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T10:00:00Z"));
    private final ChatArchiver archiver = new ChatArchiver(messages, index, objects, clock);
    private final MessageService service = new MessageService(messages,
            new ActivityRecorder(new InMemoryUserRepository(), Duration.ofMinutes(1), 8),
            new ChatDirectory(new InMemoryUserRepository(), Duration.ofMinutes(5)),
            new ArchiveReader(index, objects, 1 << 20), new Retention(new InMemoryRetentionRepository(), Duration.ofMinutes(1), new RecordingMetrics(),
                    null, null, clock),
            new Branches(new InMemoryBranchRepository(messages), new RecordingMetrics()), MessageIdGenerator.ulid(),
            clock,
            ServiceConfig.Limits.defaults(), Duration.ofHours(24), new RecordingMetrics(), ConflictRetry.defaults());

    private List<String> appendAll(int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(service.append(CHAT, new NewMessage("u" + (i % 3), i % 2 == 0, "text " + i, null), null)
                    .message().messageId());
        }
        return ids;
    }

    private List<Message> readAll(int limit, boolean includeDeleted) {
        List<Message> all = new ArrayList<>();
        String cursor = null;
        do {
            var page = service.list(CHAT, limit, cursor, includeDeleted);
            assertThat(page.items().size()).isLessThanOrEqualTo(limit);
            all.addAll(page.items());
            cursor = page.nextCursor().orElse(null);
        } while (cursor != null);
        return all;
    }

    @Test
    void aChunkSwappedAfterThePageFoundIt_isReadFromTheNewManifestEntry() throws InterruptedException {
        appendAll(30);
        Thread.sleep(3);
        Instant cutoff = Instant.now();
        Thread.sleep(3);
        appendAll(10);
        archiver.archiveOlderThan(CHAT, cutoff, new JobOutcome.Counts());
        List<Message> before = readAll(50, true);
        ArchiveChunk chunk = index.listAll(CHAT).get(0);
        // As an erase does: the chunk's content under a new object, the entry swapped, the old
        // object deleted, all after the history Query found the old entry.
        AtomicBoolean swapped = new AtomicBoolean();
        ObjectStore swapping = new ObjectStore() {
            @Override
            public java.util.Optional<byte[]> get(String key) {
                if (key.equals(chunk.objectKey()) && swapped.compareAndSet(false, true)) {
                    String moved = chunk.objectKey() + "-rewritten";
                    objects.put(moved, objects.get(key).orElseThrow(), "application/gzip");
                    index.replace(CHAT, chunk, new ArchiveChunk(chunk.chatId(), chunk.firstMessageId(),
                            chunk.lastMessageId(), chunk.messageCount(), moved, chunk.codec(), chunk.rawBytes(),
                            chunk.storedBytes(), chunk.sha256(), chunk.archivedAt()));
                    objects.delete(key);
                }
                return objects.get(key);
            }

            @Override
            public void put(String key, byte[] bytes, String contentType) {
                objects.put(key, bytes, contentType);
            }

            @Override
            public void put(String key, java.nio.file.Path file, String contentType) {
                objects.put(key, file, contentType);
            }

            @Override
            public void delete(String key) {
                objects.delete(key);
            }

            @Override
            public List<String> list(String prefix) {
                return objects.list(prefix);
            }

            @Override
            public String downloadUrl(String key, Duration validFor) {
                return objects.downloadUrl(key, validFor);
            }
        };
        MessageService reading = new MessageService(messages,
                new ActivityRecorder(new InMemoryUserRepository(), Duration.ofMinutes(1), 8),
                new ChatDirectory(new InMemoryUserRepository(), Duration.ofMinutes(5)),
                new ArchiveReader(index, swapping, 1 << 20), new Retention(new InMemoryRetentionRepository(), Duration.ofMinutes(1), new RecordingMetrics(),
                    null, null, clock),
                new Branches(new InMemoryBranchRepository(messages), new RecordingMetrics()),
                MessageIdGenerator.ulid(), clock,
                ServiceConfig.Limits.defaults(), Duration.ofHours(24), new RecordingMetrics(), ConflictRetry.defaults());

        var page = reading.list(CHAT, 50, null, true);

        assertThat(swapped).isTrue();
        assertThat(page.items()).containsExactlyElementsOf(before);
    }

    @Test
    void archive_shouldMoveOnlyOlderMessages_andPagingShouldNotNotice() throws InterruptedException {
        List<String> ids = appendAll(250);
        for (int i = 0; i < ids.size(); i += 9) {
            service.delete(CHAT, ids.get(i), 1);
        }
        service.edit(CHAT, ids.get(10), 1, new MessageEdit("edited", false, null));
        Thread.sleep(3);
        Instant cutoff = Instant.now();
        Thread.sleep(3);
        appendAll(30);
        List<Message> visible = readAll(100, false);
        List<Message> all = readAll(100, true);

        JobOutcome.Counts counts = new JobOutcome.Counts();
        archiver.archiveOlderThan(CHAT, cutoff, counts);

        assertThat(counts.get("messagesArchived")).isEqualTo(250);
        assertThat(counts.get("chunksWritten")).isEqualTo(3);
        assertThat(messages.messageCount(CHAT)).isEqualTo(30);
        for (int limit : new int[] {1, 3, 30, 31, 99, 100}) {
            assertThat(readAll(limit, false)).as("limit %d", limit).isEqualTo(visible);
            assertThat(readAll(limit, true)).as("limit %d", limit).isEqualTo(all);
        }
        assertThat(service.versions(CHAT, ids.get(10), 10, null).items()).extracting(MessageVersion::text)
                .containsExactly("edited", "text 10");
    }

    @Test
    void anEditLandingDuringArchival_shouldCancelTheCommit_andNeverBeLost() {
        List<String> ids = appendAll(5);
        AtomicBoolean edited = new AtomicBoolean();
        index.beforeCommit(() -> {
            if (edited.compareAndSet(false, true)) {
                service.edit(CHAT, ids.get(2), 1, new MessageEdit("late edit", false, null));
            }
        });

        JobOutcome.Counts counts = new JobOutcome.Counts();
        archiver.archiveOlderThan(CHAT, FAR_FUTURE, counts);

        assertThat(counts.get("conflictsRetried")).isEqualTo(1);
        assertThat(counts.get("messagesArchived")).isEqualTo(5);
        assertThat(service.get(CHAT, ids.get(2), false).text()).isEqualTo("late edit");
        assertThat(objects.list("archive/")).as("the cancelled chunk's object is removed").hasSize(1);
        assertThatThrownBy(() -> service.edit(CHAT, ids.get(2), 2, new MessageEdit("x", false, null)))
                .isInstanceOfSatisfying(DomainException.class,
                        e -> assertThat(e.problem()).isEqualTo(Problem.MESSAGE_ARCHIVED));
    }

    @Test
    void archiveTwice_shouldWriteNothingTheSecondTime() {
        appendAll(120);
        archiver.archiveOlderThan(CHAT, FAR_FUTURE, new JobOutcome.Counts());
        List<String> objectsAfterFirst = objects.list("archive/");

        JobOutcome.Counts second = new JobOutcome.Counts();
        archiver.archiveOlderThan(CHAT, FAR_FUTURE, second);

        assertThat(second.get("messagesArchived")).isZero();
        assertThat(objects.list("archive/")).isEqualTo(objectsAfterFirst);
        assertThat(readAll(50, true)).hasSize(120);
    }

    @Test
    void aMessageWithMoreVersionsThanOneCommitHolds_shouldBeArchivedAlone() {
        String id = appendAll(1).get(0);
        for (long v = 1; v <= 120; v++) {
            service.edit(CHAT, id, v, new MessageEdit("text v" + (v + 1), false, null));
        }
        appendAll(3);

        JobOutcome.Counts counts = new JobOutcome.Counts();
        archiver.archiveOlderThan(CHAT, FAR_FUTURE, counts);

        assertThat(counts.get("chunksWritten")).isEqualTo(2);
        assertThat(messages.storedVersions(CHAT, id)).as("versions deleted after the commit").isEmpty();
        var versions = service.versions(CHAT, id, 100, null);
        assertThat(versions.items()).hasSize(100);
        assertThat(service.versions(CHAT, id, 100, versions.nextCursor().orElseThrow()).items()).hasSize(21);
    }
}
