package dev.chathistory.shared.testing.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chathistory.shared.archive.ArchiveChunk;
import dev.chathistory.shared.archive.ArchiveConflictException;
import dev.chathistory.shared.archive.ArchiveIndex;
import dev.chathistory.shared.archive.ArchivedMessage;
import dev.chathistory.shared.archive.ChatArchiver;
import dev.chathistory.shared.model.ChatRef;
import dev.chathistory.shared.model.Message;
import dev.chathistory.shared.model.ReadConsistency;
import dev.chathistory.shared.repository.HistoryPage;
import dev.chathistory.shared.repository.MessageRepository;
import dev.chathistory.shared.repository.StaleVersionException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What callers of {@link ArchiveIndex} rely on (the archiver, the archive reader, the user-batch
 * erase and export, maintenance's orphaned-chunk sweep), run against the in-memory fake and
 * against DynamoDB on the emulator: chunks listed newest first, the chunk covering an id, a
 * commit that adds the entry and deletes the hot items all together or not at all, swaps and
 * removals only of the entry the caller read, and archives kept apart per tenant. The DynamoDB
 * implementation is the truth: where the two disagree, the fake is what changes.
 *
 * <p>The index shares the chat's partition with the hot messages, so the contract gets a message
 * repository over the same storage: commits delete from it. Times are whole milliseconds.
 */
public abstract class ArchiveIndexContract {

    protected static final Instant NOW = Instant.parse("2026-12-01T10:00:00.000Z");
    private static final String CHAT_ID = "chat-1";

    /** The archive index and the message repository whose hot items it deletes, over one store. */
    public record Repositories(ArchiveIndex index, MessageRepository messages) {
    }

    /** New repositories over empty storage; each test gets its own. */
    protected abstract Repositories newRepositories();

    private ArchiveIndex index;
    private MessageRepository messages;
    private ChatRef chat;
    private ChatRef otherTenantsChat;

    @BeforeEach
    void freshRepositories() {
        Repositories repositories = newRepositories();
        index = repositories.index();
        messages = repositories.messages();
        // Unique tenants per test, so a subclass may share one table between tests.
        String run = Long.toString(System.nanoTime(), 36);
        chat = new ChatRef("tenant-a-" + run, CHAT_ID);
        otherTenantsChat = new ChatRef("tenant-b-" + run, CHAT_ID);
    }

    private static String id(int n) {
        return String.format("01JE0000000000000000000%03d", n);
    }

    private Message hot(ChatRef where, int n) {
        Message m = Message.first(where.chatId(), id(n), "u1", false, "text " + n, null, NOW.plusMillis(n));
        messages.insert(where, m);
        return m;
    }

    private List<Message> hot(ChatRef where, int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(n -> hot(where, n)).toList();
    }

    private Message edit(ChatRef where, Message current) {
        Message next = current.nextVersion("text v" + (current.version() + 1), null, false,
                current.versionCreatedAt().plusSeconds(1));
        messages.replace(where, next, current.version(), current.toVersion());
        return next;
    }

    /** A message as the archiver reads it: with every superseded version stored for it. */
    private ArchivedMessage asRead(ChatRef where, Message m) {
        return new ArchivedMessage(m, messages.listAllVersions(where, m.messageId(), m.version()));
    }

    private List<ArchivedMessage> asRead(ChatRef where, List<Message> ms) {
        return ms.stream().map(m -> asRead(where, m)).toList();
    }

    /** An entry for {@code ms} whose object key is named by {@code content}'s hash, as the archiver's are. */
    private static ArchiveChunk chunkOf(ChatRef where, List<Message> ms, String content) {
        String first = ms.get(0).messageId();
        String sha256 = ChatArchiver.sha256(content.getBytes(StandardCharsets.UTF_8));
        return new ArchiveChunk(where.chatId(), first, ms.get(ms.size() - 1).messageId(), ms.size(),
                ChatArchiver.objectKey(where, first, sha256), "gzip", 1000, 300, sha256, NOW);
    }

    /** An erase's rewrite: same range (it is the chunk's place in the chat), new content and key. */
    private static ArchiveChunk rewritten(ChatRef where, ArchiveChunk chunk, String content) {
        String sha256 = ChatArchiver.sha256(content.getBytes(StandardCharsets.UTF_8));
        return new ArchiveChunk(chunk.chatId(), chunk.firstMessageId(), chunk.lastMessageId(), 1,
                ChatArchiver.objectKey(where, chunk.firstMessageId(), sha256), "gzip", 500, 150, sha256,
                NOW.plusSeconds(60));
    }

    /** Stores messages {@code from} to {@code to} and archives them as one chunk. */
    private ArchiveChunk archive(ChatRef where, int from, int to) {
        List<Message> ms = hot(where, from, to);
        ArchiveChunk chunk = chunkOf(where, ms, "chunk " + from + "-" + to);
        index.commit(where, chunk, asRead(where, ms), true);
        return chunk;
    }

    // ------------------------------------------------------------------ listing

    @Test
    void reads_shouldFindNoChunks_whenNothingWasArchived_evenWithHotMessagesInThePartition() {
        hot(chat, 1, 3);

        assertThat(index.listNewestFirst(chat, null, 10)).isEmpty();
        assertThat(index.listAll(chat)).isEmpty();
        assertThat(index.findCovering(chat, id(2))).isEmpty();
    }

    @Test
    void listNewestFirst_shouldListChunksNewestFirst_upToTheLimit() {
        ArchiveChunk oldest = archive(chat, 1, 2);
        ArchiveChunk middle = archive(chat, 3, 4);
        ArchiveChunk newest = archive(chat, 5, 6);
        hot(chat, 7);

        assertThat(index.listNewestFirst(chat, null, 10)).containsExactly(newest, middle, oldest);
        assertThat(index.listNewestFirst(chat, null, 2)).containsExactly(newest, middle);
    }

    @Test
    void listNewestFirst_shouldListChunksStartingBelowTheIdGiven_includingOneThatCoversIt() {
        // The reader resumes below the last message it returned, which may lie inside a chunk;
        // a chunk starting at that id holds nothing below it.
        ArchiveChunk oldest = archive(chat, 1, 2);
        ArchiveChunk middle = archive(chat, 3, 4);
        ArchiveChunk newest = archive(chat, 5, 6);
        hot(chat, 7);

        assertThat(index.listNewestFirst(chat, id(7), 10)).as("below the hot messages")
                .containsExactly(newest, middle, oldest);
        assertThat(index.listNewestFirst(chat, id(6), 10)).containsExactly(newest, middle, oldest);
        assertThat(index.listNewestFirst(chat, id(5), 10)).containsExactly(middle, oldest);
        assertThat(index.listNewestFirst(chat, id(5), 1)).containsExactly(middle);
        assertThat(index.listNewestFirst(chat, id(1), 10)).isEmpty();
    }

    @Test
    void listAll_shouldListEveryChunkNewestFirst_acrossPagesOf100() {
        // Erase, export and the orphan sweep see the chat's archive only through listAll.
        List<ArchiveChunk> chunks = new ArrayList<>();
        for (int n = 1; n <= 101; n++) {
            chunks.add(archive(chat, n, n));
        }
        Collections.reverse(chunks);

        assertThat(index.listAll(chat)).containsExactlyElementsOf(chunks);
    }

    // ------------------------------------------------------------------ findCovering

    @Test
    void findCovering_shouldFindTheChunkWhoseRangeHoldsTheId_andNothingOutsideEveryRange() {
        ArchiveChunk lower = archive(chat, 1, 3);
        ArchiveChunk upper = archive(chat, 5, 6);
        hot(chat, 7);

        for (int n : new int[] {1, 2, 3}) {
            assertThat(index.findCovering(chat, id(n))).as(id(n)).contains(lower);
        }
        for (int n : new int[] {5, 6}) {
            assertThat(index.findCovering(chat, id(n))).as(id(n)).contains(upper);
        }
        assertThat(index.findCovering(chat, id(0))).as("below every chunk").isEmpty();
        assertThat(index.findCovering(chat, id(4))).as("between two chunks").isEmpty();
        assertThat(index.findCovering(chat, id(7))).as("a hot message").isEmpty();
    }

    // ------------------------------------------------------------------ commit

    @Test
    void commit_shouldAddTheEntryAndDeleteTheHotMessages_keepingEveryFieldOfTheEntry() {
        List<Message> ms = hot(chat, 1, 3);
        ArchiveChunk chunk = chunkOf(chat, ms.subList(0, 2), "c");

        index.commit(chat, chunk, asRead(chat, ms.subList(0, 2)), true);

        assertThat(index.listAll(chat)).containsExactly(chunk);
        assertThat(index.findCovering(chat, id(2))).contains(chunk);
        assertThat(messages.find(chat, id(1))).isEmpty();
        assertThat(messages.find(chat, id(2))).isEmpty();
        assertThat(messages.find(chat, id(3))).as("not in the chunk").contains(ms.get(2));
    }

    @Test
    void commit_shouldPutTheChunkWhereAHistoryReadReachesIt_rightAfterTheHotMessages() {
        // One Query reads the hot messages and on into the manifest: they share the partition.
        ArchiveChunk chunk = archive(chat, 1, 2);
        hot(chat, 3, 4);

        HistoryPage page = messages.listNewestFirst(chat, 10, null, false, ReadConsistency.STRONG);

        assertThat(page.items()).extracting(Message::messageId).containsExactly(id(4), id(3));
        assertThat(page.resumeAfter()).isEmpty();
        assertThat(page.archiveStart()).containsExactly(chunk);
        assertThat(page.moreArchive()).isFalse();
    }

    @Test
    void commit_shouldDeleteTheSupersededVersionsGiven_whenWithVersions() {
        Message current = edit(chat, edit(chat, hot(chat, 1)));
        ArchivedMessage read = asRead(chat, current);
        assertThat(read.versions()).hasSize(2);

        index.commit(chat, chunkOf(chat, List.of(current), "c"), List.of(read), true);

        assertThat(messages.listAllVersions(chat, id(1), 3)).isEmpty();
        assertThat(messages.deleteVersions(chat, id(1))).isZero();
    }

    @Test
    void commit_shouldDeleteOnlyTheVersionsGiven_soAStraySnapshotOutlivesIt() {
        // A replace that lost its condition leaves a copy of the current version, which no
        // listing shows, so the archiver never names it: the transaction deletes what it names.
        Message second = edit(chat, hot(chat, 1));
        Message third = second.nextVersion("third", null, false, NOW.plusSeconds(9));
        assertThatThrownBy(() -> messages.replace(chat, third, 7, second.toVersion()))
                .isInstanceOf(StaleVersionException.class);

        index.commit(chat, chunkOf(chat, List.of(second), "c"), List.of(asRead(chat, second)), true);

        assertThat(messages.listAllVersions(chat, id(1), 2)).isEmpty();
        assertThat(messages.deleteVersions(chat, id(1))).as("the stray copy of version 2").isEqualTo(1);
    }

    @Test
    void commit_shouldLeaveTheVersions_whenWithoutVersions() {
        Message current = edit(chat, hot(chat, 1));
        ArchivedMessage read = asRead(chat, current);

        index.commit(chat, chunkOf(chat, List.of(current), "c"), List.of(read), false);

        assertThat(messages.find(chat, id(1))).isEmpty();
        assertThat(messages.listAllVersions(chat, id(1), 2)).as("the caller deletes them next")
                .containsExactlyElementsOf(read.versions());
    }

    @Test
    void commit_shouldTakeAMessageAndItsVersions_whenTheyFillOneTransactionExactly() {
        Message current = hot(chat, 1);
        for (int i = 0; i < 98; i++) {
            current = edit(chat, current);
        }
        List<ArchivedMessage> read = List.of(asRead(chat, current));
        assertThat(index.fits(read)).isTrue();

        index.commit(chat, chunkOf(chat, List.of(current), "c"), read, true);

        assertThat(messages.find(chat, id(1))).isEmpty();
        assertThat(messages.listAllVersions(chat, id(1), 99)).isEmpty();
        assertThat(index.listAll(chat)).hasSize(1);
    }

    @Test
    void commit_shouldRefuseMoreDeletesThanFit_butTakeTheMessageAloneWithoutItsVersions() {
        Message current = hot(chat, 1);
        for (int i = 0; i < 99; i++) {
            current = edit(chat, current);
        }
        List<ArchivedMessage> read = List.of(asRead(chat, current));
        ArchiveChunk chunk = chunkOf(chat, List.of(current), "c");
        assertThat(index.fits(read)).isFalse();

        assertThatThrownBy(() -> index.commit(chat, chunk, read, true)).isInstanceOf(IllegalArgumentException.class);
        assertThat(index.listAll(chat)).isEmpty();
        assertThat(messages.find(chat, id(1))).contains(current);

        index.commit(chat, chunk, read, false);
        assertThat(index.listAll(chat)).containsExactly(chunk);
        assertThat(messages.find(chat, id(1))).isEmpty();
        assertThat(messages.listAllVersions(chat, id(1), 100)).hasSize(99);
    }

    @Test
    void commit_shouldThrow_whenGivenNoMessages() {
        // An entry with nothing moved into it would name messages that are still hot.
        Message m = hot(chat, 1);

        assertThatThrownBy(() -> index.commit(chat, chunkOf(chat, List.of(m), "c"), List.of(), true))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(index.listAll(chat)).isEmpty();
    }

    @Test
    void commit_shouldThrowAndWriteNothing_whenAMessageWasEditedSinceItWasRead() {
        List<Message> ms = hot(chat, 1, 2);
        List<ArchivedMessage> read = asRead(chat, ms);
        Message edited = edit(chat, ms.get(1));

        assertThatThrownBy(() -> index.commit(chat, chunkOf(chat, ms, "c"), read, true))
                .isInstanceOf(ArchiveConflictException.class);

        assertThat(index.listAll(chat)).isEmpty();
        assertThat(messages.find(chat, id(1))).contains(ms.get(0));
        assertThat(messages.find(chat, id(2))).contains(edited);
        assertThat(messages.listAllVersions(chat, id(2), 2)).containsExactly(ms.get(1).toVersion());
    }

    @Test
    void commit_shouldThrowAndWriteNothing_whenAMessageWasErasedSinceItWasRead() {
        List<Message> ms = hot(chat, 1, 2);
        List<ArchivedMessage> read = asRead(chat, ms);
        messages.deleteMessage(chat, id(2));

        assertThatThrownBy(() -> index.commit(chat, chunkOf(chat, ms, "c"), read, true))
                .isInstanceOf(ArchiveConflictException.class);

        assertThat(index.listAll(chat)).isEmpty();
        assertThat(messages.find(chat, id(1))).contains(ms.get(0));
    }

    @Test
    void commit_shouldThrowAndWriteNothing_whenAnEntryStartsAtTheSameId() {
        // The only check here is the entry's: message 2 is still hot at the version given.
        ArchiveChunk first = archive(chat, 1, 1);
        Message other = hot(chat, 2);
        ArchiveChunk sameStart = new ArchiveChunk(CHAT_ID, id(1), id(2), 1, first.objectKey() + "-other", "gzip",
                10, 5, first.sha256(), NOW);

        assertThatThrownBy(() -> index.commit(chat, sameStart, List.of(asRead(chat, other)), true))
                .isInstanceOf(ArchiveConflictException.class);

        assertThat(index.listAll(chat)).containsExactly(first);
        assertThat(messages.find(chat, id(2))).contains(other);
    }

    @Test
    void commit_shouldThrowWhenRepeated_leavingTheFirstEntryForTheRetryToFind() {
        // A run that lost (or repeated) its commit keeps its object only if the entry names it.
        List<Message> ms = hot(chat, 1, 2);
        List<ArchivedMessage> read = asRead(chat, ms);
        ArchiveChunk chunk = chunkOf(chat, ms, "c");
        index.commit(chat, chunk, read, true);

        assertThatThrownBy(() -> index.commit(chat, chunk, read, true)).isInstanceOf(ArchiveConflictException.class);

        assertThat(index.findCovering(chat, id(1))).get().extracting(ArchiveChunk::objectKey)
                .isEqualTo(chunk.objectKey());
        assertThat(index.listAll(chat)).containsExactly(chunk);
    }

    // ------------------------------------------------------------------ fits

    @Test
    void fits_shouldCountEveryMessageAndEveryVersion_upTo99Deletes() {
        List<ArchivedMessage> plain = IntStream.rangeClosed(1, 100)
                .mapToObj(n -> new ArchivedMessage(Message.first(CHAT_ID, id(n), "u1", false, "t", null, NOW),
                        List.of()))
                .toList();

        assertThat(index.fits(plain.subList(0, 99))).isTrue();
        assertThat(index.fits(plain)).isFalse();
        Message original = Message.first(CHAT_ID, id(101), "u1", false, "t", null, NOW);
        ArchivedMessage edited = new ArchivedMessage(original.nextVersion("t2", null, false, NOW.plusSeconds(1)),
                List.of(original.toVersion()));
        List<ArchivedMessage> withOneVersion = new ArrayList<>(plain.subList(0, 97));
        withOneVersion.add(edited);
        assertThat(index.fits(withOneVersion)).as("98 messages and 1 version").isTrue();
        withOneVersion.add(plain.get(99));
        assertThat(index.fits(withOneVersion)).as("99 messages and 1 version").isFalse();
    }

    // ------------------------------------------------------------------ replace and remove

    @Test
    void replace_shouldSwapTheEntry_whenItStillNamesTheObjectTheCallerRead() {
        ArchiveChunk chunk = archive(chat, 1, 3);
        ArchiveChunk replacement = rewritten(chat, chunk, "without u2");

        assertThat(index.replace(chat, chunk, replacement)).isTrue();

        assertThat(index.listAll(chat)).containsExactly(replacement);
        assertThat(index.findCovering(chat, id(3))).contains(replacement);
    }

    @Test
    void replace_shouldRefuse_whenAnotherEraseSwappedFirst_orTheEntryIsGone() {
        ArchiveChunk chunk = archive(chat, 1, 3);
        ArchiveChunk mine = rewritten(chat, chunk, "mine");
        ArchiveChunk theirs = rewritten(chat, chunk, "theirs");
        assertThat(index.replace(chat, chunk, theirs)).isTrue();

        assertThat(index.replace(chat, chunk, mine)).isFalse();
        assertThat(index.listAll(chat)).containsExactly(theirs);

        assertThat(index.remove(chat, theirs)).isTrue();
        assertThat(index.replace(chat, theirs, mine)).as("a removed entry does not come back").isFalse();
        assertThat(index.listAll(chat)).isEmpty();
    }

    @Test
    void replace_shouldThrow_whenTheReplacementStartsAtAnotherId() {
        ArchiveChunk chunk = archive(chat, 1, 3);
        ArchiveChunk moved = new ArchiveChunk(CHAT_ID, id(2), id(3), 2, chunk.objectKey() + "-moved", "gzip", 10, 5,
                chunk.sha256(), NOW);

        assertThatThrownBy(() -> index.replace(chat, chunk, moved)).isInstanceOf(IllegalArgumentException.class);
        assertThat(index.listAll(chat)).containsExactly(chunk);
    }

    @Test
    void remove_shouldDropTheEntryOnce_onlyWhileItStillNamesTheObjectTheCallerRead() {
        ArchiveChunk chunk = archive(chat, 1, 3);
        ArchiveChunk replacement = rewritten(chat, chunk, "without u2");
        index.replace(chat, chunk, replacement);

        assertThat(index.remove(chat, chunk)).as("read before the swap").isFalse();
        assertThat(index.listAll(chat)).containsExactly(replacement);

        assertThat(index.remove(chat, replacement)).isTrue();
        assertThat(index.remove(chat, replacement)).isFalse();
        assertThat(index.listAll(chat)).isEmpty();
        assertThat(index.findCovering(chat, id(2))).isEmpty();
    }

    @Test
    void replaceAndRemove_shouldMatchTheEntryByItsObjectKey_whichNamesItsContent() {
        // Object keys are content hashes: the key alone says the entry is the one the caller read.
        ArchiveChunk chunk = archive(chat, 1, 3);
        ArchiveChunk sameKey = new ArchiveChunk(CHAT_ID, id(1), id(3), 3, chunk.objectKey(), "gzip", 1, 1,
                chunk.sha256(), NOW.minusSeconds(3600));
        ArchiveChunk replacement = rewritten(chat, chunk, "without u2");

        assertThat(index.replace(chat, sameKey, replacement)).isTrue();
        ArchiveChunk sameKeyAsReplacement = new ArchiveChunk(CHAT_ID, id(1), id(3), 2, replacement.objectKey(),
                "gzip", 1, 1, replacement.sha256(), NOW.minusSeconds(3600));
        assertThat(index.remove(chat, sameKeyAsReplacement)).isTrue();
        assertThat(index.listAll(chat)).isEmpty();
    }

    // ------------------------------------------------------------------ tenant isolation

    @Test
    void reads_shouldNeverSeeAnotherTenantsArchive_whenTheChatAndMessageIdsAreTheSame() {
        archive(chat, 1, 3);

        assertThat(index.listNewestFirst(otherTenantsChat, null, 10)).isEmpty();
        assertThat(index.listNewestFirst(otherTenantsChat, id(9), 10)).isEmpty();
        assertThat(index.listAll(otherTenantsChat)).isEmpty();
        assertThat(index.findCovering(otherTenantsChat, id(2))).isEmpty();
    }

    @Test
    void writes_shouldNeverTouchAnotherTenantsArchive_whenTheChatAndMessageIdsAreTheSame() {
        ArchiveChunk mine = archive(chat, 1, 2);
        Message stillHot = hot(chat, 3);

        ArchiveChunk theirs = archive(otherTenantsChat, 1, 3);
        assertThat(index.replace(otherTenantsChat, mine, rewritten(chat, mine, "x"))).isFalse();
        assertThat(index.remove(otherTenantsChat, mine)).isFalse();

        assertThat(index.listAll(chat)).containsExactly(mine);
        assertThat(messages.find(chat, id(3))).contains(stillHot);
        assertThat(index.listAll(otherTenantsChat)).containsExactly(theirs);

        assertThat(index.remove(chat, mine)).isTrue();
        assertThat(index.listAll(otherTenantsChat)).containsExactly(theirs);
    }
}
