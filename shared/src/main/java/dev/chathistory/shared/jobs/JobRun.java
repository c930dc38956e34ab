package dev.chathistory.shared.jobs;

import java.time.Instant;
import java.util.UUID;

/**
 * One run of a job: the request, a token naming this run (the holder of the leases it takes, so
 * two deliveries of one job never hold them at once) and the instant by which it must stop; a
 * job with more to do saves a checkpoint and asks to continue in a new delivery.
 */
public record JobRun(JobRequest request, String holder, Instant deadline) {

    /** A run without a deadline worth checking, under a fresh token: unit tests. */
    public static JobRun of(JobRequest request) {
        return new JobRun(request, request.jobId() + ":" + UUID.randomUUID(), Instant.MAX);
    }
}
