package dev.chathistory.shared.jobs;

import dev.chathistory.shared.archive.ObjectStore;
import dev.chathistory.shared.error.DomainException;
import dev.chathistory.shared.error.LimitExceededException;
import dev.chathistory.shared.error.Problem;
import dev.chathistory.shared.error.StorageUnavailableException;
import dev.chathistory.shared.ids.Identifiers;
import dev.chathistory.shared.ids.MessageIdGenerator;
import dev.chathistory.shared.limits.JobQuota;
import dev.chathistory.shared.limits.LimitOverrides;
import dev.chathistory.shared.model.Timestamps;
import dev.chathistory.shared.model.UserRef;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Submitting jobs and reading their status, for the API. */
public final class JobService {

    private static final Logger LOG = LoggerFactory.getLogger(JobService.class);

    /** A job as the API shows it: the record, plus a fresh download link for a finished export. */
    public record JobView(Job job, Optional<String> resultUrl, Optional<Instant> resultUrlExpiresAt) {
    }

    private final JobRepository jobs;
    private final JobQueue queue;
    private final ObjectStore results;
    private final MessageIdGenerator ids;
    private final Clock clock;
    private final Duration recordTtl;
    private final Duration resultUrlTtl;
    private final JobQuota quota;
    private final Predicate<UserRef> legalHold;

    public JobService(JobRepository jobs, JobQueue queue, ObjectStore results, MessageIdGenerator ids, Clock clock,
                      Duration recordTtl, Duration resultUrlTtl) {
        this(jobs, queue, results, ids, clock, recordTtl, resultUrlTtl, JobQuota.none());
    }

    public JobService(JobRepository jobs, JobQueue queue, ObjectStore results, MessageIdGenerator ids, Clock clock,
                      Duration recordTtl, Duration resultUrlTtl, JobQuota quota) {
        this(jobs, queue, results, ids, clock, recordTtl, resultUrlTtl, quota, user -> false);
    }

    /** As above; an erase of a user {@code legalHold} says is held is refused. */
    public JobService(JobRepository jobs, JobQueue queue, ObjectStore results, MessageIdGenerator ids, Clock clock,
                      Duration recordTtl, Duration resultUrlTtl, JobQuota quota, Predicate<UserRef> legalHold) {
        this.legalHold = legalHold;
        this.jobs = jobs;
        this.queue = queue;
        this.results = results;
        this.ids = ids;
        this.clock = clock;
        this.recordTtl = recordTtl;
        this.resultUrlTtl = resultUrlTtl;
        this.quota = quota;
    }

    /**
     * Records the job as queued, then enqueues it. If the queue refuses, the record says so and
     * the caller gets a {@link StorageUnavailableException} to retry; no job is left queued that
     * nobody will run. A submission over the user's or tenant's quota is refused
     * ({@link LimitExceededException}) after validation and before any write.
     */
    public Job submit(UserRef user, String typeName, String chatId) {
        return submit(user, typeName, chatId, LimitOverrides.NONE);
    }

    /** As {@link #submit(UserRef, String, String)}, with the tenant's own job quotas. */
    public Job submit(UserRef user, String typeName, String chatId, LimitOverrides ownLimits) {
        Identifiers.require("userId", user.userId());
        JobType type = JobType.fromWireName(typeName).orElseThrow(() -> new DomainException(
                Problem.VALIDATION_FAILED, "type must be one of " + Arrays.stream(JobType.values())
                        .map(JobType::wireName).collect(Collectors.joining(", "))));
        if (chatId != null) {
            if (type != JobType.ARCHIVE) {
                throw new DomainException(Problem.VALIDATION_FAILED, "chatId applies to archive jobs only");
            }
            Identifiers.require("chatId", chatId);
        }
        if (type == JobType.ERASE && legalHold.test(user)) {
            throw new DomainException(Problem.LEGAL_HOLD, "a legal hold is on this user; lift it before erasing");
        }
        quota.take(user, ownLimits);
        Instant now = Timestamps.truncate(clock.instant());
        JobRequest request = new JobRequest(ids.nextId(), type, user.tenantId(), user.userId(), chatId);
        Job job = Job.queued(request, now);
        if (!jobs.create(job, now.plus(recordTtl))) {
            throw new IllegalStateException("job id collision");
        }
        try {
            queue.send(request);
        } catch (RuntimeException e) {
            LOG.warn("could not enqueue job {}: {}", request.jobId(), e.getClass().getSimpleName());
            jobs.fail(request, "could not be queued; submit it again", null, now, now.plus(recordTtl));
            throw e instanceof StorageUnavailableException unavailable ? unavailable
                    : new StorageUnavailableException("Sqs", e.getClass().getSimpleName(), e);
        }
        return job;
    }

    public JobView get(String tenantId, String jobId) {
        Identifiers.require("jobId", jobId);
        Instant now = clock.instant();
        Job job = jobs.find(tenantId, jobId, now)
                .orElseThrow(() -> new DomainException(Problem.JOB_NOT_FOUND, "job " + jobId + " not found"));
        if (job.status() != JobStatus.SUCCEEDED || job.resultKey() == null || results == null) {
            return new JobView(job, Optional.empty(), Optional.empty());
        }
        // Signed per read, so a link is always fresh and never outlives its TTL.
        String url = results.downloadUrl(job.resultKey(), resultUrlTtl);
        return new JobView(job, Optional.of(url), Optional.of(Timestamps.truncate(now.plus(resultUrlTtl))));
    }
}
