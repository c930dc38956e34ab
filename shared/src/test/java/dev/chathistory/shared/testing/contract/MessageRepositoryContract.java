package dev.chathistory.shared.testing.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chathistory.shared.model.ChatRef;
import dev.chathistory.shared.model.IdempotencyRecord;
import dev.chathistory.shared.model.Message;
import dev.chathistory.shared.model.MessageVersion;
import dev.chathistory.shared.model.Page;
import dev.chathistory.shared.model.ReadConsistency;
import dev.chathistory.shared.repository.HistoryPage;
import dev.chathistory.shared.repository.IdempotencyKeyTakenException;
import dev.chathistory.shared.repository.MessageRepository;
import dev.chathistory.shared.repository.StaleVersionException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What callers of {@link MessageRepository} rely on, run against the in-memory fake
 * ({@code InMemoryMessageRepositoryContractTest}) and against DynamoDB on the emulator
 * ({@code DynamoDbMessageRepositoryContractIT}). The DynamoDB implementation is the truth: where
 * the two disagree, the fake is what changes.
 *
 * <p>Times are whole milliseconds and idempotency expiries whole seconds, the precision DynamoDB
 * keeps.
 */
public abstract class MessageRepositoryContract {

    protected static final Instant NOW = Instant.parse("2026-12-01T10:00:00.000Z");
    private static final String CHAT_ID = "chat-1";

    /** A new repository over empty storage; each test gets its own. */
    protected abstract MessageRepository newRepository();

    private MessageRepository repository;
    private ChatRef chat;
    private ChatRef otherTenantsChat;

    @BeforeEach
    void freshRepository() {
        repository = newRepository();
        // Unique tenants per test, so a subclass may share one table between tests.
        String run = Long.toString(System.nanoTime(), 36);
        chat = new ChatRef("tenant-a-" + run, CHAT_ID);
        otherTenantsChat = new ChatRef("tenant-b-" + run, CHAT_ID);
    }

    private static String id(int n) {
        return String.format("01JE0000000000000000000%03d", n);
    }

    private static Message message(int n) {
        return message(CHAT_ID, n, "u1");
    }

    private static Message message(String chatId, int n, String userId) {
        return Message.first(chatId, id(n), userId, false, "text " + n, null, NOW.plusMillis(n));
    }

    private static Message deleted(Message m) {
        return m.nextVersion("", null, true, NOW.plusSeconds(60));
    }

    private List<Message> insertAll(ChatRef where, int count) {
        List<Message> inserted = new ArrayList<>();
        for (int n = 1; n <= count; n++) {
            Message m = message(where.chatId(), n, "u1");
            repository.insert(where, m);
            inserted.add(m);
        }
        return inserted;
    }

    private Message edit(ChatRef where, Message current, String text) {
        Message next = current.nextVersion(text, null, false, current.versionCreatedAt().plusSeconds(1));
        repository.replace(where, next, current.version(), current.toVersion());
        return next;
    }

    private HistoryPage page(int limit, String resumeAfter, boolean includeDeleted) {
        return repository.listNewestFirst(chat, limit, resumeAfter, includeDeleted, ReadConsistency.STRONG);
    }

    private static List<String> ids(List<Message> messages) {
        return messages.stream().map(Message::messageId).toList();
    }

    private static IdempotencyRecord record(String key, String messageId, Instant expiresAt) {
        return new IdempotencyRecord(key, "hash-" + messageId, messageId, NOW, expiresAt);
    }

    // ------------------------------------------------------------------ insert

    @Test
    void insert_shouldStoreTheMessageAsItIs_whenItsIdIsNew() {
        Message m = message(1);

        repository.insert(chat, m);

        assertThat(repository.find(chat, m.messageId())).contains(m);
    }

    @Test
    void insert_shouldThrow_whenTheChatHoldsAnotherMessageWithThatId() {
        repository.insert(chat, message(1));
        Message other = new Message(CHAT_ID, id(1), "u2", true, "other", null, 1, null, false, NOW, null, null,
                null);

        assertThatThrownBy(() -> repository.insert(chat, other)).isInstanceOf(IllegalStateException.class);
        assertThat(repository.find(chat, id(1))).contains(message(1));
    }

