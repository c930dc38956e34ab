package dev.chathistory.userbatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chathistory.shared.archive.ObjectStore;
import dev.chathistory.shared.jobs.JobRepository;
import dev.chathistory.shared.repository.MessageRepository;
import dev.chathistory.shared.repository.UserRepository;
import dev.chathistory.shared.testing.CallRecorder;
import dev.chathistory.shared.testing.InMemoryJobRepository;
import dev.chathistory.shared.testing.InMemoryMessageRepository;
import dev.chathistory.shared.testing.InMemoryObjectStore;
import dev.chathistory.shared.testing.InMemoryUserRepository;
import dev.chathistory.shared.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** SnapStart priming reads through every repository a job starts with, and writes nothing. */
class UserBatchPrimingTest {

    private final CallRecorder recorder = new CallRecorder();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T10:00:00Z"));
    private final Runnable priming = UserBatchHandler.Wiring.priming(
            recorder.wrap(JobRepository.class, new InMemoryJobRepository()),
            recorder.wrap(UserRepository.class, new InMemoryUserRepository()),
            recorder.wrap(MessageRepository.class, new InMemoryMessageRepository()),
            recorder.wrap(ObjectStore.class, new InMemoryObjectStore()), clock);

    @Test
    void priming_shouldOnlyRead_inEveryLayerAJobStartsWith() {
        new UserBatchHandler(new UserBatchHandler.Wiring(null, Duration.ZERO, new RecordingJobMetrics(), priming))
                .beforeCheckpoint(null);

        assertThat(recorder.calls()).containsExactly("JobRepository.find", "UserRepository.findActivity",
                "UserRepository.listChats", "MessageRepository.listNewestFirst", "ObjectStore.get");
    }

    @Test
    void priming_shouldNeverStopTheCheckpoint() {
        new UserBatchHandler(new UserBatchHandler.Wiring(null, Duration.ZERO, new RecordingJobMetrics(), () -> {
            throw new IllegalStateException("no network before the snapshot");
        })).beforeCheckpoint(null);
    }
}
