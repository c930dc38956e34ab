package dev.chathistory.shared.jobs;

import dev.chathistory.shared.model.ChatRef;
import dev.chathistory.shared.model.UserRef;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Leases that serialise the jobs which rewrite or read a whole user or chat: archive, export and
 * erase of one user, and archive of one chat, never overlap. A lease ends when released or when
 * its time runs out, so a holder that crashed only delays the next one.
 */
public interface Leases {

    /** The scope guarding everything of one user. */
    static String user(UserRef user) {
        return "U#" + user.tenantId() + "#" + user.userId();
    }

    /** The scope guarding one chat's messages and archive. */
    static String chat(ChatRef chat) {
        return "C#" + chat.tenantId() + "#" + chat.chatId();
    }

    /**
     * Takes the lease on {@code scope} for {@code holder} until {@code now + ttl}, if it is free,
     * expired or already the holder's.
     *
     * @return empty when taken; else when the current holder's lease ends
     */
    Optional<Instant> tryAcquire(String scope, String holder, Instant now, Duration ttl);

    /** Ends the holder's lease; a lease someone else holds by now is left alone. */
    void release(String scope, String holder);

    /**
     * Holds the lease for a block: {@code try (var held = Leases.hold(...)) { ... }}.
     *
     * @throws LeaseBusyException when someone else holds it
     */
    static Held hold(Leases leases, String scope, String holder, Instant now, Duration ttl) {
        Optional<Instant> busyUntil = leases.tryAcquire(scope, holder, now, ttl);
        if (busyUntil.isPresent()) {
            throw new LeaseBusyException(busyUntil.get());
        }
        return () -> leases.release(scope, holder);
    }

    /** A lease held for a block; closing releases it. */
    @FunctionalInterface
    interface Held extends AutoCloseable {
        @Override
        void close();
    }
}