    @Test
    void insert_shouldSucceed_whenTheSameMessageIsStoredAlready() {
        // A put whose answer was lost and which the SDK retried finds its own item.
        repository.insert(chat, message(1));

        repository.insert(chat, message(1));

        assertThat(repository.find(chat, id(1))).contains(message(1));
    }

    @Test
    void insertIfAbsent_shouldSayStored_whenAbsentOrIdentical_andNotStored_whenAnotherMessageHoldsTheId() {
        assertThat(repository.insertIfAbsent(chat, message(1))).isTrue();
        assertThat(repository.insertIfAbsent(chat, message(1))).as("the same message again").isTrue();

        Message other = new Message(CHAT_ID, id(1), "u1", false, "changed", null, 1, null, false, NOW, null, null,
                null);
        assertThat(repository.insertIfAbsent(chat, other)).isFalse();
        assertThat(repository.find(chat, id(1))).contains(message(1));
    }

    @Test
    void insertIfAbsent_shouldNotStore_whenTheMessageWasEditedSince() {
        repository.insert(chat, message(1));
        edit(chat, message(1), "edited");

        assertThat(repository.insertIfAbsent(chat, message(1))).isFalse();
        assertThat(repository.find(chat, id(1))).get().extracting(Message::text).isEqualTo("edited");
    }

    // ------------------------------------------------------------------ find and tenant isolation

    @Test
    void find_shouldReturnEmpty_whenNoMessageHasTheId() {
        assertThat(repository.find(chat, id(1))).isEmpty();
    }

    @Test
    void reads_shouldNeverSeeAnotherTenantsChat_whenTheChatIdIsTheSame() {
        insertAll(chat, 3);
        repository.claimIdempotencyKey(chat, record("k1", id(1), NOW.plusSeconds(60)), NOW);
        edit(chat, message(1), "edited");

        assertThat(repository.find(otherTenantsChat, id(1))).isEmpty();
        HistoryPage page = repository.listNewestFirst(otherTenantsChat, 10, null, true, ReadConsistency.STRONG);
        assertThat(page.items()).isEmpty();
        assertThat(page.resumeAfter()).isEmpty();
        assertThat(repository.listOldestFirst(otherTenantsChat, id(99), 10)).isEmpty();
        assertThat(repository.findIdempotencyRecord(otherTenantsChat, "k1")).isEmpty();
        assertThat(repository.listIdempotencyRecords(otherTenantsChat)).isEmpty();
        assertThat(repository.listAllVersions(otherTenantsChat, id(1), 2)).isEmpty();
        assertThat(repository.listVersionsNewestFirst(otherTenantsChat, id(1), 10, 2).items()).isEmpty();
        List<Message> visited = new ArrayList<>();
        repository.forEachMessage(otherTenantsChat, null, visited::add);
        assertThat(visited).isEmpty();
    }

    @Test
    void writes_shouldNeverTouchAnotherTenantsChat_whenTheChatIdIsTheSame() {
        insertAll(chat, 3);
        Message first = message(1);
        edit(chat, first, "edited");
        repository.claimIdempotencyKey(chat, record("k1", id(1), NOW.plusSeconds(60)), NOW);

        repository.insert(otherTenantsChat, message(1));
        repository.claimIdempotencyKey(otherTenantsChat, record("k1", id(9), NOW.plusSeconds(60)), NOW);
        repository.deleteMessage(otherTenantsChat, id(2));
        repository.deleteMessages(otherTenantsChat, List.of(id(1), id(3)));
        assertThat(repository.deleteVersions(otherTenantsChat, id(1))).isZero();
        repository.deleteIdempotencyRecord(otherTenantsChat, "k1");

        assertThat(repository.find(chat, id(1))).get().extracting(Message::text).isEqualTo("edited");
        assertThat(ids(page(10, null, true).items())).containsExactly(id(3), id(2), id(1));
        assertThat(repository.findIdempotencyRecord(chat, "k1")).get()
                .extracting(IdempotencyRecord::messageId).isEqualTo(id(1));
        assertThat(repository.listAllVersions(chat, id(1), 2)).hasSize(1);
    }

    // ------------------------------------------------------------------ history pages

