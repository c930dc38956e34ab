package dev.chathistory.userbatch;

import dev.chathistory.shared.jobs.JobOutcome;
import dev.chathistory.shared.jobs.JobRepository;
import dev.chathistory.shared.jobs.JobRequest;
import dev.chathistory.shared.jobs.JobType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs one job with its record: running, then succeeded, or the failure and when it is retried. */
public final class JobRunner {

    private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);
    private static final int MAX_ERROR_LENGTH = 300;

    private final JobRepository jobs;
    private final Map<JobType, UserJob> handlers;
    private final Clock clock;
    private final Duration recordTtl;

    public JobRunner(JobRepository jobs, Map<JobType, UserJob> handlers, Clock clock, Duration recordTtl) {
        this.jobs = jobs;
        this.handlers = new EnumMap<>(handlers);
        this.clock = clock;
        this.recordTtl = recordTtl;
    }

    /**
     * Runs the job unless an earlier delivery already finished it.
     *
     * @return false if there was nothing to do
     */
    public boolean run(JobRequest request, int attempt) {
        Instant now = clock.instant();
        if (!jobs.start(request, attempt, now, now.plus(recordTtl))) {
            LOG.info("job {} already succeeded; skipping redelivery", request.jobId());
            return false;
        }
        UserJob handler = handlers.get(request.type());
        if (handler == null) {
            throw new IllegalStateException("no handler for job type " + request.type().wireName());
        }
        JobOutcome outcome = handler.run(request);
        Instant done = clock.instant();
        jobs.succeed(request, outcome, done, done.plus(recordTtl));
        LOG.info("job {} ({}) succeeded: {}", request.jobId(), request.type().wireName(), outcome.counts());
        return true;
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
