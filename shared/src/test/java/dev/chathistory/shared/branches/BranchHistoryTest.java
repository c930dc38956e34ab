package dev.chathistory.shared.branches;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chathistory.shared.archive.ArchiveReader;
import dev.chathistory.shared.archive.ChatArchiver;
import dev.chathistory.shared.config.ServiceConfig;
import dev.chathistory.shared.error.DomainException;
import dev.chathistory.shared.error.Problem;
import dev.chathistory.shared.ids.MessageIdGenerator;
import dev.chathistory.shared.jobs.JobOutcome;
import dev.chathistory.shared.model.ChatRef;
import dev.chathistory.shared.model.Message;
import dev.chathistory.shared.retention.Retention;
import dev.chathistory.shared.retry.ConflictRetry;
import dev.chathistory.shared.service.ActivityRecorder;
import dev.chathistory.shared.service.ChatDirectory;
import dev.chathistory.shared.service.ListPage;
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
import org.junit.jupiter.api.Test;

/** A branch's history on the fakes: the parent's up to the fork, read through, then its own. */
class BranchHistoryTest {

    private static final ChatRef PARENT = new ChatRef("t1", "parent");

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T10:00:00Z"));
    private final InMemoryMessageRepository messages = new InMemoryMessageRepository();
    private final InMemoryArchiveIndex index = new InMemoryArchiveIndex(messages);
    private final InMemoryObjectStore objects = new InMemoryObjectStore();
    private final InMemoryBranchRepository branchStore = new InMemoryBranchRepository(messages);
    private final MessageService service = new MessageService(messages,
            new ActivityRecorder(new InMemoryUserRepository(), Duration.ofMinutes(1), 8),
            new ChatDirectory(new InMemoryUserRepository(), Duration.ofMinutes(5)),
            new ArchiveReader(index, objects, 1 << 20), new Retention(new InMemoryRetentionRepository(), Duration.ofMinutes(1), new RecordingMetrics(),
                    null, null, clock),
            new Branches(branchStore, new RecordingMetrics()), MessageIdGenerator.ulid(), clock,
            ServiceConfig.Limits.defaults(), Duration.ofHours(24), new RecordingMetrics(), ConflictRetry.defaults());

    private Message say(ChatRef chat, String text) {
        clock.advance(Duration.ofSeconds(1));
        return service.append(chat, new NewMessage("u1", false, text, null), null).message();
    }

    private List<String> texts(ChatRef chat) {
        return service.list(chat, 100, null, false).items().stream().map(Message::text).toList();
    }

