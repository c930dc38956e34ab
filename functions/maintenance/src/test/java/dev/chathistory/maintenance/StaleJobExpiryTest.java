package dev.chathistory.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chathistory.shared.jobs.Job;
import dev.chathistory.shared.jobs.JobRequest;
import dev.chathistory.shared.jobs.JobStatus;
import dev.chathistory.shared.jobs.JobType;
import dev.chathistory.shared.testing.InMemoryJobRepository;
import dev.chathistory.shared.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StaleJobExpiryTest {

    private static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");
    private static final Instant FAR_FUTURE = NOW.plus(Duration.ofDays(30));

    private final InMemoryJobRepository jobs = new InMemoryJobRepository();
    private final MutableClock clock = new MutableClock(NOW);
    private final StaleJobExpiry expiry = new StaleJobExpiry(jobs, clock, Duration.ofHours(24));

    private JobRequest queuedAt(String jobId, Instant at) {
        JobRequest request = new JobRequest(jobId, JobType.RECOUNT, "t1", "u1", null);
        jobs.create(Job.queued(request, at), FAR_FUTURE);
        return request;
    }

    private JobStatus status(String jobId) {
        return jobs.find("t1", jobId, NOW).orElseThrow().status();
    }

    @Test
    void expire_shouldExpireOpenJobsUntouchedForLongerThanTheThreshold_only() {
        queuedAt("stale-queued", NOW.minus(Duration.ofHours(30)));
        queuedAt("stale-days-ago", NOW.minus(Duration.ofDays(5)));
        jobs.start(queuedAt("stale-running", NOW.minus(Duration.ofHours(40))), 1, NOW.minus(Duration.ofHours(26)),
                FAR_FUTURE);
        queuedAt("fresh", NOW.minus(Duration.ofHours(2)));
        jobs.start(queuedAt("old-but-retried", NOW.minus(Duration.ofHours(40))), 2, NOW.minus(Duration.ofHours(1)),
                FAR_FUTURE);

        int expired = expiry.expire(TimeBudget.unlimited());

        assertThat(expired).isEqualTo(3);
        assertThat(status("stale-queued")).isEqualTo(JobStatus.EXPIRED);
        assertThat(status("stale-days-ago")).isEqualTo(JobStatus.EXPIRED);
        assertThat(status("stale-running")).isEqualTo(JobStatus.EXPIRED);
        assertThat(status("fresh")).isEqualTo(JobStatus.QUEUED);
        assertThat(status("old-but-retried")).isEqualTo(JobStatus.RUNNING);
    }

    @Test
    void expire_shouldLookAWeekBackFromTheThreshold() {
        Instant staleBefore = NOW.minus(Duration.ofHours(24));
        queuedAt("within-lookback", staleBefore.minus(Duration.ofDays(StaleJobExpiry.LOOKBACK_DAYS)));
        queuedAt("beyond-lookback", staleBefore.minus(Duration.ofDays(StaleJobExpiry.LOOKBACK_DAYS + 1)));

        assertThat(expiry.expire(TimeBudget.unlimited())).isEqualTo(1);
        assertThat(status("beyond-lookback")).isEqualTo(JobStatus.QUEUED);
    }

    @Test
    void expire_shouldExpireNothing_whenNoTimeIsLeft() {
        queuedAt("stale", NOW.minus(Duration.ofHours(30)));

        assertThat(expiry.expire(new TimeBudget(() -> 0, Duration.ofSeconds(30)))).isZero();
        assertThat(status("stale")).isEqualTo(JobStatus.QUEUED);
    }
}
