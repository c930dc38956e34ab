package dev.chathistory.shared.limits;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One kind of budget (say, requests per tenant), taken from the shared {@link BudgetStore} in
 * leases: one take buys up to {@code leaseSize} tokens, which this container then spends without
 * asking again. So a lease of 50 costs one DynamoDB write per 50 requests rather than one each.
 * Once the store says a scope's window is used up, this container refuses it until the window
 * ends without asking the store at all, so a caller over its limit costs no writes either.
 *
 * <p>The price of leases: tokens a container leased but did not spend before the window ended
 * are lost, so with several containers a scope may be refused somewhat before its capacity.
 * Never after it: the store never hands out more than the capacity.
 */
public final class LeasedBudget {

    /** What this container holds of one scope's budget. */
    private static final class Lease {
        private int tokens;
        private Instant windowEnds = Instant.MIN;
        private Instant refusedUntil = Instant.MIN;
    }

    private static final int MAX_SCOPES = 10_000;

    private final BudgetStore store;
    private final Clock clock;
    private final String name;
    private final int capacity;
    private final Duration window;
    private final boolean leased;
    private final Cache<String, Lease> leases;

    /**
     * {@code capacity} is the default per window; {@code leased} takes leases of
     * {@link #leaseSize}, otherwise tokens are taken one by one (each counted exactly).
     */
    public LeasedBudget(BudgetStore store, Clock clock, String name, int capacity, Duration window, boolean leased) {
        if (capacity < 1 || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException(name + ": capacity and window must be positive");
        }
        this.store = store;
        this.clock = clock;
        this.name = name;
        this.capacity = capacity;
        this.window = window;
        this.leased = leased;
        // A lease is worthless after its window; forgetting idle scopes bounds the memory.
        this.leases = Caffeine.newBuilder().maximumSize(MAX_SCOPES).expireAfterAccess(window.multipliedBy(2)).build();
    }

    /** A lease size that keeps writes rare yet strands little: a tenth of the capacity, at most 50. */
    static int leaseSize(int capacity) {
        return Math.max(1, Math.min(50, capacity / 10));
    }

    /** The capacity per window: the scope's own when it has one (above 0), else the default. */
    public int capacity(int ownCapacity) {
        return ownCapacity > 0 ? ownCapacity : capacity;
    }

    public Duration window() {
        return window;
    }

    /**
     * Spends one token of {@code scope}, whose capacity is {@code ownCapacity} (0: the
     * default); empty if it was there, else when to try again.
     */
    public Optional<Instant> take(String scope, int ownCapacity) {
        int scopeCapacity = capacity(ownCapacity);
        Lease lease = leases.get(scope, s -> new Lease());
        synchronized (lease) {
            Instant now = clock.instant();
            if (now.isBefore(lease.refusedUntil)) {
                return Optional.of(lease.refusedUntil);
            }
            if (lease.tokens > 0 && now.isBefore(lease.windowEnds)) {
                lease.tokens--;
                return Optional.empty();
            }
            BudgetStore.Grant grant = store.take(scope, name, scopeCapacity, window,
                    leased ? leaseSize(scopeCapacity) : 1, now);
            lease.windowEnds = grant.windowEnds();
            if (grant.granted() == 0) {
                lease.tokens = 0;
                lease.refusedUntil = grant.windowEnds();
                return Optional.of(grant.windowEnds());
            }
            lease.tokens = grant.granted() - 1;
            return Optional.empty();
        }
    }
}
