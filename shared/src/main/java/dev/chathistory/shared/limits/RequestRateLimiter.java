package dev.chathistory.shared.limits;

import dev.chathistory.shared.error.Problem;
import dev.chathistory.shared.error.LimitExceededException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/** Requests per tenant and window, whatever route they take. */
public final class RequestRateLimiter {

    private static final RequestRateLimiter NONE = new RequestRateLimiter(null, null);

    private final LeasedBudget budget;
    private final Clock clock;

    public RequestRateLimiter(LeasedBudget budget, Clock clock) {
        this.budget = budget;
        this.clock = clock;
    }

    /** No limit: for tests and tools that embed the API. */
    public static RequestRateLimiter none() {
        return NONE;
    }

    /** @throws LimitExceededException (RATE_LIMITED) when the tenant has used up the window's requests */
    public void admit(String tenantId, LimitOverrides own) {
        if (budget == null) {
            return;
        }
        Optional<Instant> refusedUntil = budget.take(tenantId, own.requestsPerWindow());
        if (refusedUntil.isPresent()) {
            throw new LimitExceededException(Problem.RATE_LIMITED, "this API key has made "
                    + budget.capacity(own.requestsPerWindow()) + " requests in " + budget.window().toSeconds()
                    + " s; retry later", clock.instant(), refusedUntil.get());
        }
    }
}
