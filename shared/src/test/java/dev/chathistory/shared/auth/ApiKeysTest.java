package dev.chathistory.shared.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chathistory.shared.ids.MessageIdGenerator;
import dev.chathistory.shared.testing.InMemoryApiKeyRepository;
import dev.chathistory.shared.testing.MutableClock;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ApiKeysTest {

    private final InMemoryApiKeyRepository repository = new InMemoryApiKeyRepository();
    private final ApiKeys keys = new ApiKeys(repository, MessageIdGenerator.ulid(),
            new MutableClock(Instant.parse("2026-11-28T10:00:00Z")));

    @Test
    void issue_shouldReturnA256BitKeyOnce_andStoreOnlyItsHash() {
        keys.createTenant("acme", "Acme support bot");

        ApiKeys.Issued issued = keys.issue("acme", "production");

        assertThat(issued.key()).startsWith("chk_").hasSize(4 + 43);
        assertThat(issued.record().sha256()).hasSize(64).isNotEqualTo(issued.key());
        assertThat(repository.listKeys("acme")).singleElement()
                .satisfies(k -> assertThat(k.toString()).doesNotContain(issued.key().substring(4)));
        assertThat(issued.toString()).doesNotContain(issued.key());
        assertThat(keys.tenantOf(issued.key())).contains("acme");
    }

    @Test
    void tenantOf_shouldBeEmpty_forMalformedUnknownAndRevokedKeys() {
        keys.createTenant("acme", "Acme");
        ApiKeys.Issued old = keys.issue("acme", "old");
        ApiKeys.Issued current = keys.issue("acme", "current");

        keys.revoke("acme", old.record().keyId());

        assertThat(keys.tenantOf(old.key())).as("revoked").isEmpty();
        assertThat(keys.tenantOf(current.key())).as("rotation: the other key still works").contains("acme");
        assertThat(keys.tenantOf(null)).isEmpty();
        assertThat(keys.tenantOf("")).isEmpty();
        assertThat(keys.tenantOf("chk_short")).isEmpty();
        assertThat(keys.tenantOf(current.key() + "x")).isEmpty();
        assertThat(keys.tenantOf("chk_" + "A".repeat(43))).as("well formed, never issued").isEmpty();
        assertThat(keys.list("acme")).extracting(ApiKey::active).containsExactlyInAnyOrder(false, true);
    }

    @Test
    void issueAndRevoke_shouldRefuseUnknownTenantsAndKeys() {
        assertThatThrownBy(() -> keys.issue("nobody", "k")).hasMessageContaining("no tenant");
        keys.createTenant("acme", "Acme");
        assertThatThrownBy(() -> keys.createTenant("acme", "again")).hasMessageContaining("exists");
        assertThatThrownBy(() -> keys.revoke("acme", "01NOPE")).hasMessageContaining("no key");
        assertThatThrownBy(() -> keys.createTenant("bad#id", "x")).hasMessageContaining("tenant ids");
    }
}
