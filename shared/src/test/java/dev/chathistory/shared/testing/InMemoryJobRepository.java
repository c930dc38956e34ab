package dev.chathistory.shared.testing;

import dev.chathistory.shared.jobs.Job;
import dev.chathistory.shared.jobs.JobOutcome;
import dev.chathistory.shared.jobs.JobRepository;
import dev.chathistory.shared.jobs.JobRequest;
import dev.chathistory.shared.jobs.JobStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An honest fake of {@link JobRepository}: the same transitions and conditions, in memory. Its
 * contract with the DynamoDB repository is {@code JobRepositoryContract}.
 */
public final class InMemoryJobRepository implements JobRepository, HeldItems {

    /** What DynamoDB's repository writes when it expires a job. */
    static final String EXPIRED_ERROR = "job did not finish in time; its message may be in the dead-letter queue";

    private record Key(String tenantId, String jobId) {
    }

    private record Stored(Job job, Instant expiresAt, Instant openedAt) {
    }

    private final Map<Key, Stored> jobs = new HashMap<>();
    private final Map<Key, String> checkpoints = new HashMap<>();

    @Override
    public synchronized boolean create(Job job, Instant expiresAt) {
        Key key = new Key(job.tenantId(), job.jobId());
        Stored mine = new Stored(job, expiresAt, job.createdAt());
        Stored existing = jobs.putIfAbsent(key, mine);
        // Like DynamoDB: a retried put that finds exactly its own record created it.
        return existing == null || existing.equals(mine);
    }

    @Override
    public synchronized Optional<Job> find(String tenantId, String jobId, Instant now) {
        return Optional.ofNullable(jobs.get(new Key(tenantId, jobId)))
                // Like DynamoDB's TTL attribute: whole seconds.
                .filter(s -> s.expiresAt().getEpochSecond() > now.getEpochSecond())
                .map(Stored::job);
    }

    @Override
    public synchronized boolean start(JobRequest request, int attempt, Instant now, Instant expiresAt) {
        Key key = new Key(request.tenantId(), request.jobId());
        Stored stored = jobs.get(key);
        if (stored != null && stored.job().status() == JobStatus.SUCCEEDED) {
            return false;
        }
        Instant createdAt = stored == null ? now : stored.job().createdAt();
        jobs.put(key, new Stored(new Job(request.jobId(), request.type(), request.tenantId(), request.userId(),
                request.chatId(), JobStatus.RUNNING, attempt, stored == null ? Map.of() : stored.job().counts(),
                stored == null ? null : stored.job().error(), stored == null ? null : stored.job().resultKey(),
                createdAt, now, null), expiresAt, now));
        return true;
    }

    @Override
    public synchronized void succeed(JobRequest request, JobOutcome outcome, Instant now, Instant expiresAt) {
        Key key = new Key(request.tenantId(), request.jobId());
        Job job = jobs.get(key).job();
        jobs.put(key, new Stored(new Job(job.jobId(), job.type(), job.tenantId(), job.userId(), job.chatId(),
                JobStatus.SUCCEEDED, job.attempts(), outcome.counts(), null, outcome.resultKey(), job.createdAt(),
                now, null), expiresAt, null));
        checkpoints.remove(key);
    }

    @Override
    public synchronized void fail(JobRequest request, String error, Instant retryAt, Instant now, Instant expiresAt) {
        Key key = new Key(request.tenantId(), request.jobId());
        Stored stored = jobs.get(key);
        if (stored == null || stored.job().status() == JobStatus.SUCCEEDED) {
            return;
        }
        Job job = stored.job();
        JobStatus status = retryAt == null ? JobStatus.FAILED : job.status();
        jobs.put(key, new Stored(new Job(job.jobId(), job.type(), job.tenantId(), job.userId(), job.chatId(),
                status, job.attempts(), job.counts(), error, job.resultKey(), job.createdAt(), now, retryAt),
                expiresAt, status.isOpen() ? stored.openedAt() : null));
    }

    @Override
    public synchronized void continueLater(JobRequest request, JobOutcome progress, Instant resumeAt, Instant now,
                                           Instant expiresAt) {
        Key key = new Key(request.tenantId(), request.jobId());
        Stored stored = jobs.get(key);
        if (stored == null || stored.job().status() == JobStatus.SUCCEEDED) {
            return;
        }
        Job job = stored.job();
        jobs.put(key, new Stored(new Job(job.jobId(), job.type(), job.tenantId(), job.userId(), job.chatId(),
                job.status(), job.attempts(), progress.counts(), null, job.resultKey(), job.createdAt(), now, resumeAt),
                expiresAt, stored.openedAt()));
    }

    @Override
    public synchronized Optional<String> checkpoint(JobRequest request) {
        return Optional.ofNullable(checkpoints.get(new Key(request.tenantId(), request.jobId())));
    }

    @Override
    public synchronized void saveCheckpoint(JobRequest request, String checkpoint) {
        Key key = new Key(request.tenantId(), request.jobId());
        if (!jobs.containsKey(key)) {
            throw new IllegalStateException("no job record to hold the checkpoint");
        }
        checkpoints.put(key, checkpoint);
    }

    @Override
    public synchronized List<OpenJob> listOpen(String day, Instant openedBefore) {
        // Like DynamoDB's OpenJobs index: one partition per day, sorted by when the job was opened.
        return jobs.entrySet().stream()
                .filter(e -> e.getValue().openedAt() != null && e.getValue().openedAt().isBefore(openedBefore)
                        && dev.chathistory.shared.model.Timestamps.day(e.getValue().openedAt()).equals(day))
                .sorted(Comparator.comparing((Map.Entry<Key, Stored> e) -> e.getValue().openedAt())
                        .thenComparing(e -> e.getKey().tenantId()).thenComparing(e -> e.getKey().jobId()))
                .map(e -> new OpenJob(e.getKey().tenantId(), e.getKey().jobId()))
                .toList();
    }

    @Override
    public synchronized boolean expireIfStale(String tenantId, String jobId, Instant staleBefore, Instant now) {
        Key key = new Key(tenantId, jobId);
        Stored stored = jobs.get(key);
        if (stored == null || !stored.job().status().isOpen() || !stored.job().updatedAt().isBefore(staleBefore)) {
            return false;
        }
        Job job = stored.job();
        jobs.put(key, new Stored(new Job(job.jobId(), job.type(), job.tenantId(), job.userId(), job.chatId(),
                JobStatus.EXPIRED, job.attempts(), job.counts(), EXPIRED_ERROR, job.resultKey(),
                job.createdAt(), now, null), stored.expiresAt(), null));
        return true;
    }

    /** Job records and checkpoints. */
    @Override
    public synchronized List<HeldItem> heldItems() {
        List<HeldItem> items = new ArrayList<>();
        jobs.forEach((key, stored) -> items.add(HeldItem.of("jobs", key, stored, key.tenantId(),
                stored.job().tenantId())));
        checkpoints.forEach((key, checkpoint) -> items.add(HeldItem.of("checkpoints", key, checkpoint,
                key.tenantId())));
        return items;
    }
}
