package dev.chathistory.limits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chathistory.shared.aws.AwsClientFactory;
import dev.chathistory.shared.config.ServiceConfig;
import dev.chathistory.shared.limits.BudgetStore.Grant;
import dev.chathistory.shared.repository.dynamodb.DynamoDbBudgetStore;
import dev.chathistory.tests.TestAws;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The budget store's conditional writes on the emulator, with the time passed in: a window
 * starts with its first take, hands out what is left and never more than its capacity, also
 * to takers racing each other, and starts again once it has ended.
 */
class DynamoDbBudgetStoreIT {

    private static final Instant START = Instant.parse("2026-12-03T10:00:00Z");
    private static final Duration WINDOW = Duration.ofSeconds(10);

    private static DynamoDbClient dynamoDb;
    private static DynamoDbBudgetStore store;

    @BeforeAll
    static void tables() {
        ServiceConfig config = TestAws.freshTables();
        dynamoDb = AwsClientFactory.dynamoDb(config);
        store = new DynamoDbBudgetStore(dynamoDb, config.usersTable());
    }

    @AfterAll
    static void close() {
        dynamoDb.close();
    }

    @Test
    void aWindow_shouldGrantWhatIsLeft_thenNothing_untilItEnds_thenStartAgain() {
        Grant first = store.take("acme", "requests", 100, WINDOW, 40, START);
        Grant second = store.take("acme", "requests", 100, WINDOW, 40, START.plusSeconds(3));
        Grant partial = store.take("acme", "requests", 100, WINDOW, 40, START.plusSeconds(6));
        Grant none = store.take("acme", "requests", 100, WINDOW, 40, START.plusSeconds(9));
        Grant next = store.take("acme", "requests", 100, WINDOW, 40, START.plusSeconds(12));

        assertThat(List.of(first.granted(), second.granted(), partial.granted(), none.granted(), next.granted()))
                .containsExactly(40, 40, 20, 0, 40);
        assertThat(List.of(first.windowEnds(), second.windowEnds(), partial.windowEnds(), none.windowEnds()))
                .as("the window of the first take").containsOnly(START.plus(WINDOW));
        assertThat(next.windowEnds()).as("a new window, from its own first take").isEqualTo(START.plusSeconds(22));
    }

    @Test
    void budgets_shouldBeKeptApart_byScopeAndName() {
        store.take("noisy", "requests", 5, WINDOW, 5, START);

        assertThat(store.take("noisy", "requests", 5, WINDOW, 1, START).granted()).isZero();
        assertThat(store.take("quiet", "requests", 5, WINDOW, 5, START).granted()).isEqualTo(5);
        assertThat(store.take("noisy", "jobs", 5, WINDOW, 1, START).granted()).isEqualTo(1);
    }

    @Test
    void takersRacingEachOther_shouldNeverTogetherGetMoreThanTheCapacity() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> takes = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                Instant now = START.plusMillis(i);
                takes.add(pool.submit(() -> store.take("race", "requests", 50, WINDOW, 3, now).granted()));
            }
            int granted = 0;
            for (Future<Integer> take : takes) {
                granted += take.get();
            }

            assertThat(granted).as("40 takers of 3 from a budget of 50").isLessThanOrEqualTo(50);
            assertThat(store.take("race", "requests", 50, WINDOW, 50, START.plusSeconds(1)).granted())
                    .as("what the racers left").isEqualTo(50 - granted);
        } finally {
            pool.shutdownNow();
        }
    }
}
