package dev.chathistory.shared.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chathistory.shared.archive.ArchivedHistory;
import dev.chathistory.shared.branches.Branches;
import dev.chathistory.shared.config.ServiceConfig;
import dev.chathistory.shared.error.DomainException;
import dev.chathistory.shared.error.Problem;
import dev.chathistory.shared.ids.MessageIdGenerator;
import dev.chathistory.shared.jobs.JobType;
import dev.chathistory.shared.model.ChatRef;
import dev.chathistory.shared.model.Message;
import dev.chathistory.shared.model.UserRef;
import dev.chathistory.shared.retry.ConflictRetry;
import dev.chathistory.shared.service.ActivityRecorder;
import dev.chathistory.shared.service.ChatDirectory;
import dev.chathistory.shared.service.MessageEdit;
import dev.chathistory.shared.service.MessageService;
import dev.chathistory.shared.service.NewMessage;
import dev.chathistory.shared.testing.InMemoryBranchRepository;
import dev.chathistory.shared.testing.InMemoryMessageRepository;
import dev.chathistory.shared.testing.InMemoryRetentionRepository;
import dev.chathistory.shared.testing.InMemoryUserRepository;
import dev.chathistory.shared.testing.MutableClock;
import dev.chathistory.shared.testing.RecordingJobQueue;
import dev.chathistory.shared.testing.RecordingMetrics;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** Which policy applies, what readers may still see, and how new messages are stamped. */
class RetentionTest {

    private static final ChatRef CHAT = new ChatRef("tenant-a", "chat-1");
    private static final Instant START = Instant.parse("2026-11-01T10:00:00Z");

    private final MutableClock clock = new MutableClock(START);
    private final InMemoryRetentionRepository policies = new InMemoryRetentionRepository();
    private final RecordingJobQueue queue = new RecordingJobQueue();
    private final Retention retention = new Retention(policies, Duration.ofMinutes(5), new RecordingMetrics(), queue,
            MessageIdGenerator.ulid(), clock);
    private final InMemoryMessageRepository messages = new InMemoryMessageRepository();
    private final MessageService service = new MessageService(messages,
            new ActivityRecorder(new InMemoryUserRepository(), Duration.ofMinutes(1), 8),
            new ChatDirectory(new InMemoryUserRepository(), Duration.ofMinutes(5)), ArchivedHistory.none(),
            retention,
            new Branches(new InMemoryBranchRepository(messages), new RecordingMetrics()),
            MessageIdGenerator.ulid(), clock, ServiceConfig.Limits.defaults(), Duration.ofHours(24),
            new RecordingMetrics(), ConflictRetry.defaults());

    private Message append(String user, String text) {
        return service.append(CHAT, new NewMessage(user, false, text, null), null).message();
    }

    private List<String> history() {
        return service.list(CHAT, 100, null, false).items().stream().map(Message::text).toList();
    }

    @Test
    void policy_shouldBeTheShorterOfTenantAndChat_andKeepWhenNeitherIsSet() {
        assertThat(new RetentionPolicy(OptionalInt.empty(), ChatRetention.NONE).days()).isEmpty();
        assertThat(new RetentionPolicy(OptionalInt.of(90), ChatRetention.NONE).days()).hasValue(90);
        assertThat(new RetentionPolicy(OptionalInt.of(90), new ChatRetention(30, false)).days()).hasValue(30);
        assertThat(new RetentionPolicy(OptionalInt.empty(), new ChatRetention(30, false)).days()).hasValue(30);
        assertThat(new RetentionPolicy(OptionalInt.of(90), new ChatRetention(30, true)).expiryOf(START)).isEmpty();
    }

    @Test
    void append_shouldStampTheExpiry_inWholeSeconds_onlyWhenAPolicyApplies() {
        Message kept = append("u1", "kept");
        policies.setTenantDays("tenant-a", OptionalInt.of(30), START);
        Retention fresh = new Retention(policies, Duration.ofMinutes(5), new RecordingMetrics(), queue,
                MessageIdGenerator.ulid(), clock);
        clock.advance(Duration.ofMillis(1234));

        Instant expiry = fresh.expiryFor(CHAT, "u1", clock.instant());

        assertThat(kept.expiresAt()).isNull();
        assertThat(expiry).isEqualTo(clock.instant().plus(Duration.ofDays(30)).truncatedTo(ChronoUnit.SECONDS));
    }

