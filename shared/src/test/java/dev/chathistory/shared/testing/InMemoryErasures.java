package dev.chathistory.shared.testing;

import dev.chathistory.shared.erasure.Erasures;
import dev.chathistory.shared.model.UserRef;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** An honest fake of {@link Erasures}: the latest cutoff per user wins. */
public final class InMemoryErasures implements Erasures {

    private final Map<UserRef, Instant> cutoffs = new HashMap<>();

    @Override
    public synchronized void record(UserRef user, Instant cutoff, String jobId) {
        cutoffs.merge(user, cutoff, (a, b) -> a.isAfter(b) ? a : b);
    }

    @Override
    public synchronized Optional<Instant> erasedUpTo(UserRef user) {
        return Optional.ofNullable(cutoffs.get(user));
    }
}
