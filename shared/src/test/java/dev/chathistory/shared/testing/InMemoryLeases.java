package dev.chathistory.shared.testing;

import dev.chathistory.shared.jobs.Leases;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** An honest fake of {@link Leases}: the same take, renew and expiry rules, in memory. */
public final class InMemoryLeases implements Leases {

    private record Lease(String holder, Instant until) {
    }

    private final Map<String, Lease> leases = new HashMap<>();

    @Override
    public synchronized Optional<Instant> tryAcquire(String scope, String holder, Instant now, Duration ttl) {
        Lease current = leases.get(scope);
        if (current != null && !current.holder().equals(holder) && current.until().isAfter(now)) {
            return Optional.of(current.until());
        }
        leases.put(scope, new Lease(holder, now.plus(ttl)));
        return Optional.empty();
    }

    @Override
    public synchronized void release(String scope, String holder) {
        Lease current = leases.get(scope);
        if (current != null && current.holder().equals(holder)) {
            leases.remove(scope);
        }
    }

    /** Who holds the scope now, if anyone (expired leases included until taken over). */
    public synchronized Optional<String> holder(String scope) {
        return Optional.ofNullable(leases.get(scope)).map(Lease::holder);
    }
}
