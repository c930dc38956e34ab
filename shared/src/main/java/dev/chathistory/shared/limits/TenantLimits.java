package dev.chathistory.shared.limits;

import dev.chathistory.shared.config.LimitsConfig;
import java.time.Clock;

/** The limits the API holds each tenant to, wired once per container. */
public record TenantLimits(RequestRateLimiter requests, JobQuota jobs) {

    public static TenantLimits none() {
        return new TenantLimits(RequestRateLimiter.none(), JobQuota.none());
    }

    /**
     * Requests are leased (see {@link LeasedBudget}); job submissions are counted one by one,
     * since each is rare and must not be refused early by tokens another container holds.
     */
    public static TenantLimits of(LimitsConfig config, BudgetStore store, Clock clock) {
        LeasedBudget requests = new LeasedBudget(store, clock, "requests", config.tenantRequestsPerWindow(),
                config.requestWindow(), true);
        LeasedBudget userJobs = new LeasedBudget(store, clock, "jobs", config.userJobsPerWindow(),
                config.jobWindow(), false);
        LeasedBudget tenantJobs = new LeasedBudget(store, clock, "jobs", config.tenantJobsPerWindow(),
                config.jobWindow(), false);
        return new TenantLimits(new RequestRateLimiter(requests, clock), new JobQuota(userJobs, tenantJobs, clock));
    }
}