    @Test
    void listNewestFirst_shouldBeEmptyWithNothingToFollow_whenTheChatHasNoMessages() {
        HistoryPage page = page(10, null, false);

        assertThat(page.items()).isEmpty();
        assertThat(page.resumeAfter()).isEmpty();
        assertThat(page.archiveStart()).isEmpty();
        assertThat(page.moreArchive()).isFalse();
    }

    @Test
    void listNewestFirst_shouldPageNewestFirst_resumingAfterTheLastMessageRead() {
        insertAll(chat, 5);

        HistoryPage first = page(2, null, false);
        assertThat(ids(first.items())).containsExactly(id(5), id(4));
        assertThat(first.resumeAfter()).contains(id(4));

        HistoryPage second = page(2, first.resumeAfter().get(), false);
        assertThat(ids(second.items())).containsExactly(id(3), id(2));
        assertThat(second.resumeAfter()).contains(id(2));

        HistoryPage last = page(2, second.resumeAfter().get(), false);
        assertThat(ids(last.items())).containsExactly(id(1));
        assertThat(last.resumeAfter()).isEmpty();
    }

    @Test
    void listNewestFirst_shouldReachEveryMessageOnce_whenFollowingResumeAfterToTheEnd() {
        // Whether a page that ends exactly on the oldest message says "more may follow" is left
        // open (DynamoDB says so, an emulator may not); following it must then find nothing new.
        insertAll(chat, 6);
        List<String> seen = new ArrayList<>();
        Optional<String> resume = Optional.empty();
        int pages = 0;
        do {
            HistoryPage page = page(3, resume.orElse(null), false);
            seen.addAll(ids(page.items()));
            resume = page.resumeAfter();
            pages++;
        } while (resume.isPresent() && pages < 10);

        assertThat(seen).containsExactly(id(6), id(5), id(4), id(3), id(2), id(1));
    }

    @Test
    void listNewestFirst_shouldCountHiddenDeletedMessagesTowardsTheLimit_soAPageMayHoldFewerWhileMoreFollow() {
        List<Message> all = insertAll(chat, 5);
        for (Message m : List.of(all.get(4), all.get(3))) {
            repository.replace(chat, deleted(m), 1, m.toVersion());
        }

        HistoryPage first = page(3, null, false);
        assertThat(ids(first.items())).containsExactly(id(3));
        assertThat(first.resumeAfter()).contains(id(3));

        HistoryPage rest = page(3, first.resumeAfter().get(), false);
        assertThat(ids(rest.items())).containsExactly(id(2), id(1));
        assertThat(rest.resumeAfter()).isEmpty();
    }

    @Test
    void listNewestFirst_shouldReturnAnEmptyPageThatStillResumes_whenEveryMessageReadWasDeleted() {
        List<Message> all = insertAll(chat, 3);
        for (Message m : List.of(all.get(2), all.get(1))) {
            repository.replace(chat, deleted(m), 1, m.toVersion());
        }

        HistoryPage page = page(2, null, false);

        assertThat(page.items()).isEmpty();
        assertThat(page.resumeAfter()).contains(id(2));
        assertThat(ids(page(2, id(2), false).items())).containsExactly(id(1));
    }

    @Test
    void listNewestFirst_shouldShowDeletedMessagesWithTheirFlag_whenAskedToIncludeThem() {
        List<Message> all = insertAll(chat, 3);
        Message gone = deleted(all.get(1));
        repository.replace(chat, gone, 1, all.get(1).toVersion());

        HistoryPage page = page(10, null, true);

        assertThat(page.items()).containsExactly(all.get(2), gone, all.get(0));
        assertThat(page.resumeAfter()).isEmpty();
    }

    @Test
    void listNewestFirst_shouldShowOnlyCurrentMessages_notVersionsNorIdempotencyRecords() {
        List<Message> all = insertAll(chat, 2);
        Message edited = edit(chat, all.get(0), "edited");
        repository.claimIdempotencyKey(chat, record("k1", id(2), NOW.plusSeconds(60)), NOW);

        HistoryPage page = page(10, null, true);

        assertThat(page.items()).containsExactly(all.get(1), edited);
        assertThat(page.resumeAfter()).isEmpty();
    }

