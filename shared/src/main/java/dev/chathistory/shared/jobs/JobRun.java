package dev.chathistory.shared.jobs;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One run of a job: the request, a token naming this run (the holder of the leases it takes, so
 * two deliveries of one job never hold them at once) and the instant by which it must stop; a
 * job with more to do saves a checkpoint and asks to continue in a new delivery.
 *
 * <p>The run remembers every lease it asked for until it released it. A lease whose release
 * failed, or whose acquisition applied but lost its answer, would otherwise stay held until it
 * expires, and the job's own next delivery, under a new token, would wait that long for it.
 */
public final class JobRun {

    private final JobRequest request;
    private final String holder;
    private final Instant deadline;
    private final Map<String, Leases> unreleased = new ConcurrentHashMap<>();

    public JobRun(JobRequest request, String holder, Instant deadline) {
        this.request = Objects.requireNonNull(request, "request");
        this.holder = Objects.requireNonNull(holder, "holder");
        this.deadline = Objects.requireNonNull(deadline, "deadline");
    }

    /** A run under a fresh token. */
    public static JobRun of(JobRequest request, Instant deadline) {
        return new JobRun(request, request.jobId() + ":" + UUID.randomUUID(), deadline);
    }

    /** A run without a deadline worth checking, under a fresh token: unit tests. */
    public static JobRun of(JobRequest request) {
        return of(request, Instant.MAX);
    }

    public JobRequest request() {
        return request;
    }

    public String holder() {
        return holder;
    }

    public Instant deadline() {
        return deadline;
    }

    /**
     * Holds the lease on {@code scope} for this run: {@code try (var held = run.hold(...)) { ... }}.
     *
     * @throws LeaseBusyException when someone else holds it
     */
    public Leases.Held hold(Leases leases, String scope, Instant now, Duration ttl) {
        // Noted before asking: an acquisition that fails after DynamoDB applied it still holds the lease.
        unreleased.put(scope, leases);
        Leases.Held held;
        try {
            held = Leases.hold(leases, scope, holder, now, ttl);
        } catch (LeaseBusyException busy) {
            unreleased.remove(scope);
            throw busy;
        }
        return () -> {
            held.close();
            unreleased.remove(scope);
        };
    }

    /**
     * Once the run is over, tries again to release every lease it asked for and did not release;
     * nothing to do after a run that ended normally. A lease still not released expires.
     *
     * @return how many leases stay held until they expire
     */
    public int releaseLeftovers() {
        int stillHeld = 0;
        for (Map.Entry<String, Leases> lease : unreleased.entrySet()) {
            try {
                lease.getValue().release(lease.getKey(), holder);
                unreleased.remove(lease.getKey());
            } catch (RuntimeException e) {
                stillHeld++;
            }
        }
        return stillHeld;
    }
}
