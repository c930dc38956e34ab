package dev.chathistory.userbatch;

import dev.chathistory.shared.jobs.JobOutcome;
import dev.chathistory.shared.jobs.JobRun;

/**
 * One kind of job. Implementations must be idempotent: at-least-once delivery means a job can
 * run twice, or twice at once, and must leave the same state either way.
 */
@FunctionalInterface
public interface UserJob {
    JobOutcome run(JobRun run);
}
