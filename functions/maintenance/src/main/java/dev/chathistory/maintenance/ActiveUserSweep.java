package dev.chathistory.maintenance;

import dev.chathistory.shared.ids.MessageIdGenerator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enqueues jobs for every user active since the previous sweep, resumably.
 *
 * <p>Each run covers the window [{@code since}, {@code until}) where {@code since} is where the
 * last completed run ended, so consecutive runs neither overlap nor leave gaps. The run walks
 * every shard of every day of the window in the active-users index, a page at a time, and saves
 * its position in the checkpoint after each page it has enqueued. When time runs low it stops
 * before the next page; the next invocation resumes at the saved position, so a timeout never
 * re-enqueues the whole window or skips anyone. At most the page in flight when an invocation
 * dies is enqueued twice, which idempotent jobs tolerate.
 *
 * <p>A lease in the checkpoint keeps two invocations (a slow run overlapping the next schedule,
 * or an on-demand invocation) from sweeping at once.
 */
public final class ActiveUserSweep {

    static final int PAGE_SIZE = 100;
    /** Covers clock skew between the holder and the next contender; the lease is sized to the invocation. */
    static final Duration LEASE_SLACK = Duration.ofSeconds(30);
    /** No invocation outlives Lambda's maximum timeout; caps the lease when the budget is unbounded. */
    static final Duration MAX_INVOCATION = Duration.ofMinutes(15);

    private static final Logger LOG = LoggerFactory.getLogger(ActiveUserSweep.class);

    private final CheckpointStore checkpoints;
    private final ActiveUsers activeUsers;
    private final UserJobEnqueuer enqueuer;
    private final MessageIdGenerator runIds;
    private final Clock clock;
    private final int shards;
    private final Duration firstRunLookback;
    private final Duration settleDelay;

    public ActiveUserSweep(CheckpointStore checkpoints, ActiveUsers activeUsers, UserJobEnqueuer enqueuer,
                           MessageIdGenerator runIds, Clock clock, int shards, Duration firstRunLookback,
                           Duration settleDelay) {
        this.checkpoints = checkpoints;
        this.activeUsers = activeUsers;
        this.enqueuer = enqueuer;
        this.runIds = runIds;
        this.clock = clock;
        this.shards = shards;
        this.firstRunLookback = firstRunLookback;
        this.settleDelay = settleDelay;
    }

    /** What one invocation did. */
    public record Result(boolean skipped, boolean complete, int usersFound, int jobsEnqueued) {
        static Result skippedByLease() {
            return new Result(true, false, 0, 0);
        }
    }

    /**
     * Sweeps until the window is done or the budget runs low.
     *
     * @param owner unique per invocation; names the lease holder
     */
    public Result run(String owner, TimeBudget budget) {
        return acquire(owner, budget).map(lease -> lease.sweep(budget)).orElseGet(Result::skippedByLease);
    }

    /**
     * Takes the lease for this invocation, sized to its remaining time.
     *
     * @param owner unique per invocation; names the lease holder
     * @return the lease, or empty when another invocation holds it
     */
    public Optional<Lease> acquire(String owner, TimeBudget budget) {
        Instant now = clock.instant();
        Duration leaseLength = min(budget.remaining(), MAX_INVOCATION).plus(LEASE_SLACK);
        Optional<Checkpoint> acquired = checkpoints.acquire(owner, now, now.plus(leaseLength));
        if (acquired.isEmpty()) {
            LOG.info("another sweep holds the lease; skipping");
        }
        return acquired.map(checkpoint -> new Lease(owner, checkpoint, now));
    }

    /** The sweep lease one invocation holds; {@link #sweep} uses it once and frees it. */
    public final class Lease {
        private final String owner;
        private final Checkpoint checkpoint;
        private final Instant acquiredAt;

        private Lease(String owner, Checkpoint checkpoint, Instant acquiredAt) {
            this.owner = owner;
            this.checkpoint = checkpoint;
            this.acquiredAt = acquiredAt;
        }

        /** Sweeps until the window is done or the budget runs low, then frees the lease. */
        public Result sweep(TimeBudget budget) {
            // complete() frees the lease in the same write; every other way out frees it here.
            boolean leaseFreed = false;
            try {
                Optional<SweepRun> run = checkpoint.run();
                if (run.isPresent()) {
                    LOG.info("resuming sweep run {} at {}", run.get().runId(), run.get().shardKey());
                } else {
                    run = startRun(owner, checkpoint, acquiredAt);
                    if (run.isEmpty()) {
                        return new Result(false, true, 0, 0);
                    }
                }
                Result result = ActiveUserSweep.this.sweep(owner, run.get(), budget);
                leaseFreed = result.complete();
                return result;
            } finally {
                if (!leaseFreed) {
                    releaseQuietly(owner);
                }
            }
        }
    }

    /** Reads a page of a day long gone (it finds nobody), for priming before a snapshot. */
    void prime() {
        activeUsers.page(SweepRun.start("priming", Instant.EPOCH, Instant.EPOCH.plusMillis(1)).shardKey(),
                Instant.EPOCH, Instant.EPOCH, null, 1);
    }

    /** A run over [doneUntil, now - settle), or empty if that window is empty. */
    private Optional<SweepRun> startRun(String owner, Checkpoint checkpoint, Instant now) {
        Instant until = now.minus(settleDelay).truncatedTo(ChronoUnit.MILLIS);
        Instant since = checkpoint.doneUntil()
                .orElse(now.minus(firstRunLookback).truncatedTo(ChronoUnit.MILLIS));
        if (!since.isBefore(until)) {
            return Optional.empty();
        }
        SweepRun run = SweepRun.start(runIds.nextId(), since, until);
        checkpoints.begin(owner, run);
        LOG.info("started sweep run {} over [{}, {})", run.runId(), since, until);
        return Optional.of(run);
    }

    private Result sweep(String owner, SweepRun start, TimeBudget budget) {
        SweepRun run = start;
        // A page that found nobody is not saved: after a crash it is read again for one read
        // unit, and an idle hour's sweep writes nothing but its start and its end.
        boolean unsaved = false;
        int users = 0;
        int jobs = 0;
        while (!run.isFinished()) {
            if (budget.exhausted()) {
                if (unsaved) {
                    checkpoints.advance(owner, run);
                }
                LOG.info("time is short; sweep run {} stops at {} after {} users", run.runId(), run.shardKey(), users);
                return new Result(false, false, users, jobs);
            }
            ActiveUsers.Page page = activeUsers.page(run.shardKey(), run.since(), run.untilInclusive(),
                    run.startKey(), PAGE_SIZE);
            jobs += enqueuer.enqueue(page.users());
            users += page.users().size();
            run = page.nextStartKey() != null ? run.continueAfter(page.nextStartKey()) : run.nextShard(shards);
            if (run.isFinished()) {
                break;
            }
            if (page.users().isEmpty()) {
                unsaved = true;
            } else {
                checkpoints.advance(owner, run);
                unsaved = false;
            }
        }
        checkpoints.complete(owner, run);
        LOG.info("completed sweep run {}: {} users in this invocation", run.runId(), users);
        return new Result(false, true, users, jobs);
    }

    private void releaseQuietly(String owner) {
        try {
            checkpoints.release(owner);
        } catch (RuntimeException e) {
            // The lease runs out by itself; a failed release only delays the next sweep.
            LOG.warn("could not release the sweep lease: {}", e.getClass().getSimpleName());
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
