package dev.chathistory.shared.testing.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chathistory.shared.model.ChatRef;
import dev.chathistory.shared.model.UserRef;
import dev.chathistory.shared.retention.ChatRetention;
import dev.chathistory.shared.retention.RetentionRepository;
import java.time.Instant;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What callers of {@link RetentionRepository} rely on, run against the in-memory fake and against
 * DynamoDB on the emulator.
 */
public abstract class RetentionRepositoryContract {

    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

    protected abstract RetentionRepository newRepository();

    private RetentionRepository repository;
    private String tenant;
    private String otherTenant;

    @BeforeEach
    void freshRepository() {
        repository = newRepository();
        String run = Long.toString(System.nanoTime(), 36);
        tenant = "tenant-a-" + run;
        otherTenant = "tenant-b-" + run;
    }

    @Test
    void nothingIsSet_untilSomeoneSetsIt() {
        assertThat(repository.findTenantDays(tenant)).isEmpty();
        assertThat(repository.findChat(new ChatRef(tenant, "c1"))).isEqualTo(ChatRetention.NONE);
        assertThat(repository.findUserHold(new UserRef(tenant, "u1"))).isFalse();
    }

    @Test
    void tenantDays_shouldBeSetReplacedAndRemoved_perTenant() {
        repository.setTenantDays(tenant, OptionalInt.of(90), NOW);
        repository.setTenantDays(tenant, OptionalInt.of(30), NOW);

        assertThat(repository.findTenantDays(tenant)).hasValue(30);
        assertThat(repository.findTenantDays(otherTenant)).isEmpty();

        repository.setTenantDays(tenant, OptionalInt.empty(), NOW);
        assertThat(repository.findTenantDays(tenant)).isEmpty();
    }

    @Test
    void chatPolicy_shouldRoundTripDaysAndHold_perTenantAndChat() {
        ChatRef chat = new ChatRef(tenant, "c1");
        repository.setChat(chat, new ChatRetention(7, true), NOW);
        repository.setChat(new ChatRef(tenant, "c2"), new ChatRetention(null, true), NOW);

        assertThat(repository.findChat(chat)).isEqualTo(new ChatRetention(7, true));
        assertThat(repository.findChat(new ChatRef(tenant, "c2"))).isEqualTo(new ChatRetention(null, true));
        assertThat(repository.findChat(new ChatRef(otherTenant, "c1"))).isEqualTo(ChatRetention.NONE);

        repository.setChat(chat, new ChatRetention(14, false), NOW);
        assertThat(repository.findChat(chat)).isEqualTo(new ChatRetention(14, false));
        repository.setChat(chat, ChatRetention.NONE, NOW);
        assertThat(repository.findChat(chat)).isEqualTo(ChatRetention.NONE);
    }

    @Test
    void userHold_shouldBeSetAndLifted_perTenantAndUser() {
        UserRef user = new UserRef(tenant, "u1");
        repository.setUserHeld(user, true, NOW);
        repository.setUserHeld(user, true, NOW);

        assertThat(repository.findUserHold(user)).isTrue();
        assertThat(repository.findUserHold(new UserRef(otherTenant, "u1"))).isFalse();
        assertThat(repository.findUserHold(new UserRef(tenant, "u2"))).isFalse();

        repository.setUserHeld(user, false, NOW);
        assertThat(repository.findUserHold(user)).isFalse();
        repository.setUserHeld(user, true, NOW);
        repository.forgetUserHold(user);
        assertThat(repository.findUserHold(user)).isFalse();
    }
}