    @Test
    void listNewestFirst_shouldReadTheSameMessages_whenEventuallyConsistent() {
        insertAll(chat, 3);

        HistoryPage page = repository.listNewestFirst(chat, 10, null, false, ReadConsistency.EVENTUAL);

        // The emulator and the fake are consistent at once; DynamoDB may lag by about a second.
        assertThat(ids(page.items())).containsExactly(id(3), id(2), id(1));
    }

    // ------------------------------------------------------------------ replace and versions

    // ------------------------------------------------------------------ expiry stamps

    @Test
    void insert_shouldKeepTheExpiryStamp_soFindReturnsIt() {
        Message m = message(1).withExpiry(NOW.plusSeconds(86_400));

        repository.insert(chat, m);

        assertThat(repository.find(chat, m.messageId()).orElseThrow().expiresAt()).isEqualTo(NOW.plusSeconds(86_400));
    }

    @Test
    void stampExpiry_shouldSetAndRemoveTheStamp_whileTheMessageIsAtThatVersion() {
        Message m = message(1);
        repository.insert(chat, m);
        Message edited = edit(chat, m, "two");

        assertThat(repository.stampExpiry(chat, m.messageId(), edited.version(), NOW.plusSeconds(60))).isTrue();
        assertThat(repository.find(chat, m.messageId()).orElseThrow().expiresAt()).isEqualTo(NOW.plusSeconds(60));
        assertThat(repository.stampExpiry(chat, m.messageId(), edited.version(), null)).isTrue();
        assertThat(repository.find(chat, m.messageId()).orElseThrow().expiresAt()).isNull();
        assertThat(repository.listAllVersions(chat, m.messageId(), edited.version())).hasSize(1);
    }

    @Test
    void stampExpiry_shouldLeaveTheMessage_whenItMovedOnToAnotherVersion() {
        Message m = message(1);
        repository.insert(chat, m);
        edit(chat, m, "two");

        assertThat(repository.stampExpiry(chat, m.messageId(), 1, NOW.plusSeconds(60))).isFalse();
        assertThat(repository.find(chat, m.messageId()).orElseThrow().expiresAt()).isNull();
        assertThat(repository.stampExpiry(chat, id(99), 1, NOW.plusSeconds(60))).isFalse();
        assertThat(repository.find(chat, id(99))).isEmpty();
    }

    @Test
    void replace_shouldStoreTheNextVersionAndASnapshotOfTheOldOne_whenTheVersionMatches() {
        repository.insert(chat, message(1));

        Message next = edit(chat, message(1), "second");

        assertThat(repository.find(chat, id(1))).contains(next);
        assertThat(repository.listAllVersions(chat, id(1), 2)).containsExactly(message(1).toVersion());
    }

    @Test
    void replace_shouldThrowStaleVersionWithTheCurrentMessage_whenTheVersionMovedOn() {
        repository.insert(chat, message(1));
        Message current = edit(chat, message(1), "second");
        Message late = message(1).nextVersion("late", null, false, NOW.plusSeconds(5));

        assertThatThrownBy(() -> repository.replace(chat, late, 1, message(1).toVersion()))
                .isInstanceOfSatisfying(StaleVersionException.class,
                        e -> assertThat(e.current()).contains(current));
        assertThat(repository.find(chat, id(1))).contains(current);
    }

    @Test
    void replace_shouldThrowStaleVersionWithoutACurrentMessage_whenTheMessageIsGone() {
        Message next = message(1).nextVersion("edit", null, false, NOW.plusSeconds(5));

        assertThatThrownBy(() -> repository.replace(chat, next, 1, message(1).toVersion()))
                .isInstanceOfSatisfying(StaleVersionException.class, e -> assertThat(e.current()).isEmpty());
        assertThat(repository.find(chat, id(1))).isEmpty();
    }

    @Test
    void replace_shouldSucceedQuietly_whenTheSameReplaceIsRepeated() {
        // A put whose answer was lost and which the SDK retried finds exactly its own write.
        repository.insert(chat, message(1));
        Message next = message(1).nextVersion("second", null, false, NOW.plusSeconds(5));
        repository.replace(chat, next, 1, message(1).toVersion());

        repository.replace(chat, next, 1, message(1).toVersion());

        assertThat(repository.find(chat, id(1))).contains(next);
        assertThat(repository.listAllVersions(chat, id(1), 2)).containsExactly(message(1).toVersion());
    }

