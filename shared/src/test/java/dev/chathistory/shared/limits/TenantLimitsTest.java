package dev.chathistory.shared.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chathistory.shared.config.LimitsConfig;
import dev.chathistory.shared.error.Problem;
import dev.chathistory.shared.error.LimitExceededException;
import dev.chathistory.shared.model.UserRef;
import dev.chathistory.shared.testing.InMemoryBudgetStore;
import dev.chathistory.shared.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TenantLimitsTest {

    private static final LimitOverrides DEFAULTS = LimitOverrides.NONE;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-03T10:00:00.250Z"));
    private final InMemoryBudgetStore store = new InMemoryBudgetStore();

    private TenantLimits limits(int requests, int tenantJobs, int userJobs) {
        return TenantLimits.of(new LimitsConfig(requests, Duration.ofSeconds(10), tenantJobs, userJobs,
                Duration.ofHours(1)), store, clock);
    }

    /** Admits {@code count} requests of the tenant; returns how many were admitted. */
    private static int admit(TenantLimits limits, String tenant, int count, LimitOverrides own) {
        int admitted = 0;
        for (int i = 0; i < count; i++) {
            try {
                limits.requests().admit(tenant, own);
                admitted++;
            } catch (LimitExceededException refused) {
                // over the budget: counted by what was admitted
            }
        }
        return admitted;
    }

    @Test
    void requests_shouldBeLeasedInTenths_soAWriteBuysManyRequests() {
        TenantLimits limits = limits(600, 10, 10);

        assertThat(admit(limits, "acme", 200, DEFAULTS)).isEqualTo(200);
        assertThat(store.takes()).as("leases of 50 for 200 requests").isEqualTo(4);
    }

    @Test
    void aTenantOverItsRate_shouldBe429WithRetryAfter_untilItsWindowEnds_withoutAskingTheStoreAgain() {
        TenantLimits limits = limits(20, 10, 10);
        assertThat(admit(limits, "noisy", 20, DEFAULTS)).isEqualTo(20);
        clock.advance(Duration.ofMillis(2_500));

        assertThatThrownBy(() -> limits.requests().admit("noisy", DEFAULTS))
                .isInstanceOfSatisfying(LimitExceededException.class, e -> {
                    assertThat(e.problem()).isEqualTo(Problem.RATE_LIMITED);
                    assertThat(e.retryAfterSeconds()).as("7.5 s left, rounded up").isEqualTo(8);
                });
        int takes = store.takes();
        assertThat(admit(limits, "noisy", 100, DEFAULTS)).isZero();
        assertThat(store.takes()).as("refusals are decided locally").isEqualTo(takes);

        clock.advance(Duration.ofMillis(7_500));
        assertThat(admit(limits, "noisy", 1, DEFAULTS)).as("a new window").isEqualTo(1);
    }

    @Test
    void aNoisyTenant_shouldNotSpendAnotherTenantsRequests() {
        TenantLimits limits = limits(20, 10, 10);

        assertThat(admit(limits, "noisy", 100, DEFAULTS)).isEqualTo(20);
        assertThat(admit(limits, "quiet", 21, DEFAULTS)).as("its own 20, then held to them").isEqualTo(20);
    }

    @Test
    void aTenantsOwnLimit_shouldReplaceTheDefault_forThatTenantOnly() {
        TenantLimits limits = limits(20, 10, 10);

        assertThat(admit(limits, "big", 200, new LimitOverrides(150, 0, 0))).isEqualTo(150);
        assertThat(admit(limits, "small", 200, new LimitOverrides(5, 0, 0))).isEqualTo(5);
        assertThat(admit(limits, "other", 200, DEFAULTS)).isEqualTo(20);
    }

    @Test
    void twoContainers_shouldNeverTogetherAdmitMoreThanTheCapacity() {
        TenantLimits first = limits(100, 10, 10);
        TenantLimits second = limits(100, 10, 10);
        int admitted = 0;
        for (int i = 0; i < 150; i++) {
            admitted += admit(first, "acme", 1, DEFAULTS) + admit(second, "acme", 1, DEFAULTS);
        }

        assertThat(admitted).isEqualTo(100);
    }

    @Test
    void jobs_shouldBeCountedPerUser_andPerTenant_eachSubmissionOnce() {
        TenantLimits limits = limits(1_000, 3, 2);
        UserRef alice = new UserRef("acme", "alice");
        limits.jobs().take(alice, DEFAULTS);
        limits.jobs().take(alice, DEFAULTS);

        assertThatThrownBy(() -> limits.jobs().take(alice, DEFAULTS)).as("alice's own quota")
                .isInstanceOfSatisfying(LimitExceededException.class, e -> {
                    assertThat(e.problem()).isEqualTo(Problem.JOB_QUOTA_EXCEEDED);
                    assertThat(e.retryAfterSeconds()).isEqualTo(3600);
                });
        limits.jobs().take(new UserRef("acme", "bob"), DEFAULTS);
        assertThatThrownBy(() -> limits.jobs().take(new UserRef("acme", "carol"), DEFAULTS))
                .as("the tenant's quota").isInstanceOf(LimitExceededException.class);
        assertThatCode(() -> limits.jobs().take(new UserRef("globex", "alice"), DEFAULTS)).as("another tenant")
                .doesNotThrowAnyException();
        LimitOverrides more = new LimitOverrides(0, 10, 5);
        assertThatCode(() -> limits.jobs().take(new UserRef("vip", "alice"), more)).doesNotThrowAnyException();
        for (int i = 0; i < 4; i++) {
            limits.jobs().take(new UserRef("vip", "alice"), more);
        }
        assertThatThrownBy(() -> limits.jobs().take(new UserRef("vip", "alice"), more))
                .as("its own per-user quota of 5").isInstanceOf(LimitExceededException.class);
    }
}
