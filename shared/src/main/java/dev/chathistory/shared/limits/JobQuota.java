package dev.chathistory.shared.limits;

import dev.chathistory.shared.error.Problem;
import dev.chathistory.shared.error.LimitExceededException;
import dev.chathistory.shared.model.UserRef;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Job submissions per user and per tenant in a window. It bounds what one tenant can put on the
 * shared queue; how many jobs run at once is bounded by the queue's event source.
 *
 * <p>Submissions rather than open jobs are counted: a count of open jobs would have to be
 * lowered by every way a job ends (the batch function, the DLQ, maintenance expiring it), each
 * delivered at least once, and a count that drifts up locks a tenant out for good. A window
 * that runs out is always right again when it ends.
 */
public final class JobQuota {

    private static final JobQuota NONE = new JobQuota(null, null, null);

    private final LeasedBudget perUser;
    private final LeasedBudget perTenant;
    private final Clock clock;

    /** Neither budget should be leased, so every submission is counted exactly. */
    public JobQuota(LeasedBudget perUser, LeasedBudget perTenant, Clock clock) {
        this.perUser = perUser;
        this.perTenant = perTenant;
        this.clock = clock;
    }

    public static JobQuota none() {
        return NONE;
    }

    /**
     * Counts one submission of {@code user}'s, before anything is written. The user's budget is
     * taken first, so one busy user who is refused spends nothing of the tenant's.
     *
     * @throws LimitExceededException (JOB_QUOTA_EXCEEDED) when the user's or the tenant's budget is used up
     */
    public void take(UserRef user, LimitOverrides own) {
        if (perUser == null) {
            return;
        }
        // '@' is not in the id alphabet, so no user's scope can look like another key.
        refuse(perUser.take(user.tenantId() + "@" + user.userId(), own.userJobsPerWindow()), perUser,
                own.userJobsPerWindow(), "this user");
        refuse(perTenant.take(user.tenantId(), own.tenantJobsPerWindow()), perTenant, own.tenantJobsPerWindow(),
                "this API key");
    }

    private void refuse(Optional<Instant> refusedUntil, LeasedBudget budget, int ownCapacity, String who) {
        if (refusedUntil.isPresent()) {
            throw new LimitExceededException(Problem.JOB_QUOTA_EXCEEDED, who + " has submitted "
                    + budget.capacity(ownCapacity) + " jobs in " + budget.window().toSeconds() + " s; retry later",
                    clock.instant(), refusedUntil.get());
        }
    }
}
