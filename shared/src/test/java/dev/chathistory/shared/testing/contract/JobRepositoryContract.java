package dev.chathistory.shared.testing.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chathistory.shared.jobs.Job;
import dev.chathistory.shared.jobs.JobOutcome;
import dev.chathistory.shared.jobs.JobRepository;
import dev.chathistory.shared.jobs.JobRepository.OpenJob;
import dev.chathistory.shared.jobs.JobRequest;
import dev.chathistory.shared.jobs.JobStatus;
import dev.chathistory.shared.jobs.JobType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What callers of {@link JobRepository} rely on, run against the in-memory fake and against
 * DynamoDB on the emulator. The DynamoDB implementation is the truth. Record expiry is whole
 * seconds, as DynamoDB's TTL attribute keeps it.
 */
public abstract class JobRepositoryContract {

    protected static final Instant NOW = Instant.parse("2026-12-01T10:00:00.000Z");
    private static final Instant KEEP_UNTIL = NOW.plus(Duration.ofDays(7));

    /** A new repository over empty storage; each test gets its own. */
    protected abstract JobRepository newRepository();

    private JobRepository repository;
    private String tenant;
    private String otherTenant;

    @BeforeEach
    void freshRepository() {
        repository = newRepository();
        String run = Long.toString(System.nanoTime(), 36);
        tenant = "tenant-a-" + run;
        otherTenant = "tenant-b-" + run;
    }

    private JobRequest request(String jobId) {
        return new JobRequest(jobId, JobType.EXPORT, tenant, "u1", null);
    }

    private Job created(String jobId, Instant at) {
        Job job = Job.queued(request(jobId), at);
        assertThat(repository.create(job, KEEP_UNTIL)).isTrue();
        return job;
    }

    private Job find(String jobId) {
        return repository.find(tenant, jobId, NOW).orElseThrow();
    }

    private List<OpenJob> openOfThisTest(String day, Instant openedBefore) {
        // Other tests' jobs may share the day (and, on the emulator, the table).
        return repository.listOpen(day, openedBefore).stream()
                .filter(j -> j.tenantId().equals(tenant) || j.tenantId().equals(otherTenant)).toList();
    }

    // ------------------------------------------------------------------ create and find

    @Test
    void create_shouldStoreAQueuedJob_thatFindReturnsAsCreated() {
        Job job = Job.queued(new JobRequest("job-1", JobType.ARCHIVE, tenant, "u1", "chat-1"), NOW);

        assertThat(repository.create(job, KEEP_UNTIL)).isTrue();

        assertThat(repository.find(tenant, "job-1", NOW)).contains(job);
    }

    @Test
    void create_shouldRefuse_whenAnotherJobHasTheId() {
        Job first = created("job-1", NOW);
        Job other = Job.queued(new JobRequest("job-1", JobType.ERASE, tenant, "u2", null), NOW.plusSeconds(1));

        assertThat(repository.create(other, KEEP_UNTIL)).isFalse();

        assertThat(find("job-1")).isEqualTo(first);
    }

    @Test
    void create_shouldSayCreated_whenTheSameCreateIsRepeated() {
        // A put whose answer was lost and which the SDK retried finds exactly its own item.
        Job job = created("job-1", NOW);

        assertThat(repository.create(job, KEEP_UNTIL)).isTrue();
    }

    @Test
    void find_shouldTreatTheRecordAsGone_fromTheSecondItExpires() {
        created("job-1", NOW);

        assertThat(repository.find(tenant, "job-1", KEEP_UNTIL.minusSeconds(1))).isPresent();
        assertThat(repository.find(tenant, "job-1", KEEP_UNTIL)).isEmpty();
        assertThat(repository.find(tenant, "job-1", KEEP_UNTIL.plusMillis(999))).isEmpty();
    }

    @Test
    void find_shouldNotSeeAnotherTenantsJob_whenTheJobIdIsTheSame() {
        created("job-1", NOW);

        assertThat(repository.find(otherTenant, "job-1", NOW)).isEmpty();
        assertThat(repository.create(Job.queued(new JobRequest("job-1", JobType.EXPORT, otherTenant, "u1", null),
                NOW), KEEP_UNTIL)).as("the same id in another tenant").isTrue();
        assertThat(find("job-1").tenantId()).isEqualTo(tenant);
    }

    // ------------------------------------------------------------------ transitions

