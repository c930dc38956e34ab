package dev.chathistory.shared.testing.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chathistory.shared.jobs.LeaseBusyException;
import dev.chathistory.shared.jobs.Leases;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What callers of {@link Leases} rely on, run against the in-memory fake and against DynamoDB on
 * the emulator: one holder at a time, renewal by the holder, takeover once the time runs out,
 * release only by the holder. Lease ends are whole milliseconds, as DynamoDB keeps them.
 */
public abstract class LeasesContract {

    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00.000Z");
    private static final Duration TTL = Duration.ofMinutes(5);

    /** New leases over empty storage; each test gets its own. */
    protected abstract Leases newLeases();

    private Leases leases;
    private String scope;

    @BeforeEach
    void freshLeases() {
        leases = newLeases();
        scope = "U#acme-" + Long.toString(System.nanoTime(), 36) + "#u1";
    }

    @Test
    void tryAcquire_shouldTakeAFreeLease_andTellOthersWhenItEnds() {
        assertThat(leases.tryAcquire(scope, "job-1", NOW, TTL)).isEmpty();

        assertThat(leases.tryAcquire(scope, "job-2", NOW.plusSeconds(10), TTL)).contains(NOW.plus(TTL));
    }

    @Test
    void tryAcquire_shouldRenewTheLease_whenTheHolderAsksAgain() {
        leases.tryAcquire(scope, "job-1", NOW, TTL);

        assertThat(leases.tryAcquire(scope, "job-1", NOW.plusSeconds(60), TTL)).isEmpty();

        assertThat(leases.tryAcquire(scope, "job-2", NOW.plus(TTL), TTL)).as("renewed, so still held")
                .contains(NOW.plusSeconds(60).plus(TTL));
    }

    @Test
    void tryAcquire_shouldTakeTheLeaseOver_fromTheInstantItEnds() {
        leases.tryAcquire(scope, "job-1", NOW, TTL);

        assertThat(leases.tryAcquire(scope, "job-2", NOW.plus(TTL).minusMillis(1), TTL)).isPresent();
        assertThat(leases.tryAcquire(scope, "job-2", NOW.plus(TTL), TTL)).isEmpty();
        assertThat(leases.tryAcquire(scope, "job-1", NOW.plus(TTL), TTL)).as("the crashed holder lost it")
                .contains(NOW.plus(TTL).plus(TTL));
    }

    @Test
    void release_shouldFreeTheLease_onlyForItsHolder() {
        leases.tryAcquire(scope, "job-1", NOW, TTL);

        leases.release(scope, "job-2");
        assertThat(leases.tryAcquire(scope, "job-2", NOW, TTL)).as("not released by a stranger").isPresent();

        leases.release(scope, "job-1");
        leases.release(scope, "job-1");
        assertThat(leases.tryAcquire(scope, "job-2", NOW, TTL)).isEmpty();
    }

    @Test
    void scopes_shouldBeIndependent() {
        leases.tryAcquire(scope, "job-1", NOW, TTL);

        assertThat(leases.tryAcquire(scope + "x", "job-2", NOW, TTL)).isEmpty();
    }

    @Test
    void hold_shouldThrowWithWhenTheLeaseEnds_whenSomeoneElseHoldsIt_andReleaseOnClose() {
        try (Leases.Held held = Leases.hold(leases, scope, "job-1", NOW, TTL)) {
            assertThatThrownBy(() -> Leases.hold(leases, scope, "job-2", NOW, TTL))
                    .isInstanceOfSatisfying(LeaseBusyException.class,
                            e -> assertThat(e.busyUntil()).isEqualTo(NOW.plus(TTL)));
        }

        assertThat(leases.tryAcquire(scope, "job-2", NOW, TTL)).isEmpty();
    }
}