    @Test
    void replace_shouldStoreTheSnapshotFirst_soAStaleWriteStillLeavesItForDeleteVersionsToCount() {
        // The snapshot put is unconditional and comes first: a replace that loses its condition
        // leaves it behind. A copy of the current version is a stray no listing shows.
        repository.insert(chat, message(1));
        Message second = edit(chat, message(1), "second");
        Message third = second.nextVersion("third", null, false, NOW.plusSeconds(9));

        assertThatThrownBy(() -> repository.replace(chat, third, 7, second.toVersion()))
                .isInstanceOf(StaleVersionException.class);

        assertThat(repository.listAllVersions(chat, id(1), 2)).containsExactly(message(1).toVersion());
        assertThat(repository.listVersionsNewestFirst(chat, id(1), 10, 2).items())
                .containsExactly(message(1).toVersion());
        assertThat(repository.deleteVersions(chat, id(1))).as("version 1 and the stray copy of 2").isEqualTo(2);
    }

    @Test
    void listVersionsNewestFirst_shouldPageStrictlyBelowTheVersionAsked_untilVersionOne() {
        repository.insert(chat, message(1));
        Message current = message(1);
        for (int i = 2; i <= 5; i++) {
            current = edit(chat, current, "text v" + i);
        }

        Page<MessageVersion> first = repository.listVersionsNewestFirst(chat, id(1), 2, 5);
        assertThat(first.items()).extracting(MessageVersion::version).containsExactly(4L, 3L);
        assertThat(first.resumeAfter()).contains("3");

        Page<MessageVersion> second = repository.listVersionsNewestFirst(chat, id(1), 2, 3);
        assertThat(second.items()).extracting(MessageVersion::version).containsExactly(2L, 1L);
        assertThat(second.resumeAfter()).as("version 1 is the last").isEmpty();

        assertThat(repository.listVersionsNewestFirst(chat, id(1), 2, 1).items()).isEmpty();
        assertThat(second.items().get(1)).isEqualTo(message(1).toVersion());
    }

    @Test
    void listVersionsNewestFirst_shouldBeEmpty_whenTheMessageWasNeverEdited() {
        repository.insert(chat, message(1));

        Page<MessageVersion> page = repository.listVersionsNewestFirst(chat, id(1), 10, 1);

        assertThat(page.items()).isEmpty();
        assertThat(page.resumeAfter()).isEmpty();
    }

    @Test
    void listAllVersions_shouldListEverySupersededVersionNewestFirst_belowTheCurrentOne() {
        repository.insert(chat, message(1));
        Message v2 = edit(chat, message(1), "v2");
        Message v3 = edit(chat, v2, "v3");

        assertThat(repository.listAllVersions(chat, id(1), 3))
                .containsExactly(v2.toVersion(), message(1).toVersion());
        assertThat(repository.listAllVersions(chat, id(1), 2)).containsExactly(message(1).toVersion());
        assertThat(repository.listAllVersions(chat, id(1), 1)).isEmpty();
        assertThat(repository.find(chat, id(1))).contains(v3);
    }

    @Test
    void deleteVersions_shouldDeleteEverySnapshotAndCountThem_andRepeatingItFindsNone() {
        repository.insert(chat, message(1));
        edit(chat, edit(chat, message(1), "v2"), "v3");

        assertThat(repository.deleteVersions(chat, id(1))).isEqualTo(2);
        assertThat(repository.deleteVersions(chat, id(1))).isZero();
        assertThat(repository.listAllVersions(chat, id(1), 3)).isEmpty();
        assertThat(repository.find(chat, id(1))).as("the current version stays").isPresent();
    }

    // ------------------------------------------------------------------ bulk reads and deletes