    /** Every page at this size, checking none is over-full and the walk ends. */
    private List<String> pagedTexts(ChatRef chat, int pageSize) {
        List<String> all = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            ListPage<Message> page = service.list(chat, pageSize, cursor, false);
            assertThat(page.items().size()).isLessThanOrEqualTo(pageSize);
            page.items().forEach(m -> all.add(m.text()));
            cursor = page.nextCursor().orElse(null);
            assertThat(++pages).isLessThan(100);
        } while (cursor != null);
        return all;
    }

    private ChatRef branchAt(ChatRef parent, Message from) {
        BranchPoint branch = service.branch(parent, from.messageId());
        assertThat(branch.parentChatId()).isEqualTo(parent.chatId());
        return new ChatRef(parent.tenantId(), branch.branchId());
    }

    @Test
    void aBranch_shouldReadAsTheParentUpToTheFork_thenItsOwn_atEveryPageSize() {
        say(PARENT, "p1");
        Message p2 = say(PARENT, "p2");
        say(PARENT, "p3 after the fork");
        ChatRef branch = branchAt(PARENT, p2);
        say(branch, "b1");
        say(branch, "b2");
        say(PARENT, "p4 after the fork");

        for (int size = 1; size <= 6; size++) {
            assertThat(pagedTexts(branch, size)).as("page size %s", size).containsExactly("b2", "b1", "p2", "p1");
        }
        assertThat(texts(PARENT)).containsExactly("p4 after the fork", "p3 after the fork", "p2", "p1");
        assertThat(service.get(branch, p2.messageId(), false).text()).as("an inherited message").isEqualTo("p2");
    }

    @Test
    void aPage_shouldEndWhereTheBranchsOwnPartEnds_unlessItWouldBeEmpty() {
        say(PARENT, "p1");
        Message p2 = say(PARENT, "p2");
        ChatRef fresh = branchAt(PARENT, p2);

        assertThat(texts(fresh)).as("nothing of its own yet: the parent's part, on the first page")
                .containsExactly("p2", "p1");

        say(fresh, "b1");
        ListPage<Message> first = service.list(fresh, 10, null, false);
        assertThat(first.items()).extracting(Message::text).containsExactly("b1");
        assertThat(first.nextCursor()).isPresent();
        assertThat(service.list(fresh, 10, first.nextCursor().get(), false).items()).extracting(Message::text)
                .containsExactly("p2", "p1");
    }

    @Test
    void editsAndDeletesInTheParent_shouldShowInTheBranchUpToTheFork_andLaterMessagesNever() {
        Message p1 = say(PARENT, "p1");
        Message p2 = say(PARENT, "p2");
        Message p3 = say(PARENT, "p3");
        ChatRef branch = branchAt(PARENT, p2);

        service.edit(PARENT, p1.messageId(), 1, new MessageEdit("p1 edited", false, null));
        service.delete(PARENT, p2.messageId(), 1);
        service.edit(PARENT, p3.messageId(), 1, new MessageEdit("p3 edited", false, null));

        assertThat(texts(branch)).containsExactly("p1 edited");
        assertThat(service.list(branch, 100, null, true).items()).extracting(Message::messageId)
                .containsExactly(p2.messageId(), p1.messageId());
    }

    @Test
    void aBranchOfABranch_shouldReadThroughBoth_andMayForkAtAnInheritedMessage() {
        Message p1 = say(PARENT, "p1");
        Message p2 = say(PARENT, "p2");
        ChatRef first = branchAt(PARENT, p2);
        Message b1 = say(first, "b1");
        say(first, "b2");
        ChatRef second = branchAt(first, b1);
        say(second, "c1");
        ChatRef third = branchAt(first, p1);
        say(third, "d1");

        for (int size = 1; size <= 5; size++) {
            assertThat(pagedTexts(second, size)).as("page size %s", size).containsExactly("c1", "b1", "p2", "p1");
            assertThat(pagedTexts(third, size)).as("page size %s", size).containsExactly("d1", "p1");
        }
        assertThat(service.branches(first, 10, null).items()).extracting(BranchPoint::branchId)
                .containsExactly(second.chatId(), third.chatId());
        assertThat(service.branches(PARENT, 10, null).items()).extracting(BranchPoint::branchId)
                .containsExactly(first.chatId());
    }

    @Test
    void archivingTheParent_shouldKeepEveryBranchReadable() {
        say(PARENT, "p1");
        Message p2 = say(PARENT, "p2");
        say(PARENT, "p3");
        ChatRef branch = branchAt(PARENT, p2);
        say(branch, "b1");

        // Ids are ULIDs of the real time: everything so far goes into the archive.
        new ChatArchiver(messages, index, objects, clock)
                .archiveOlderThan(PARENT, Instant.now().plusSeconds(60), new JobOutcome.Counts());

        assertThat(index.listAll(PARENT)).isNotEmpty();
        for (int size = 1; size <= 4; size++) {
            assertThat(pagedTexts(branch, size)).as("page size %s", size).containsExactly("b1", "p2", "p1");
        }
    }

    @Test
    void aBranchAtAMessageTheChatDoesNotShow_shouldBeRefused() {
        Message p1 = say(PARENT, "p1");
        service.delete(PARENT, p1.messageId(), 1);

        assertThatThrownBy(() -> service.branch(PARENT, p1.messageId()))
                .isInstanceOfSatisfying(DomainException.class,
                        e -> assertThat(e.problem()).isEqualTo(Problem.MESSAGE_NOT_FOUND));
        assertThatThrownBy(() -> service.branch(new ChatRef("t1", "elsewhere"), "01JNOSUCHMESSAGE0000000000"))
                .isInstanceOf(DomainException.class);
        assertThatThrownBy(() -> service.branch(new ChatRef("another-tenant", "parent"), p1.messageId()))
                .isInstanceOf(DomainException.class);
        assertThat(branchStore.heldItems()).isEmpty();
    }
}
