package dev.chathistory.userbatch;

import dev.chathistory.shared.jobs.JobOutcome;
import dev.chathistory.shared.jobs.JobQueue;
import dev.chathistory.shared.jobs.JobRepository;
import dev.chathistory.shared.jobs.JobRequest;
import dev.chathistory.shared.jobs.JobRun;
import dev.chathistory.shared.jobs.LeaseBusyException;
import dev.chathistory.shared.jobs.SqsJobQueue;
import dev.chathistory.shared.jobs.JobType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one job with its record: running, then succeeded, or the failure and when it is retried.
 * A job that is not finished (it ran out of time, waits for a lease another job holds, or waits
 * on purpose) continues in a new message sent with a delay, so waiting never spends one of the
 * message's deliveries, which are kept for failures.
 */
public final class JobRunner {

    private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);
    private static final int MAX_ERROR_LENGTH = 300;
    /** Waiting a little past a lease's end lets its holder's release land first. */
    private static final Duration LEASE_MARGIN = Duration.ofSeconds(1);
    private static final Duration LEASE_POLL = Duration.ofSeconds(5);

    private final JobRepository jobs;
    private final JobQueue queue;
    private final Map<JobType, UserJob> handlers;
    private final Clock clock;
    private final Duration recordTtl;

    public JobRunner(JobRepository jobs, JobQueue queue, Map<JobType, UserJob> handlers, Clock clock,
                     Duration recordTtl) {
        this.jobs = jobs;
        this.queue = queue;
        this.handlers = new EnumMap<>(handlers);
        this.clock = clock;
        this.recordTtl = recordTtl;
    }

    /**
     * Runs the job unless an earlier delivery already finished it.
     *
     * @return false if there was nothing to do
     */
    public boolean run(JobRequest request, int attempt, Instant deadline) {
        Instant now = clock.instant();
        if (!jobs.start(request, attempt, now, now.plus(recordTtl))) {
            LOG.info("job {} already succeeded; skipping redelivery", request.jobId());
            return false;
        }
        UserJob handler = handlers.get(request.type());
        if (handler == null) {
            throw new IllegalStateException("no handler for job type " + request.type().wireName());
        }
        JobRun run = JobRun.of(request, deadline);
        JobOutcome outcome;
        try {
            outcome = handler.run(run);
        } catch (LeaseBusyException busy) {
            // Another job of the same user or chat runs; this one waits its turn. Jobs usually end
            // long before their lease would, so it looks again soon rather than at the lease's end.
            LOG.info("job {} waits for a lease held until {}", request.jobId(), busy.busyUntil());
            Duration untilFree = Duration.between(clock.instant(), busy.busyUntil()).plus(LEASE_MARGIN);
            Duration wait = untilFree.compareTo(LEASE_POLL) < 0 ? untilFree : LEASE_POLL;
            outcome = new JobOutcome.Counts().add("leaseWaits", 1).continueAfter(wait);
        } finally {
            // A run that failed may still hold a lease it could not release; its next delivery
            // runs under a new token and would wait for the lease to expire.
            int stillHeld = run.releaseLeftovers();
            if (stillHeld > 0) {
                LOG.warn("job {} leaves {} lease(s) held until they expire", request.jobId(), stillHeld);
            }
        }
        if (!outcome.finished()) {
            continueLater(request, outcome);
            return true;
        }
        Instant done = clock.instant();
        jobs.succeed(request, outcome, done, done.plus(recordTtl));
        LOG.info("job {} ({}) succeeded: {}", request.jobId(), request.type().wireName(), outcome.counts());
        return true;
    }

    private void continueLater(JobRequest request, JobOutcome progress) {
        Duration delay = progress.continueAfter().isNegative() ? Duration.ZERO : progress.continueAfter();
        if (delay.compareTo(SqsJobQueue.MAX_DELAY) > 0) {
            delay = SqsJobQueue.MAX_DELAY;
        }
        // Sent before the record says so: if sending fails, this delivery fails and is retried.
        queue.sendLater(request, delay);
        Instant now = clock.instant();
        jobs.continueLater(request, progress, now.plus(delay), now, now.plus(recordTtl));
        LOG.info("job {} ({}) continues in {} s: {}", request.jobId(), request.type().wireName(),
                delay.toSeconds(), progress.counts());
    }

    /** Records a failed attempt; {@code retryAt} null means it was the last one. */
    public void failed(JobRequest request, Throwable error, Instant retryAt) {
        Instant now = clock.instant();
        jobs.fail(request, describe(error), retryAt, now, now.plus(recordTtl));
    }

    /** The class and message only: our exceptions name ids, never message text. */
    static String describe(Throwable error) {
        String text = error.getClass().getSimpleName() + (error.getMessage() == null ? "" : ": " + error.getMessage());
        return text.length() > MAX_ERROR_LENGTH ? text.substring(0, MAX_ERROR_LENGTH) : text;
    }
}
