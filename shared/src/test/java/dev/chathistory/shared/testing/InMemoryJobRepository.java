package dev.chathistory.shared.testing;

import dev.chathistory.shared.jobs.Job;
import dev.chathistory.shared.jobs.JobOutcome;
import dev.chathistory.shared.jobs.JobRepository;
import dev.chathistory.shared.jobs.JobRequest;
import dev.chathistory.shared.jobs.JobStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An honest fake of {@link JobRepository}: the same transitions and conditions, in memory. */
public final class InMemoryJobRepository implements JobRepository {

    private record Key(String tenantId, String jobId) {
    }

    private record Stored(Job job, Instant expiresAt, Instant openedAt) {
    }

    private final Map<Key, Stored> jobs = new HashMap<>();
    private final Map<Key, String> checkpoints = new HashMap<>();

    @Override
    public synchronized boolean create(Job job, Instant expiresAt) {
        Key key = new Key(job.tenantId(), job.jobId());
        if (jobs.containsKey(key)) {
            return false;
        }
        jobs.put(key, new Stored(job, expiresAt, job.createdAt()));
        return true;
    }

    @Override
    public synchronized Optional<Job> find(String tenantId, String jobId, Instant now) {
        return Optional.ofNullable(jobs.get(new Key(tenantId, jobId)))
                .filter(s -> s.expiresAt().isAfter(now))
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
                request.chatId(), JobStatus.RUNNING, attempt, Map.of(), stored == null ? null : stored.job().error(),
                null, createdAt, now, null), expiresAt, now));
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
                job.status(), job.attempts(), progress.counts(), null, null, job.createdAt(), now, resumeAt),
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
        List<OpenJob> open = new ArrayList<>();
        jobs.forEach((key, stored) -> {
            if (stored.openedAt() != null && stored.openedAt().isBefore(openedBefore)
                    && dev.chathistory.shared.model.Timestamps.day(stored.openedAt()).equals(day)) {
                open.add(new OpenJob(key.tenantId(), key.jobId()));
            }
        });
        return open;
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
                JobStatus.EXPIRED, job.attempts(), job.counts(), "job did not finish in time", job.resultKey(),
                job.createdAt(), now, null), stored.expiresAt(), null));
        return true;
    }
}
