package dev.chathistory.shared.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chathistory.shared.config.LimitsConfig;
import dev.chathistory.shared.error.ErrorCode;
import dev.chathistory.shared.error.TooManyRequestsException;
import dev.chathistory.shared.model.UserRef;
import dev.chathistory.shared.testing.InMemoryBudgetStore;
import dev.chathistory.shared.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TenantLimitsTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-03T10:00:00.250Z"));
    private final InMemoryBudgetStore store = new InMemoryBudgetStore();

    private TenantLimits limits(int requests, int tenantJobs, int userJobs) {
        return TenantLimits.of(new LimitsConfig(requests, Duration.ofSeconds(10), tenantJobs, userJobs,
                Duration.ofHours(1)), store, clock);
    }

    @Test
    void requests_shouldBeLeasedInTenths_soAWriteBuysManyRequests() {
        TenantLimits limits = limits(600, 10, 10);

        for (int i = 0; i < 200; i++) {
            limits.requests().admit("acme");
        }

        assertThat(store.takes()).as("leases of 50 for 200 requests").isEqualTo(4);
    }

    @Test
    void aTenantOverItsRate_shouldBe429WithRetryAfter_untilItsWindowEnds_withoutAskingTheStoreAgain() {
        TenantLimits limits = limits(20, 10, 10);
        for (int i = 0; i < 20; i++) {
            limits.requests().admit("noisy");
        }
        clock.advance(Duration.ofMillis(2_500));

        assertThatThrownBy(() -> limits.requests().admit("noisy"))
                .isInstanceOfSatisfying(TooManyRequestsException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED);
                    assertThat(e.retryAfterSeconds()).as("7.5 s left, rounded up").isEqualTo(8);
                });
        int takes = store.takes();
        for (int i = 0; i < 100; i++) {
            assertThatThrownBy(() -> limits.requests().admit("noisy")).isInstanceOf(TooManyRequestsException.class);
        }
        assertThat(store.takes()).as("refusals are decided locally").isEqualTo(takes);

        clock.advance(Duration.ofMillis(7_500));
        assertThatCode(() -> limits.requests().admit("noisy")).as("a new window").doesNotThrowAnyException();
    }

    @Test
    void aNoisyTenant_shouldNotSpendAnotherTenantsRequests() {
        TenantLimits limits = limits(20, 10, 10);
        for (int i = 0; i < 100; i++) {
            try {
                limits.requests().admit("noisy");
            } catch (TooManyRequestsException expected) {
                // the noisy tenant is refused after its 20
            }
        }

        for (int i = 0; i < 20; i++) {
            assertThatCode(() -> limits.requests().admit("quiet")).doesNotThrowAnyException();
        }
        assertThatThrownBy(() -> limits.requests().admit("quiet")).as("and then held to its own limit")
                .isInstanceOf(TooManyRequestsException.class);
    }

    @Test
    void twoContainers_shouldNeverTogetherAdmitMoreThanTheCapacity() {
        TenantLimits first = limits(100, 10, 10);
        TenantLimits second = limits(100, 10, 10);
        int admitted = 0;
        for (int i = 0; i < 150; i++) {
            for (TenantLimits container : new TenantLimits[] {first, second}) {
                try {
                    container.requests().admit("acme");
                    admitted++;
                } catch (TooManyRequestsException refused) {
                    // over the shared budget
                }
            }
        }

        assertThat(admitted).isEqualTo(100);
    }

    @Test
    void jobs_shouldBeCountedPerUser_andPerTenant_eachSubmissionOnce() {
        TenantLimits limits = limits(1_000, 3, 2);
        UserRef alice = new UserRef("acme", "alice");
        UserRef bob = new UserRef("acme", "bob");
        limits.jobs().take(alice);
        limits.jobs().take(alice);

        assertThatThrownBy(() -> limits.jobs().take(alice)).as("alice's own quota")
                .isInstanceOfSatisfying(TooManyRequestsException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.JOB_QUOTA_EXCEEDED);
                    assertThat(e.retryAfterSeconds()).isEqualTo(3600);
                });
        limits.jobs().take(bob);
        assertThatThrownBy(() -> limits.jobs().take(new UserRef("acme", "carol"))).as("the tenant's quota")
                .isInstanceOf(TooManyRequestsException.class);
        assertThatCode(() -> limits.jobs().take(new UserRef("globex", "alice"))).as("another tenant")
                .doesNotThrowAnyException();
    }
}