    @Test
    void chatPolicy_shouldApplyAtOnce_hidingWhatIsPastIt_andStampingWhatComes() {
        append("u1", "old");
        clock.advance(Duration.ofDays(10));
        append("u1", "recent");

        Retention.ChatView view = retention.setChatPolicy(CHAT, new ChatRetention(7, false));
        Message next = append("u1", "new");

        assertThat(view.effectiveDays()).hasValue(7);
        assertThat(history()).containsExactly("new", "recent");
        assertThat(next.expiresAt()).isEqualTo(next.createdAt().plus(Duration.ofDays(7))
                .truncatedTo(ChronoUnit.SECONDS));
        assertThat(queue.sent()).singleElement().satisfies(job -> {
            assertThat(job.type()).isEqualTo(JobType.RETENTION);
            assertThat(job.userId()).isEqualTo(Retention.CHAT_JOB_USER);
            assertThat(job.chatId()).isEqualTo("chat-1");
        });
    }

    @Test
    void expiredMessage_shouldBeGoneForEveryReader_evenBeforeTtlRemovesIt() {
        Message old = append("u1", "old");
        retention.setChatPolicy(CHAT, new ChatRetention(1, false));
        clock.advance(Duration.ofDays(1));

        assertThat(messages.find(CHAT, old.messageId())).as("still stored").isPresent();
        assertThat(history()).isEmpty();
        assertThatThrownBy(() -> service.get(CHAT, old.messageId(), true))
                .isInstanceOfSatisfying(DomainException.class,
                        e -> assertThat(e.problem()).isEqualTo(Problem.MESSAGE_NOT_FOUND));
        assertThatThrownBy(() -> service.versions(CHAT, old.messageId(), 10, null))
                .isInstanceOf(DomainException.class);
        assertThatThrownBy(() -> service.edit(CHAT, old.messageId(), 1, new MessageEdit("x", false, null)))
                .isInstanceOfSatisfying(DomainException.class,
                        e -> assertThat(e.problem()).isEqualTo(Problem.MESSAGE_NOT_FOUND));
    }

    @Test
    void holds_shouldKeepMessagesReadable_theChatsOrTheAuthors() {
        append("held-user", "from a held user");
        append("u2", "from another");
        retention.setChatPolicy(CHAT, new ChatRetention(1, true));
        clock.advance(Duration.ofDays(2));
        assertThat(history()).containsExactly("from another", "from a held user");

        retention.setHold(new UserRef("tenant-a", "held-user"), true);
        retention.setChatPolicy(CHAT, new ChatRetention(1, false));

        assertThat(history()).containsExactly("from a held user");
        assertThat(retention.expiryFor(CHAT, "held-user", clock.instant())).isNull();
        assertThat(queue.sent()).extracting(j -> j.userId())
                .containsExactly(Retention.CHAT_JOB_USER, "held-user", Retention.CHAT_JOB_USER);
    }

    @Test
    void edit_shouldStampTheNewVersionByThePolicyInForce() {
        Message m = append("u1", "first");
        retention.setChatPolicy(CHAT, new ChatRetention(3, false));

        Message edited = service.edit(CHAT, m.messageId(), 1, new MessageEdit("second", false, null));

        assertThat(edited.expiresAt())
                .isEqualTo(m.createdAt().plus(Duration.ofDays(3)).truncatedTo(ChronoUnit.SECONDS));
        assertThat(messages.versionExpiry(CHAT, m.messageId(), 1)).contains(edited.expiresAt());
    }

    @Test
    void chatPolicy_longerThanTheTenants_shouldBeRefused_andChangeNothing() {
        policies.setTenantDays("tenant-a", OptionalInt.of(30), START);

        assertThatThrownBy(() -> retention.setChatPolicy(CHAT, new ChatRetention(31, false)))
                .isInstanceOfSatisfying(DomainException.class,
                        e -> assertThat(e.problem()).isEqualTo(Problem.RETENTION_TOO_LONG));
        assertThat(policies.findChat(CHAT)).isEqualTo(ChatRetention.NONE);
        assertThat(queue.sent()).isEmpty();
        assertThat(retention.setChatPolicy(CHAT, new ChatRetention(30, false)).effectiveDays()).hasValue(30);
    }
}
