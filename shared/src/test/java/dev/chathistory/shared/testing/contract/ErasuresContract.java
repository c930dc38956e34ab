package dev.chathistory.shared.testing.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chathistory.shared.erasure.Erasures;
import dev.chathistory.shared.model.UserRef;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What callers of {@link Erasures} rely on, run against the in-memory fake and against DynamoDB
 * on the emulator: the latest cutoff wins, per user and tenant. Cutoffs are whole milliseconds.
 */
public abstract class ErasuresContract {

    private static final Instant CUTOFF = Instant.parse("2026-12-01T10:00:00.000Z");

    /** New erasures over empty storage; each test gets its own. */
    protected abstract Erasures newErasures();

    private Erasures erasures;
    private UserRef user;
    private UserRef sameIdOtherTenant;

    @BeforeEach
    void freshErasures() {
        erasures = newErasures();
        String run = Long.toString(System.nanoTime(), 36);
        user = new UserRef("tenant-a-" + run, "u1");
        sameIdOtherTenant = new UserRef("tenant-b-" + run, "u1");
    }

    @Test
    void erasedUpTo_shouldBeEmpty_whenTheUserWasNeverErased() {
        assertThat(erasures.erasedUpTo(user)).isEmpty();
    }

    @Test
    void record_shouldKeepTheLatestCutoff_whicheverOrderErasesAreRecordedIn() {
        erasures.record(user, CUTOFF, "job-1");
        erasures.record(user, CUTOFF.minusSeconds(60), "job-0");
        assertThat(erasures.erasedUpTo(user)).contains(CUTOFF);

        erasures.record(user, CUTOFF.plusSeconds(60), "job-2");
        assertThat(erasures.erasedUpTo(user)).contains(CUTOFF.plusSeconds(60));
    }

    @Test
    void record_shouldKeepErasuresApartByTenant() {
        erasures.record(user, CUTOFF, "job-1");

        assertThat(erasures.erasedUpTo(sameIdOtherTenant)).isEmpty();
        assertThat(erasures.erasedUpTo(new UserRef(user.tenantId(), "u2"))).isEmpty();
    }
}