    @Test
    void start_shouldMarkTheJobRunningForTheAttempt_keepingWhenItWasCreated() {
        created("job-1", NOW);

        assertThat(repository.start(request("job-1"), 1, NOW.plusSeconds(5), KEEP_UNTIL)).isTrue();

        Job job = find("job-1");
        assertThat(job.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(job.attempts()).isEqualTo(1);
        assertThat(job.createdAt()).isEqualTo(NOW);
        assertThat(job.updatedAt()).isEqualTo(NOW.plusSeconds(5));
        assertThat(job.nextAttemptAt()).isNull();
    }

    @Test
    void start_shouldCreateTheRecord_whenTheJobWasEnqueuedWithoutOne() {
        JobRequest request = new JobRequest("job-1", JobType.RECOUNT, tenant, "u1", "chat-1");

        assertThat(repository.start(request, 1, NOW, KEEP_UNTIL)).isTrue();

        assertThat(find("job-1")).isEqualTo(new Job("job-1", JobType.RECOUNT, tenant, "u1", "chat-1",
                JobStatus.RUNNING, 1, Map.of(), null, null, NOW, NOW, null));
    }

    @Test
    void start_shouldRefuse_whenTheJobHasSucceeded() {
        created("job-1", NOW);
        repository.start(request("job-1"), 1, NOW, KEEP_UNTIL);
        repository.succeed(request("job-1"), new JobOutcome(Map.of("messages", 3L), "exports/x.gz"), NOW, KEEP_UNTIL);

        assertThat(repository.start(request("job-1"), 2, NOW.plusSeconds(1), KEEP_UNTIL)).isFalse();

        assertThat(find("job-1").status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(find("job-1").attempts()).isEqualTo(1);
    }

    @Test
    void start_shouldRunAFailedJobAgain_whenItsMessageIsRedriven() {
        created("job-1", NOW);
        repository.start(request("job-1"), 1, NOW, KEEP_UNTIL);
        repository.fail(request("job-1"), "boom", null, NOW.plusSeconds(1), KEEP_UNTIL);

        assertThat(repository.start(request("job-1"), 1, NOW.plusSeconds(2), KEEP_UNTIL)).isTrue();

        assertThat(find("job-1").status()).isEqualTo(JobStatus.RUNNING);
    }

    @Test
    void start_shouldKeepTheCountsAndErrorOfEarlierRuns_andClearTheNextAttempt() {
        created("job-1", NOW);
        repository.start(request("job-1"), 1, NOW, KEEP_UNTIL);
        repository.fail(request("job-1"), "throttled", NOW.plusSeconds(30), NOW.plusSeconds(1), KEEP_UNTIL);
        repository.start(request("job-1"), 2, NOW.plusSeconds(30), KEEP_UNTIL);
        repository.continueLater(request("job-1"), new JobOutcome(Map.of("chats", 2L), null),
                NOW.plusSeconds(90), NOW.plusSeconds(60), KEEP_UNTIL);
        repository.fail(request("job-1"), "throttled again", NOW.plusSeconds(200), NOW.plusSeconds(100),
                KEEP_UNTIL);

        repository.start(request("job-1"), 3, NOW.plusSeconds(200), KEEP_UNTIL);

        Job job = find("job-1");
        assertThat(job.counts()).isEqualTo(Map.of("chats", 2L));
        assertThat(job.error()).isEqualTo("throttled again");
        assertThat(job.nextAttemptAt()).isNull();
        assertThat(job.attempts()).isEqualTo(3);
    }

    @Test
    void succeed_shouldRecordTheOutcome_clearTheErrorAndCheckpoint_andCloseTheJob() {
        created("job-1", NOW);
        repository.start(request("job-1"), 1, NOW, KEEP_UNTIL);
        repository.fail(request("job-1"), "throttled", NOW.plusSeconds(30), NOW.plusSeconds(1), KEEP_UNTIL);
        repository.saveCheckpoint(request("job-1"), "{\"after\":\"chat-1\"}");

        repository.succeed(request("job-1"), new JobOutcome(Map.of("messages", 3L), "exports/x.gz"),
                NOW.plusSeconds(40), KEEP_UNTIL);

        assertThat(find("job-1")).isEqualTo(new Job("job-1", JobType.EXPORT, tenant, "u1", null,
                JobStatus.SUCCEEDED, 1, Map.of("messages", 3L), null, "exports/x.gz", NOW, NOW.plusSeconds(40),
                null));
        assertThat(repository.checkpoint(request("job-1"))).isEmpty();
        assertThat(openOfThisTest("2026-12-01", NOW.plusSeconds(3600))).isEmpty();
    }

    @Test
    void fail_shouldKeepTheJobRunningAndSayWhenItIsRetried_whenARetryFollows() {
        created("job-1", NOW);
        repository.start(request("job-1"), 1, NOW, KEEP_UNTIL);

        repository.fail(request("job-1"), "throttled", NOW.plusSeconds(30), NOW.plusSeconds(1), KEEP_UNTIL);

        Job job = find("job-1");
        assertThat(job.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(job.error()).isEqualTo("throttled");
        assertThat(job.nextAttemptAt()).isEqualTo(NOW.plusSeconds(30));
        assertThat(job.updatedAt()).isEqualTo(NOW.plusSeconds(1));
        assertThat(openOfThisTest("2026-12-01", NOW.plusSeconds(3600))).containsExactly(new OpenJob(tenant, "job-1"));
    }

    @Test
    void fail_shouldFailTheJobForGoodAndCloseIt_whenNoRetryFollows() {
        created("job-1", NOW);
        repository.start(request("job-1"), 1, NOW, KEEP_UNTIL);
        repository.fail(request("job-1"), "throttled", NOW.plusSeconds(30), NOW.plusSeconds(1), KEEP_UNTIL);

        repository.fail(request("job-1"), "poison", null, NOW.plusSeconds(40), KEEP_UNTIL);

        Job job = find("job-1");
        assertThat(job.status()).isEqualTo(JobStatus.FAILED);
        assertThat(job.error()).isEqualTo("poison");
        assertThat(job.nextAttemptAt()).isNull();
        assertThat(openOfThisTest("2026-12-01", NOW.plusSeconds(3600))).isEmpty();
    }

    @Test
    void fail_shouldChangeNothing_whenTheJobSucceededOrHasNoRecord() {
        created("job-1", NOW);
        repository.start(request("job-1"), 1, NOW, KEEP_UNTIL);
        repository.succeed(request("job-1"), new JobOutcome(Map.of(), null), NOW.plusSeconds(1), KEEP_UNTIL);
        Job succeeded = find("job-1");

        repository.fail(request("job-1"), "late copy failed", null, NOW.plusSeconds(2), KEEP_UNTIL);
        repository.fail(request("job-2"), "no record", null, NOW.plusSeconds(2), KEEP_UNTIL);

        assertThat(find("job-1")).isEqualTo(succeeded);
        assertThat(repository.find(tenant, "job-2", NOW)).isEmpty();
    }

    @Test
    void continueLater_shouldKeepTheJobRunning_withTheCountsSoFarAndWhenItResumes() {
        created("job-1", NOW);
        repository.start(request("job-1"), 1, NOW, KEEP_UNTIL);
        repository.fail(request("job-1"), "throttled", NOW.plusSeconds(30), NOW.plusSeconds(1), KEEP_UNTIL);

        repository.continueLater(request("job-1"), new JobOutcome(Map.of("chats", 2L), null), NOW.plusSeconds(90),
                NOW.plusSeconds(60), KEEP_UNTIL);

        Job job = find("job-1");
        assertThat(job.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(job.counts()).isEqualTo(Map.of("chats", 2L));
        assertThat(job.nextAttemptAt()).isEqualTo(NOW.plusSeconds(90));
        assertThat(job.error()).isNull();
        assertThat(job.updatedAt()).isEqualTo(NOW.plusSeconds(60));
    }

    @Test
    void continueLater_shouldChangeNothing_whenTheJobSucceeded() {
        created("job-1", NOW);
        repository.start(request("job-1"), 1, NOW, KEEP_UNTIL);
        repository.succeed(request("job-1"), new JobOutcome(Map.of("messages", 1L), null), NOW, KEEP_UNTIL);
        Job succeeded = find("job-1");

        repository.continueLater(request("job-1"), new JobOutcome(Map.of("chats", 2L), null), NOW.plusSeconds(90),
                NOW.plusSeconds(60), KEEP_UNTIL);

        assertThat(find("job-1")).isEqualTo(succeeded);
    }

    // ------------------------------------------------------------------ checkpoints

    @Test
    void saveCheckpoint_shouldKeepTheLatestCheckpoint_forCheckpointToReturn() {
        created("job-1", NOW);
        assertThat(repository.checkpoint(request("job-1"))).isEmpty();

        repository.saveCheckpoint(request("job-1"), "{\"n\":1}");
        repository.saveCheckpoint(request("job-1"), "{\"n\":2}");

        assertThat(repository.checkpoint(request("job-1"))).contains("{\"n\":2}");
        assertThat(repository.checkpoint(new JobRequest("job-1", JobType.EXPORT, otherTenant, "u1", null)))
                .isEmpty();
    }

    @Test
    void saveCheckpoint_shouldThrow_whenTheJobHasNoRecord() {
        assertThatThrownBy(() -> repository.saveCheckpoint(request("job-1"), "{}"))
                .isInstanceOf(RuntimeException.class);
        assertThat(repository.checkpoint(request("job-1"))).isEmpty();
        assertThat(repository.find(tenant, "job-1", NOW)).isEmpty();
    }

    // ------------------------------------------------------------------ open jobs

    @Test
    void listOpen_shouldListJobsOfEveryTenantOpenedThatDayBeforeTheTime_oldestFirst() {
        created("job-late", NOW.plusSeconds(600));
        created("job-early", NOW);
        repository.create(Job.queued(new JobRequest("job-b", JobType.ERASE, otherTenant, "u1", null),
                NOW.plusSeconds(300)), KEEP_UNTIL);
        created("job-next-day", NOW.plus(Duration.ofDays(1)));

        assertThat(openOfThisTest("2026-12-01", NOW.plusSeconds(600))).containsExactly(
                new OpenJob(tenant, "job-early"), new OpenJob(otherTenant, "job-b"));
        assertThat(openOfThisTest("2026-12-02", NOW.plus(Duration.ofDays(2))))
                .containsExactly(new OpenJob(tenant, "job-next-day"));
    }

    @Test
    void listOpen_shouldFileAStartedJobUnderTheTimeItLastStarted() {
        created("job-1", NOW);
        repository.start(request("job-1"), 1, NOW.plus(Duration.ofDays(1)), KEEP_UNTIL);

        assertThat(openOfThisTest("2026-12-01", NOW.plusSeconds(3600))).isEmpty();
        assertThat(openOfThisTest("2026-12-02", NOW.plus(Duration.ofDays(2))))
                .containsExactly(new OpenJob(tenant, "job-1"));
    }

    @Test
    void expireIfStale_shouldExpireAnOpenJobNotTouchedSince_andCloseIt() {
        created("job-1", NOW);
        repository.start(request("job-1"), 1, NOW, KEEP_UNTIL);
        repository.fail(request("job-1"), "throttled", NOW.plusSeconds(30), NOW.plusSeconds(1), KEEP_UNTIL);

        assertThat(repository.expireIfStale(tenant, "job-1", NOW.plusSeconds(1), NOW.plusSeconds(7200)))
                .as("touched at the stale-before instant itself").isFalse();
        assertThat(repository.expireIfStale(tenant, "job-1", NOW.plusSeconds(3600), NOW.plusSeconds(7200)))
                .isTrue();

        Job job = find("job-1");
        assertThat(job.status()).isEqualTo(JobStatus.EXPIRED);
        assertThat(job.error()).isEqualTo("job did not finish in time; its message may be in the dead-letter queue");
        assertThat(job.updatedAt()).isEqualTo(NOW.plusSeconds(7200));
        assertThat(job.nextAttemptAt()).isNull();
        assertThat(openOfThisTest("2026-12-01", NOW.plusSeconds(3600))).isEmpty();
    }

    @Test
    void expireIfStale_shouldRefuse_whenTheJobIsFinishedOrHasNoRecord() {
        created("job-1", NOW);
        repository.start(request("job-1"), 1, NOW, KEEP_UNTIL);
        repository.succeed(request("job-1"), new JobOutcome(Map.of(), null), NOW, KEEP_UNTIL);

        assertThat(repository.expireIfStale(tenant, "job-1", NOW.plusSeconds(3600), NOW.plusSeconds(7200)))
                .isFalse();
        assertThat(repository.expireIfStale(tenant, "job-2", NOW.plusSeconds(3600), NOW.plusSeconds(7200)))
                .isFalse();
        assertThat(find("job-1").status()).isEqualTo(JobStatus.SUCCEEDED);
    }
}
