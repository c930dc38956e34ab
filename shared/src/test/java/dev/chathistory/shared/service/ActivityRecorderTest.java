package dev.chathistory.shared.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chathistory.shared.model.UserRef;
import dev.chathistory.shared.testing.InMemoryUserRepository;
import dev.chathistory.shared.testing.InMemoryUserRepository.ActivityWrite;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ActivityRecorderTest {

    private static final UserRef USER = new UserRef("tenant-a", "user-1");
    private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");

    private final InMemoryUserRepository users = new InMemoryUserRepository();
    private final ActivityRecorder recorder = new ActivityRecorder(users, Duration.ofMinutes(1), 8);

    @Test
    void messageAppended_shouldWriteAtMostOncePerInterval_carryingTheCount() {
        recorder.messageAppended(USER, T0);
        recorder.messageAppended(USER, T0.plusSeconds(10));
        recorder.messageAppended(USER, T0.plusSeconds(20));
        recorder.messageAppended(USER, T0.plusSeconds(61));

        assertThat(users.activityWrites()).extracting(ActivityWrite::newMessages).containsExactly(1L, 3L);
        assertThat(users.activityWrites()).extracting(ActivityWrite::at)
                .containsExactly(T0, T0.plusSeconds(61));
    }

    @Test
    void messageAppended_shouldKeepUsersApart() {
        recorder.messageAppended(USER, T0);
        recorder.messageAppended(new UserRef("tenant-a", "user-2"), T0);
        recorder.messageAppended(new UserRef("tenant-b", "user-1"), T0);

        assertThat(users.activityWrites()).hasSize(3);
    }

    @Test
    void messageAppended_shouldNotThrow_andRetryWithTheCount_whenTheWriteFails() {
        users.failActivityWrites(new IllegalStateException("down"));
        recorder.messageAppended(USER, T0);
        recorder.messageAppended(USER, T0.plusSeconds(1));
        users.failActivityWrites(null);

        recorder.messageAppended(USER, T0.plusSeconds(2));

        assertThat(users.activityWrites()).singleElement()
                .extracting(ActivityWrite::newMessages).isEqualTo(3L);
    }

    @Test
    void messageAppended_shouldFileTheUserUnderTheDayAndAStableShard() {
        recorder.messageAppended(USER, T0);

        String shard = users.activityWrites().get(0).activeShard();
        assertThat(shard).matches("2026-11-28#0[0-7]");
        assertThat(shard).isEqualTo(
                dev.chathistory.shared.repository.dynamodb.UsersTable.activeShard(USER, T0, 8));
    }
}
