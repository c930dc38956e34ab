package dev.chathistory.userbatch;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.f4b6a3.ulid.Ulid;
import dev.chathistory.shared.archive.ChatArchiver;
import dev.chathistory.shared.jobs.JobOutcome;
import dev.chathistory.shared.jobs.JobRequest;
import dev.chathistory.shared.jobs.JobRun;
import dev.chathistory.shared.jobs.JobType;
import dev.chathistory.shared.json.Json;
import dev.chathistory.shared.model.ChatRef;
import dev.chathistory.shared.model.Message;
import dev.chathistory.shared.model.UserRef;
import dev.chathistory.shared.testing.InMemoryArchiveIndex;
import dev.chathistory.shared.testing.InMemoryLeases;
import dev.chathistory.shared.testing.InMemoryMessageRepository;
import dev.chathistory.shared.testing.InMemoryObjectStore;
import dev.chathistory.shared.testing.InMemoryUserRepository;
import dev.chathistory.shared.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Which messages an archive job moves: the user's retention setting, else the default. */
class ArchiveJobTest {

    private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");
    private static final UserRef USER = new UserRef("t1", "u1");
    private static final ChatRef CHAT = new ChatRef("t1", "chat-1");

    private final InMemoryMessageRepository messages = new InMemoryMessageRepository();
    private final InMemoryUserRepository users = new InMemoryUserRepository();
    private final MutableClock clock = new MutableClock(NOW);
    private final ArchiveJob job = new ArchiveJob(
            new ChatArchiver(messages, new InMemoryArchiveIndex(messages), new InMemoryObjectStore(), clock),
            users, clock, 90, new InMemoryLeases(), Duration.ofMinutes(5));

    /** One message per age, in days. */
    private void messagesAged(int... days) {
        for (int age : days) {
            Instant at = NOW.minus(Duration.ofDays(age));
            messages.insert(CHAT, Message.first(CHAT.chatId(), Ulid.min(at.toEpochMilli()).toString(), USER.userId(),
                    false, age + " days old", null, at));
        }
        users.rememberChat(USER, CHAT.chatId(), NOW);
    }

    private JobOutcome run() {
        return job.run(JobRun.of(new JobRequest("job-1", JobType.ARCHIVE, USER.tenantId(), USER.userId(), null)));
    }

    @Test
    void run_shouldUseTheDeploymentDefault_whenTheUserHasNoSetting() {
        messagesAged(200, 100, 91, 89, 1);

        JobOutcome outcome = run();

        assertThat(outcome.counts()).containsEntry("retentionDays", 90L).containsEntry("messagesArchived", 3L);
        assertThat(messages.messageCount(CHAT)).isEqualTo(2);
    }

    @Test
    void run_shouldUseTheUsersArchiveAfterDaysSetting() {
        messagesAged(200, 100, 91, 89, 11, 9, 1);
        users.putSettings(USER, Json.object().put("archiveAfterDays", 10), OptionalLong.empty(), NOW);

        JobOutcome outcome = run();

        assertThat(outcome.counts()).containsEntry("retentionDays", 10L).containsEntry("messagesArchived", 5L);
        assertThat(messages.messageCount(CHAT)).isEqualTo(2);
    }

    @Test
    void run_shouldIgnoreASettingThatIsNotAWholeNumberOfDaysInRange() {
        for (var bad : new Object[] {"10", 0, -5, 2.5, 40_000}) {
            users.putSettings(USER, (com.fasterxml.jackson.databind.node.ObjectNode) Json.mapper()
                    .valueToTree(java.util.Map.of("archiveAfterDays", bad)), OptionalLong.empty(), NOW);
            assertThat(run().counts()).as("setting %s", bad).containsEntry("retentionDays", 90L);
        }
    }
}
