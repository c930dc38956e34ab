package dev.chathistory.userbatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chathistory.shared.jobs.JobOutcome;
import dev.chathistory.shared.jobs.JobRequest;
import dev.chathistory.shared.jobs.JobStatus;
import dev.chathistory.shared.jobs.JobType;
import dev.chathistory.shared.jobs.LeaseBusyException;
import dev.chathistory.shared.jobs.Leases;
import dev.chathistory.shared.testing.InMemoryLeases;
import dev.chathistory.shared.testing.InMemoryJobRepository;
import dev.chathistory.shared.testing.MutableClock;
import dev.chathistory.shared.testing.RecordingJobQueue;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Unfinished jobs continue in a delayed message, and stay running meanwhile. */
class JobRunnerTest {

    private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");

    private final InMemoryJobRepository jobs = new InMemoryJobRepository();
    private final RecordingJobQueue queue = new RecordingJobQueue();
    private final MutableClock clock = new MutableClock(NOW);
    private final JobRequest request = new JobRequest("job-1", JobType.EXPORT, "t1", "u1", null);

    private JobRunner runner(UserJob job) {
        return new JobRunner(jobs, queue, Map.of(JobType.EXPORT, job), clock, Duration.ofDays(14));
    }

    @Test
    void run_shouldSendTheJobAgainWithTheDelayItAsks_andKeepItRunning() {
        runner(run -> new JobOutcome.Counts().add("chatsWritten", 2).continueAfter(Duration.ofSeconds(42)))
                .run(request, 1, NOW.plusSeconds(60));

        assertThat(queue.sent()).containsExactly(request);
        assertThat(queue.delays()).containsExactly(Duration.ofSeconds(42));
        var job = jobs.find("t1", "job-1", NOW).orElseThrow();
        assertThat(job.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(job.counts()).containsEntry("chatsWritten", 2L);
        assertThat(job.nextAttemptAt()).isEqualTo(NOW.plusSeconds(42));
    }

    @Test
    void run_shouldWaitForABusyLease_inADelayedMessage_ratherThanFailing() {
        runner(run -> {
            throw new LeaseBusyException(NOW.plusSeconds(100));
        }).run(request, 3, NOW.plusSeconds(60));

        assertThat(queue.delays()).as("looks again soon, not at the lease's end").containsExactly(Duration.ofSeconds(5));
        var job = jobs.find("t1", "job-1", NOW).orElseThrow();
        assertThat(job.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(job.error()).isNull();
    }

    @Test
    void run_shouldCapTheDelayAtWhatSqsAllows() {
        runner(run -> new JobOutcome.Counts().continueAfter(Duration.ofHours(2))).run(request, 1, NOW);

        assertThat(queue.delays()).containsExactly(Duration.ofMinutes(15));
    }

    @Test
    void run_thatFailsAfterItsLeasesAnswerWasLost_shouldFreeTheLease_soItsNextDeliveryNeedNotWaitForIt() {
        InMemoryLeases memory = new InMemoryLeases();
        // The acquisition applies and its answer never comes back, as after a timeout.
        Leases lostAnswer = new Leases() {
            @Override
            public Optional<Instant> tryAcquire(String scope, String holder, Instant now, Duration ttl) {
                memory.tryAcquire(scope, holder, now, ttl);
                throw new IllegalStateException("connection closed");
            }

            @Override
            public void release(String scope, String holder) {
                memory.release(scope, holder);
            }
        };
        JobRunner runner = runner(run -> {
            try (Leases.Held held = run.hold(lostAnswer, "U#t1#u1", NOW, Duration.ofMinutes(5))) {
                return new JobOutcome.Counts().outcome();
            }
        });

        assertThatThrownBy(() -> runner.run(request, 1, NOW.plusSeconds(60))).hasMessage("connection closed");

        assertThat(memory.holder("U#t1#u1")).isEmpty();
        assertThat(memory.tryAcquire("U#t1#u1", "job-1:next-delivery", NOW, Duration.ofMinutes(5))).isEmpty();
    }
}
