package dev.chathistory.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chathistory.shared.jobs.Job;
import dev.chathistory.shared.jobs.JobOutcome;
import dev.chathistory.shared.jobs.JobRequest;
import dev.chathistory.shared.jobs.JobStatus;
import dev.chathistory.shared.jobs.JobType;
import dev.chathistory.shared.repository.dynamodb.DynamoDbJobRepository;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The sweep expires job records stuck open past StaleJobHours, through the OpenJobs index. */
class MaintenanceStaleJobsIT {

    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private static final Instant RECORD_EXPIRY = NOW.plus(Duration.ofDays(14));

    private MaintenanceStack stack;
    private DynamoDbJobRepository jobs;

    @AfterEach
    void close() {
        stack.close();
    }

    private JobRequest queuedAt(String jobId, Instant at) {
        JobRequest request = new JobRequest(jobId, JobType.ARCHIVE, "tenant-0", "user-1", null);
        assertThat(jobs.create(Job.queued(request, at), RECORD_EXPIRY)).isTrue();
        return request;
    }

    private Job job(String jobId) {
        return jobs.find("tenant-0", jobId, NOW).orElseThrow();
    }

    @Test
    void sweep_shouldExpireStaleOpenJobs_andLeaveFreshAndFinishedOnes() {
        stack = new MaintenanceStack(NOW, 2, Duration.ofHours(1));
        jobs = new DynamoDbJobRepository(stack.dynamoDb, stack.service.usersTable());
        queuedAt("stale-queued", NOW.minus(Duration.ofHours(30)));
        queuedAt("stale-queued-days-ago", NOW.minus(Duration.ofDays(4)));
        jobs.start(queuedAt("stale-running", NOW.minus(Duration.ofHours(40))), 1, NOW.minus(Duration.ofHours(26)),
                RECORD_EXPIRY);
        queuedAt("fresh-queued", NOW.minus(Duration.ofHours(2)));
        jobs.start(queuedAt("old-but-retried", NOW.minus(Duration.ofHours(40))), 2, NOW.minus(Duration.ofHours(1)),
                RECORD_EXPIRY);
        JobRequest done = queuedAt("old-succeeded", NOW.minus(Duration.ofHours(40)));
        jobs.start(done, 1, NOW.minus(Duration.ofHours(40)), RECORD_EXPIRY);
        jobs.succeed(done, new JobOutcome.Counts().add("messages", 1).outcome(), NOW.minus(Duration.ofHours(39)),
                RECORD_EXPIRY);

        Map<String, Object> summary = stack.sweep();

        assertThat(summary).containsEntry("staleJobsExpired", 3);
        assertThat(stack.metrics.value("StaleJobsExpired")).isEqualTo(3L);
        assertThat(job("stale-queued").status()).isEqualTo(JobStatus.EXPIRED);
        assertThat(job("stale-queued").error()).contains("dead-letter queue");
        assertThat(job("stale-queued-days-ago").status()).isEqualTo(JobStatus.EXPIRED);
        assertThat(job("stale-running").status()).isEqualTo(JobStatus.EXPIRED);
        assertThat(job("fresh-queued").status()).isEqualTo(JobStatus.QUEUED);
        assertThat(job("old-but-retried").status()).isEqualTo(JobStatus.RUNNING);
        assertThat(job("old-succeeded").status()).isEqualTo(JobStatus.SUCCEEDED);

        assertThat(stack.sweep()).as("expired jobs leave the open-jobs index").containsEntry("staleJobsExpired", 0);
    }
}
