package dev.chathistory.maintenance;

import java.time.Instant;
import java.util.Optional;

/**
 * The sweep's checkpoint and the lease that lets only one invocation sweep at a time. Every
 * write but {@link #acquire} requires that {@code owner} still holds the lease, so an
 * invocation that outlived its lease cannot move the checkpoint under the one that took over.
 */
public interface CheckpointStore {

    /**
     * Takes the lease until {@code leaseUntil} unless another holder's lease is still valid at
     * {@code now}.
     *
     * @return the checkpoint as it stands, or empty if another invocation holds the lease
     */
    Optional<Checkpoint> acquire(String owner, Instant now, Instant leaseUntil);

    /** Records a newly started run. */
    void begin(String owner, SweepRun run);

    /** Saves the position of the run; everything before it has been enqueued. */
    void advance(String owner, SweepRun run);

    /** Marks the run's window done ({@code doneUntil = run.until()}), clears it and frees the lease. */
    void complete(String owner, SweepRun run);

    /** Frees the lease if {@code owner} still holds it; the run, if any, stays for the next invocation. */
    void release(String owner);

    /** The checkpoint as stored, without taking the lease. */
    Checkpoint read();

    /** Thrown when a write finds that another invocation holds the lease now. */
    final class LeaseLostException extends RuntimeException {
        public LeaseLostException() {
            super("the maintenance sweep lease was taken over by another invocation");
        }
    }
}