    @Test
    void listOldestFirst_shouldListMessagesBelowTheIdGiven_oldestFirst_deletedOnesIncluded() {
        List<Message> all = insertAll(chat, 5);
        Message gone = deleted(all.get(1));
        repository.replace(chat, gone, 1, all.get(1).toVersion());

        assertThat(repository.listOldestFirst(chat, id(4), 10)).containsExactly(all.get(0), gone, all.get(2));
        assertThat(repository.listOldestFirst(chat, id(4), 2)).containsExactly(all.get(0), gone);
        assertThat(repository.listOldestFirst(chat, id(1), 10)).isEmpty();
    }

    @Test
    void forEachMessage_shouldVisitEveryMessageOldestFirst_orOnlyThoseOfOneAuthor() {
        repository.insert(chat, message(CHAT_ID, 1, "alice"));
        repository.insert(chat, message(CHAT_ID, 2, "bob"));
        repository.insert(chat, message(CHAT_ID, 3, "alice"));
        repository.claimIdempotencyKey(chat, record("k1", id(1), NOW.plusSeconds(60)), NOW);

        List<String> everyone = new ArrayList<>();
        repository.forEachMessage(chat, null, m -> everyone.add(m.messageId()));
        List<String> alice = new ArrayList<>();
        repository.forEachMessage(chat, "alice", m -> alice.add(m.messageId()));

        assertThat(everyone).containsExactly(id(1), id(2), id(3));
        assertThat(alice).containsExactly(id(1), id(3));
    }

    @Test
    void deleteMessage_shouldRemoveTheCurrentVersionOnly_andRepeatingItIsHarmless() {
        repository.insert(chat, message(1));
        edit(chat, message(1), "v2");

        repository.deleteMessage(chat, id(1));
        repository.deleteMessage(chat, id(1));

        assertThat(repository.find(chat, id(1))).isEmpty();
        assertThat(repository.listAllVersions(chat, id(1), 2)).as("snapshots are deleted apart").hasSize(1);
    }

    @Test
    void deleteMessages_shouldDeleteManyAtOnce_acrossBatchSizes_ignoringIdsNotStored() {
        insertAll(chat, 30);
        List<String> doomed = new ArrayList<>(IntStream.rangeClosed(1, 28)
                .mapToObj(MessageRepositoryContract::id).toList());
        doomed.add(id(99));

        repository.deleteMessages(chat, doomed);
        repository.deleteMessages(chat, doomed);

        assertThat(ids(page(50, null, true).items())).containsExactly(id(30), id(29));
    }

    // ------------------------------------------------------------------ idempotency records

    @Test
    void claimIdempotencyKey_shouldStoreTheRecord_whenTheKeyIsFree() {
        IdempotencyRecord mine = record("k1", id(1), NOW.plusSeconds(86_400));

        repository.claimIdempotencyKey(chat, mine, NOW);

        assertThat(repository.findIdempotencyRecord(chat, "k1")).contains(mine);
    }

    @Test
    void claimIdempotencyKey_shouldThrowWithTheHolder_whenALiveRecordHoldsTheKey() {
        IdempotencyRecord first = record("k1", id(1), NOW.plusSeconds(60));
        repository.claimIdempotencyKey(chat, first, NOW);

        assertThatThrownBy(() -> repository.claimIdempotencyKey(chat, record("k1", id(2), NOW.plusSeconds(90)),
                NOW.plusSeconds(59)))
                .isInstanceOfSatisfying(IdempotencyKeyTakenException.class,
                        e -> assertThat(e.existing()).contains(first));
        assertThat(repository.findIdempotencyRecord(chat, "k1")).contains(first);
    }

    @Test
    void claimIdempotencyKey_shouldSucceed_whenTheSameClaimIsRepeated() {
        IdempotencyRecord mine = record("k1", id(1), NOW.plusSeconds(60));
        repository.claimIdempotencyKey(chat, mine, NOW);

        repository.claimIdempotencyKey(chat, mine, NOW.plusSeconds(1));

        assertThat(repository.findIdempotencyRecord(chat, "k1")).contains(mine);
    }

    @Test
    void claimIdempotencyKey_shouldTakeTheKeyOver_whenTheRecordHoldingItHasExpired() {
        repository.claimIdempotencyKey(chat, record("k1", id(1), NOW.plusSeconds(60)), NOW);
        IdempotencyRecord later = record("k1", id(2), NOW.plusSeconds(200));

        repository.claimIdempotencyKey(chat, later, NOW.plusSeconds(60));

        assertThat(repository.findIdempotencyRecord(chat, "k1")).contains(later);
    }

