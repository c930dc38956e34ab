package dev.chathistory.shared.jobs;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Job records. Every transition is a conditional write, so two copies of one job message (SQS
 * delivers at least once) cannot move a finished job backwards.
 */
public interface JobRepository {

    /** A job that is queued or running, as the open-jobs index lists it. */
    record OpenJob(String tenantId, String jobId) {
    }

    /** Stores a new queued job; false if a job with that id already exists. */
    boolean create(Job job, Instant expiresAt);

    /** The job, unless it does not exist in that tenant or its record has expired. */
    Optional<Job> find(String tenantId, String jobId, Instant now);

    /**
     * Marks the job running for delivery {@code attempt}, creating the record if the job was
     * enqueued without one (maintenance does that).
     *
     * @return false if the job already succeeded, so this delivery has nothing to do
     */
    boolean start(JobRequest request, int attempt, Instant now, Instant expiresAt);

    void succeed(JobRequest request, JobOutcome outcome, Instant now, Instant expiresAt);

    /**
     * Records a failed attempt. With {@code retryAt} the job stays running and says when it is
     * retried; without, the job has failed for good (its message is going to the DLQ).
     */
    void fail(JobRequest request, String error, Instant retryAt, Instant now, Instant expiresAt);

    /**
     * Records that a run ended unfinished and the job continues at {@code resumeAt}: it stays
     * running, with the counts so far.
     */
    void continueLater(JobRequest request, JobOutcome progress, Instant resumeAt, Instant now, Instant expiresAt);

    /** The checkpoint the job saved last (a JSON document), if any. */
    Optional<String> checkpoint(JobRequest request);

    /** Saves where the job has got to, so the next run of it resumes there. At most 100 KB. */
    void saveCheckpoint(JobRequest request, String checkpoint);

    /** Jobs of every tenant that were last opened on {@code day} (yyyy-MM-dd) before {@code openedBefore}. */
    List<OpenJob> listOpen(String day, Instant openedBefore);

    /** Marks an open job expired if it has not been touched since {@code staleBefore}. */
    boolean expireIfStale(String tenantId, String jobId, Instant staleBefore, Instant now);
}
