package dev.chathistory.maintenance;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link CheckpointStore} in memory with the DynamoDB store's conditions: the lease is taken only
 * when free or expired, and every other write needs the caller to hold it. Records each saved
 * position, and can be told to fail an advance (an invocation dying after a page was sent).
 */
final class InMemoryCheckpointStore implements CheckpointStore {

    private Instant doneUntil;
    private SweepRun run;
    private String leaseOwner;
    private Instant leaseUntil;
    private final List<SweepRun> advances = new ArrayList<>();
    private int advanceToFail;

    @Override
    public synchronized Optional<Checkpoint> acquire(String owner, Instant now, Instant until) {
        if (leaseUntil != null && !leaseUntil.isBefore(now)) {
            return Optional.empty();
        }
        leaseOwner = owner;
        leaseUntil = until;
        return Optional.of(read());
    }

    @Override
    public synchronized void begin(String owner, SweepRun newRun) {
        requireLease(owner);
        run = newRun;
    }

    @Override
    public synchronized void advance(String owner, SweepRun position) {
        requireLease(owner);
        if (run == null || !run.runId().equals(position.runId())) {
            throw new LeaseLostException();
        }
        if (advanceToFail > 0 && --advanceToFail == 0) {
            throw new IllegalStateException("the invocation died before saving its position");
        }
        run = position;
        advances.add(position);
    }

    @Override
    public synchronized void complete(String owner, SweepRun finished) {
        requireLease(owner);
        if (run == null || !run.runId().equals(finished.runId())) {
            throw new LeaseLostException();
        }
        doneUntil = finished.until();
        run = null;
        leaseOwner = null;
        leaseUntil = null;
    }

    @Override
    public synchronized void release(String owner) {
        if (owner.equals(leaseOwner)) {
            leaseOwner = null;
            leaseUntil = null;
        }
    }

    @Override
    public synchronized Checkpoint read() {
        return new Checkpoint(Optional.ofNullable(doneUntil), Optional.ofNullable(run));
    }

    synchronized Optional<String> leaseOwner() {
        return Optional.ofNullable(leaseOwner);
    }

    synchronized List<SweepRun> advances() {
        return List.copyOf(advances);
    }

    /** Makes the {@code n}-th advance from now fail, as if the invocation died right before it. */
    synchronized void failAdvanceNumber(int n) {
        advanceToFail = n;
    }

    /** Another invocation, elsewhere, took the lease. */
    synchronized void takeOver(String owner, Instant until) {
        leaseOwner = owner;
        leaseUntil = until;
    }

    private void requireLease(String owner) {
        if (!owner.equals(leaseOwner)) {
            throw new LeaseLostException();
        }
    }
}