    @Test
    void findIdempotencyRecord_shouldReturnExpiredRecords_untilTheyAreDeleted() {
        IdempotencyRecord old = record("k1", id(1), NOW.plusSeconds(60));
        repository.claimIdempotencyKey(chat, old, NOW);

        assertThat(repository.findIdempotencyRecord(chat, "k1")).contains(old);
        assertThat(repository.findIdempotencyRecord(chat, "k2")).isEmpty();
    }

    @Test
    void listIdempotencyRecords_shouldListEveryRecordOfTheChat_expiredOrNot_andDeleteRemovesOne() {
        IdempotencyRecord expired = record("k1", id(1), NOW.minusSeconds(10));
        IdempotencyRecord live = record("k2", id(2), NOW.plusSeconds(60));
        repository.claimIdempotencyKey(chat, expired, NOW.minusSeconds(20));
        repository.claimIdempotencyKey(chat, live, NOW);
        repository.insert(chat, message(1));

        assertThat(repository.listIdempotencyRecords(chat)).containsExactlyInAnyOrder(expired, live);

        repository.deleteIdempotencyRecord(chat, "k1");
        repository.deleteIdempotencyRecord(chat, "k1");
        assertThat(repository.listIdempotencyRecords(chat)).containsExactly(live);
    }

    // ------------------------------------------------------------------ imports

    private static Message imported(String chatId, int n, String importId) {
        return new Message(chatId, id(n), "u1", false, "imported " + n, null, 1, null, false, NOW.plusMillis(n), null,
                importId, null);
    }

    @Test
    void putImported_shouldStoreAbsentMessages_acrossTheTenantsChats() {
        List<String> kept = repository.putImported(chat.tenantId(), "imp-1",
                List.of(imported(CHAT_ID, 1, "imp-1"), imported("chat-2", 2, "imp-1")));

        assertThat(kept).isEmpty();
        assertThat(repository.find(chat, id(1))).contains(imported(CHAT_ID, 1, "imp-1"));
        assertThat(repository.find(new ChatRef(chat.tenantId(), "chat-2"), id(2)))
                .contains(imported("chat-2", 2, "imp-1"));
        assertThat(repository.find(otherTenantsChat, id(1))).isEmpty();
    }

    @Test
    void putImported_shouldRewriteItsOwnUnchangedMessages_whenTheImportIsRepeated() {
        repository.putImported(chat.tenantId(), "imp-1", List.of(imported(CHAT_ID, 1, "imp-1")));
        Message again = new Message(CHAT_ID, id(1), "u1", false, "imported again", null, 1, null, false, NOW, null,
                "imp-1", null);

        assertThat(repository.putImported(chat.tenantId(), "imp-1", List.of(again))).isEmpty();
        assertThat(repository.find(chat, id(1))).contains(again);
    }

    @Test
    void putImported_shouldLeaveOtherWritersMessagesAsTheyAre_andNameThem() {
        repository.insert(chat, message(1));
        repository.putImported(chat.tenantId(), "imp-0", List.of(imported(CHAT_ID, 2, "imp-0")));
        repository.putImported(chat.tenantId(), "imp-1", List.of(imported(CHAT_ID, 3, "imp-1")));
        Message editedImport = edit(chat, imported(CHAT_ID, 3, "imp-1"), "edited by a bot");

        List<String> kept = repository.putImported(chat.tenantId(), "imp-1", List.of(
                imported(CHAT_ID, 1, "imp-1"), imported(CHAT_ID, 2, "imp-1"), imported(CHAT_ID, 3, "imp-1"),
                imported(CHAT_ID, 4, "imp-1")));

        assertThat(kept).containsExactlyInAnyOrder(id(1), id(2), id(3));
        assertThat(repository.find(chat, id(1))).contains(message(1));
        assertThat(repository.find(chat, id(2))).contains(imported(CHAT_ID, 2, "imp-0"));
        assertThat(repository.find(chat, id(3))).contains(editedImport);
        assertThat(repository.find(chat, id(4))).contains(imported(CHAT_ID, 4, "imp-1"));
    }
}
