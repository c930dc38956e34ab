package dev.chathistory.shared.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chathistory.shared.error.StorageUnavailableException;
import dev.chathistory.shared.testing.InMemoryLeases;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A run frees, once it is over, the leases a fault kept it from releasing. */
class JobRunTest {

    private static final Instant NOW = Instant.parse("2026-12-05T10:00:00Z");
    private static final Duration TTL = Duration.ofMinutes(5);
    private static final String SCOPE = "U#t1#u1";

    private final InMemoryLeases memory = new InMemoryLeases();
    private final JobRun run = JobRun.of(new JobRequest("job-1", JobType.EXPORT, "t1", "u1", null));

    /** The store behind a flaky connection: the next release, or the next acquisition's answer, is lost. */
    private final class FlakyLeases implements Leases {
        boolean failNextRelease;
        boolean loseNextAcquireAnswer;

        @Override
        public Optional<Instant> tryAcquire(String scope, String holder, Instant now, Duration ttl) {
            Optional<Instant> busy = memory.tryAcquire(scope, holder, now, ttl);
            if (loseNextAcquireAnswer) {
                loseNextAcquireAnswer = false;
                throw new StorageUnavailableException("dynamodb", "answer lost", null);
            }
            return busy;
        }

        @Override
        public void release(String scope, String holder) {
            if (failNextRelease) {
                failNextRelease = false;
                throw new StorageUnavailableException("dynamodb", "throttled", null);
            }
            memory.release(scope, holder);
        }
    }

    private final FlakyLeases leases = new FlakyLeases();

    @Test
    void releaseLeftovers_afterAReleaseFailed_shouldFreeTheLease() {
        leases.failNextRelease = true;
        assertThatThrownBy(() -> {
            try (Leases.Held held = run.hold(leases, SCOPE, NOW, TTL)) {
                assertThat(memory.holder(SCOPE)).contains(run.holder());
            }
        }).isInstanceOf(StorageUnavailableException.class);
        assertThat(memory.holder(SCOPE)).as("held until it expires, so far").contains(run.holder());

        assertThat(run.releaseLeftovers()).isZero();

        assertThat(memory.holder(SCOPE)).isEmpty();
    }

    @Test
    void releaseLeftovers_afterAnAcquisitionLostItsAnswer_shouldFreeTheLeaseItTookAllTheSame() {
        leases.loseNextAcquireAnswer = true;
        assertThatThrownBy(() -> run.hold(leases, SCOPE, NOW, TTL)).isInstanceOf(StorageUnavailableException.class);
        assertThat(memory.holder(SCOPE)).contains(run.holder());

        assertThat(run.releaseLeftovers()).isZero();

        assertThat(memory.holder(SCOPE)).isEmpty();
    }

    @Test
    void releaseLeftovers_whenTheSecondTryFailsToo_shouldSayTheLeaseStaysHeld_andTryAgainNextTime() {
        leases.failNextRelease = true;
        assertThatThrownBy(() -> run.hold(leases, SCOPE, NOW, TTL).close())
                .isInstanceOf(StorageUnavailableException.class);
        leases.failNextRelease = true;

        assertThat(run.releaseLeftovers()).isOne();
        assertThat(run.releaseLeftovers()).isZero();
        assertThat(memory.holder(SCOPE)).isEmpty();
    }

    @Test
    void releaseLeftovers_shouldLeaveAloneALeaseReleasedNormally_orOneThatWasBusy() {
        memory.tryAcquire("C#t1#c1", "someone-else", NOW, TTL);
        try (Leases.Held held = run.hold(leases, SCOPE, NOW, TTL)) {
            assertThatThrownBy(() -> run.hold(leases, "C#t1#c1", NOW, TTL)).isInstanceOf(LeaseBusyException.class);
        }
        leases.failNextRelease = true;

        assertThat(run.releaseLeftovers()).as("nothing left to release, so no call that could fail").isZero();
        assertThat(memory.holder("C#t1#c1")).contains("someone-else");
    }
}
