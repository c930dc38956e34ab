package dev.chathistory.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chathistory.shared.archive.ArchiveChunk;
import dev.chathistory.shared.archive.ArchivedMessage;
import dev.chathistory.shared.archive.ChatArchiver;
import dev.chathistory.shared.model.ChatRef;
import dev.chathistory.shared.model.Message;
import dev.chathistory.shared.testing.InMemoryArchiveIndex;
import dev.chathistory.shared.testing.InMemoryMessageRepository;
import dev.chathistory.shared.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class OrphanedChunkSweepTest {

    private static final Duration GRACE = Duration.ofHours(24);
    private static final ChatRef CHAT = new ChatRef("t1", "chat-1");
    private static final ChatRef OTHER_CHAT = new ChatRef("t1", "chat-2");

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T00:00:00Z"));
    private final InMemoryArchiveObjects objects = new InMemoryArchiveObjects(clock);
    private final InMemoryMessageRepository messages = new InMemoryMessageRepository();
    private final InMemoryArchiveIndex index = new InMemoryArchiveIndex(messages);
    private final InMemoryArchiveSweepPosition position = new InMemoryArchiveSweepPosition();
    private final OrphanedChunkSweep sweep = new OrphanedChunkSweep(objects, index, position, clock, GRACE);

    @Test
    void run_shouldDeleteOldChunksNoManifestNames_andKeepNamedYoungAndForeignObjects() {
        String neverIndexed = stored(CHAT, "01A", "a");
        ArchiveChunk original = indexed(CHAT, "01B", "b");
        String indexed = indexed(OTHER_CHAT, "01C", "c").objectKey();
        String notAChunk = "archive/t1/notes.txt";
        objects.put(notAChunk);
        ArchiveChunk rewritten = chunk(CHAT, "01B", "b2");
        objects.put(rewritten.objectKey());
        assertThat(index.replace(CHAT, original, rewritten)).isTrue();
        clock.advance(GRACE.plusMinutes(1));
        String young = stored(CHAT, "01D", "d");

        int deleted = sweep.run(TimeBudget.unlimited());

        assertThat(objects.deleted()).containsExactlyInAnyOrder(neverIndexed, original.objectKey());
        assertThat(deleted).isEqualTo(2);
        assertThat(List.of(indexed, rewritten.objectKey(), young, notAChunk)).allMatch(objects::contains);
        assertThat(position.read()).as("the listing reached the end, so the next run starts over").isEmpty();
    }

    @Test
    void run_shouldKeepAnOrphan_whenItsGracePeriodHasNotPassed() {
        String orphan = stored(CHAT, "01A", "a");
        clock.advance(GRACE);

        assertThat(sweep.run(TimeBudget.unlimited())).isZero();
        assertThat(objects.contains(orphan)).isTrue();

        clock.advance(Duration.ofMillis(1));
        assertThat(sweep.run(TimeBudget.unlimited())).isEqualTo(1);
        assertThat(objects.contains(orphan)).isFalse();
    }

    @Test
    void run_shouldKeepAChunk_whenAnArchiveRunWroteItAgainAfterTheListing() {
        String chunk = stored(CHAT, "01A", "a");
        clock.advance(GRACE.plusHours(1));
        objects.afterNextListing(() -> objects.put(chunk));

        assertThat(sweep.run(TimeBudget.unlimited())).isZero();
        assertThat(objects.contains(chunk)).isTrue();
    }

    @Test
    void run_shouldResumeWhereItStopped_whenTheInvocationRunsOutOfTime() {
        int total = OrphanedChunkSweep.PAGE_SIZE + 200;
        for (int i = 0; i < total; i++) {
            stored(CHAT, String.format("01%06d", i), "x" + i);
        }
        clock.advance(GRACE.plusHours(1));
        AtomicInteger checks = new AtomicInteger();
        TimeBudget onePage = new TimeBudget(() -> checks.getAndIncrement() == 0 ? 60_000 : 0, Duration.ofSeconds(30));

        assertThat(sweep.run(onePage)).isEqualTo(OrphanedChunkSweep.PAGE_SIZE);
        assertThat(position.read()).as("saved after the first page").isPresent();
        assertThat(sweep.run(TimeBudget.unlimited())).isEqualTo(200);
        assertThat(position.read()).isEmpty();
        assertThat(objects.deleted()).hasSize(total).doesNotHaveDuplicates();
    }

    @Test
    void run_shouldLookAtABoundedNumberOfObjects_perRun() {
        int total = OrphanedChunkSweep.MAX_OBJECTS_PER_RUN + 10;
        for (int i = 0; i < total; i++) {
            stored(CHAT, String.format("01%06d", i), "x" + i);
        }
        clock.advance(GRACE.plusHours(1));

        assertThat(sweep.run(TimeBudget.unlimited())).isEqualTo(OrphanedChunkSweep.MAX_OBJECTS_PER_RUN);
        assertThat(sweep.run(TimeBudget.unlimited())).isEqualTo(10);
    }

    private String stored(ChatRef chat, String firstMessageId, String content) {
        String key = chunk(chat, firstMessageId, content).objectKey();
        objects.put(key);
        return key;
    }

    private ArchiveChunk indexed(ChatRef chat, String firstMessageId, String content) {
        ArchiveChunk chunk = chunk(chat, firstMessageId, content);
        objects.put(chunk.objectKey());
        // As in DynamoDB, a commit moves at least one hot message into the chunk.
        Message message = Message.first(chat.chatId(), firstMessageId, "u1", false, content, null, clock.instant());
        messages.insert(chat, message);
        index.commit(chat, chunk, List.of(new ArchivedMessage(message, List.of())), true);
        return chunk;
    }

    private ArchiveChunk chunk(ChatRef chat, String firstMessageId, String content) {
        String sha256 = ChatArchiver.sha256(content.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return new ArchiveChunk(chat.chatId(), firstMessageId, firstMessageId + "Z", 1,
                ChatArchiver.objectKey(chat, firstMessageId, sha256), "gzip", 10, 5, sha256, clock.instant());
    }
}
