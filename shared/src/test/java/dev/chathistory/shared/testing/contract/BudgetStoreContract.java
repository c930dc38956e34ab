package dev.chathistory.shared.testing.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chathistory.shared.limits.BudgetStore;
import dev.chathistory.shared.limits.BudgetStore.Grant;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What callers of {@link BudgetStore} rely on, with the time passed in, run against the in-memory
 * fake and against DynamoDB on the emulator: a window starts with its first take, hands out what
 * is left and never more than its capacity, also to takers racing each other, and starts again
 * once it has ended.
 */
public abstract class BudgetStoreContract {

    private static final Instant START = Instant.parse("2026-12-03T10:00:00Z");
    private static final Duration WINDOW = Duration.ofSeconds(10);

    /** A new store over empty storage; each test gets its own. */
    protected abstract BudgetStore newStore();

    private BudgetStore store;
    private String run;

    @BeforeEach
    void freshStore() {
        store = newStore();
        run = Long.toString(System.nanoTime(), 36);
    }

    @Test
    void take_shouldGrantWhatIsLeft_thenNothing_untilTheWindowEnds_thenStartAgain() {
        String scope = "acme-" + run;
        Grant first = store.take(scope, "requests", 100, WINDOW, 40, START);
        Grant second = store.take(scope, "requests", 100, WINDOW, 40, START.plusSeconds(3));
        Grant partial = store.take(scope, "requests", 100, WINDOW, 40, START.plusSeconds(6));
        Grant none = store.take(scope, "requests", 100, WINDOW, 40, START.plusSeconds(9));
        Grant next = store.take(scope, "requests", 100, WINDOW, 40, START.plusSeconds(12));

        assertThat(List.of(first.granted(), second.granted(), partial.granted(), none.granted(), next.granted()))
                .containsExactly(40, 40, 20, 0, 40);
        assertThat(List.of(first.windowEnds(), second.windowEnds(), partial.windowEnds(), none.windowEnds()))
                .as("the window of the first take").containsOnly(START.plus(WINDOW));
        assertThat(next.windowEnds()).as("a new window, from its own first take").isEqualTo(START.plusSeconds(22));
    }

    @Test
    void take_shouldStartANewWindow_atTheInstantTheOldOneEnds() {
        String scope = "acme-" + run;
        store.take(scope, "requests", 10, WINDOW, 10, START);

        assertThat(store.take(scope, "requests", 10, WINDOW, 1, START.plus(WINDOW).minusMillis(1)).granted())
                .isZero();
        Grant fresh = store.take(scope, "requests", 10, WINDOW, 10, START.plus(WINDOW));
        assertThat(fresh.granted()).isEqualTo(10);
        assertThat(fresh.windowEnds()).isEqualTo(START.plus(WINDOW).plus(WINDOW));
    }

    @Test
    void budgets_shouldBeKeptApart_byScopeAndName() {
        store.take("noisy-" + run, "requests", 5, WINDOW, 5, START);

        assertThat(store.take("noisy-" + run, "requests", 5, WINDOW, 1, START).granted()).isZero();
        assertThat(store.take("quiet-" + run, "requests", 5, WINDOW, 5, START).granted()).isEqualTo(5);
        assertThat(store.take("noisy-" + run, "jobs", 5, WINDOW, 1, START).granted()).isEqualTo(1);
    }

    @Test
    void takersRacingEachOther_shouldNeverTogetherGetMoreThanTheCapacity() throws Exception {
        String scope = "race-" + run;
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> takes = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                Instant now = START.plusMillis(i);
                takes.add(pool.submit(() -> store.take(scope, "requests", 50, WINDOW, 3, now).granted()));
            }
            int granted = 0;
            for (Future<Integer> take : takes) {
                granted += take.get();
            }

            assertThat(granted).as("40 takers of 3 from a budget of 50").isLessThanOrEqualTo(50);
            assertThat(store.take(scope, "requests", 50, WINDOW, 50, START.plusSeconds(1)).granted())
                    .as("what the racers left").isEqualTo(50 - granted);
        } finally {
            pool.shutdownNow();
        }
    }
}
