package dev.chathistory.shared.testing.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chathistory.shared.branches.BranchPoint;
import dev.chathistory.shared.branches.BranchRepository;
import dev.chathistory.shared.model.ChatRef;
import dev.chathistory.shared.model.Message;
import dev.chathistory.shared.model.Page;
import dev.chathistory.shared.model.ReadConsistency;
import dev.chathistory.shared.repository.HistoryPage;
import dev.chathistory.shared.repository.MessageRepository;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What callers of {@link BranchRepository} rely on, against the fake and DynamoDB: marks and list
 * entries, and the mark a history read finds at the bottom of a branch's range.
 */
public abstract class BranchRepositoryContract {

    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

    /** The branch repository and the message repository whose history reads find its marks. */
    public record Repositories(BranchRepository branches, MessageRepository messages) {
    }

    protected abstract Repositories newRepositories();

    private BranchRepository branches;
    private MessageRepository messages;
    private ChatRef parent;

    @BeforeEach
    void fresh() {
        Repositories repositories = newRepositories();
        branches = repositories.branches();
        messages = repositories.messages();
        parent = new ChatRef("tenant-" + Long.toString(System.nanoTime(), 36), "parent");
    }

    private BranchPoint branch(String id) {
        return new BranchPoint(id, parent.chatId(), "01JFORK0000000000000000000", NOW);
    }

    @Test
    void create_shouldMarkTheBranch_andListItUnderItsParent_inIdOrder() {
        assertThat(branches.create(parent, branch("01JB2"))).isTrue();
        assertThat(branches.create(parent, branch("01JB1"))).isTrue();
        assertThat(branches.create(parent, branch("01JB3"))).isTrue();

        assertThat(branches.find(new ChatRef(parent.tenantId(), "01JB1"))).contains(branch("01JB1"));
        assertThat(branches.find(parent)).isEmpty();
        assertThat(branches.find(new ChatRef("another-tenant", "01JB1"))).isEmpty();
        Page<BranchPoint> first = branches.list(parent, 2, null);
        assertThat(first.items()).extracting(BranchPoint::branchId).containsExactly("01JB1", "01JB2");
        assertThat(first.resumeAfter()).contains("01JB2");
        Page<BranchPoint> second = branches.list(parent, 2, "01JB2");
        assertThat(second.items()).extracting(BranchPoint::branchId).containsExactly("01JB3");
        assertThat(second.resumeAfter()).isEmpty();
    }

    @Test
    void create_shouldBeRefused_forAChatThatIsAlreadyABranchOfAnotherFork_butRepeatable() {
        assertThat(branches.create(parent, branch("01JB1"))).isTrue();

        assertThat(branches.create(parent, branch("01JB1"))).as("the same creation again").isTrue();
        assertThat(branches.create(parent, new BranchPoint("01JB1", parent.chatId(), "01JOTHER000000000000000000",
                NOW))).isFalse();
        assertThat(branches.list(parent, 10, null).items()).hasSize(1);
    }

    @Test
    void aHistoryReadReachingTheBottomOfABranch_shouldFindItsMark_inTheSameRead() {
        assertThat(branches.create(parent, branch("01JB1"))).isTrue();
        ChatRef branchChat = new ChatRef(parent.tenantId(), "01JB1");
        messages.insert(branchChat, Message.first("01JB1", "01JOWN00000000000000000001", "u1", false, "own", null,
                NOW));

        HistoryPage full = messages.listNewestFirst(branchChat, 1, null, false, ReadConsistency.STRONG);
        HistoryPage all = messages.listNewestFirst(branchChat, 10, null, false, ReadConsistency.STRONG);
        HistoryPage plain = messages.listNewestFirst(parent, 10, null, false, ReadConsistency.STRONG);

        assertThat(full.items()).hasSize(1);
        assertThat(full.branchedFrom()).as("the page filled before the bottom").isEmpty();
        assertThat(all.items()).hasSize(1);
        assertThat(all.reachedEnd()).isTrue();
        assertThat(all.branchedFrom()).contains(branch("01JB1"));
        assertThat(plain.reachedEnd()).isTrue();
        assertThat(plain.branchedFrom()).isEmpty();
    }

    @Test
    void aHistoryReadUpToAMessage_shouldStartThere_inclusive() {
        for (int i = 1; i <= 5; i++) {
            messages.insert(parent, Message.first(parent.chatId(), "01JMSG000000000000000000" + i + "0", "u1", false,
                    "m" + i, null, NOW));
        }

        HistoryPage page = messages.listNewestFirst(parent, 10, null, "01JMSG00000000000000000030", false,
                ReadConsistency.STRONG);

        assertThat(page.items()).extracting(Message::text).containsExactly("m3", "m2", "m1");
    }
}
