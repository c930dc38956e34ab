package dev.chathistory.shared.testing.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chathistory.shared.auth.ApiKey;
import dev.chathistory.shared.auth.ApiKeyRepository;
import dev.chathistory.shared.auth.Tenant;
import dev.chathistory.shared.limits.LimitOverrides;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What callers of {@link ApiKeyRepository} rely on, run against the in-memory fake and against
 * DynamoDB on the emulator. The DynamoDB implementation is the truth.
 *
 * <p>Not pinned: a second key with a hash or key id already stored (DynamoDB's transaction
 * fails with an exception, the fake refuses or stores it; keys are 256 random bits, and ids are
 * minted fresh), and limits passed to {@code createTenant} (DynamoDB does not store them; only
 * {@code setLimits} does, and no caller passes any).
 */
public abstract class ApiKeyRepositoryContract {

    protected static final Instant NOW = Instant.parse("2026-12-01T10:00:00.000Z");
    private static final LimitOverrides LIMITS = new LimitOverrides(100, 5, 2);

    /** A new repository over empty storage; each test gets its own. */
    protected abstract ApiKeyRepository newRepository();

    private ApiKeyRepository repository;
    private String run;
    private String tenant;
    private String otherTenant;

    @BeforeEach
    void freshRepository() {
        repository = newRepository();
        run = Long.toString(System.nanoTime(), 36);
        tenant = "tenant-a-" + run;
        otherTenant = "tenant-b-" + run;
    }

    private ApiKey key(String tenantId, String keyId) {
        return new ApiKey(tenantId, keyId, "name of " + keyId, "sha-" + run + "-" + tenantId + "-" + keyId,
                NOW, true);
    }

    private Tenant created(String tenantId) {
        Tenant t = new Tenant(tenantId, "name of " + tenantId, NOW);
        assertThat(repository.createTenant(t)).isTrue();
        return t;
    }

    @Test
    void createTenant_shouldStoreTheTenant_forFindTenantToReturn() {
        Tenant t = created(tenant);

        assertThat(repository.findTenant(tenant)).contains(t);
        assertThat(repository.findTenant(otherTenant)).isEmpty();
    }

    @Test
    void createTenant_shouldRefuse_whenAnotherTenantHasTheId() {
        Tenant first = created(tenant);

        assertThat(repository.createTenant(new Tenant(tenant, "another name", NOW.plusSeconds(1)))).isFalse();

        assertThat(repository.findTenant(tenant)).contains(first);
    }

    @Test
    void createTenant_shouldSayCreated_whenTheSameTenantIsCreatedAgain() {
        // A put whose answer was lost and which the SDK retried finds exactly its own item.
        Tenant t = created(tenant);

        assertThat(repository.createTenant(t)).isTrue();
    }

    @Test
    void addKey_shouldStoreTheKey_forFindByHashAndListKeys() {
        created(tenant);
        ApiKey k1 = key(tenant, "k1");

        assertThat(repository.addKey(k1)).isTrue();

        assertThat(repository.findByHash(k1.sha256())).contains(k1);
        assertThat(repository.listKeys(tenant)).containsExactly(k1);
    }

    @Test
    void addKey_shouldRefuse_whenTheTenantDoesNotExist() {
        ApiKey orphan = key(tenant, "k1");

        assertThat(repository.addKey(orphan)).isFalse();

        assertThat(repository.findByHash(orphan.sha256())).isEmpty();
        assertThat(repository.listKeys(tenant)).isEmpty();
    }

    @Test
    void findByHash_shouldBeEmpty_whenNoKeyHasTheHash() {
        assertThat(repository.findByHash("sha-" + run + "-unknown")).isEmpty();
    }

    @Test
    void listKeys_shouldListOnlyTheTenantsOwnKeys_inKeyIdOrder() {
        created(tenant);
        created(otherTenant);
        ApiKey k2 = key(tenant, "k2");
        ApiKey k1 = key(tenant, "k1");
        ApiKey theirs = key(otherTenant, "k1");
        repository.addKey(k2);
        repository.addKey(k1);
        repository.addKey(theirs);

        assertThat(repository.listKeys(tenant)).containsExactly(k1, k2);
        assertThat(repository.listKeys(otherTenant)).containsExactly(theirs);
    }

    @Test
    void revoke_shouldDeactivateTheKeyEverywhere_andRepeatingItIsHarmless() {
        created(tenant);
        ApiKey k1 = key(tenant, "k1");
        repository.addKey(k1);

        assertThat(repository.revoke(tenant, "k1")).isTrue();
        assertThat(repository.revoke(tenant, "k1")).isTrue();

        assertThat(repository.findByHash(k1.sha256())).contains(k1.revoked());
        assertThat(repository.listKeys(tenant)).containsExactly(k1.revoked());
    }

    @Test
    void revoke_shouldRefuse_whenTheTenantHasNoSuchKey_evenIfAnotherTenantHasThatKeyId() {
        created(tenant);
        created(otherTenant);
        ApiKey theirs = key(otherTenant, "k1");
        repository.addKey(theirs);

        assertThat(repository.revoke(tenant, "k1")).isFalse();
        assertThat(repository.revoke(tenant, "k9")).isFalse();

        assertThat(repository.findByHash(theirs.sha256())).get().extracting(ApiKey::active).isEqualTo(true);
    }

    @Test
    void setLimits_shouldSetThemOnTheTenantAndEveryKey_andBackToTheDefaults() {
        created(tenant);
        created(otherTenant);
        ApiKey k1 = key(tenant, "k1");
        ApiKey k2 = key(tenant, "k2");
        ApiKey theirs = key(otherTenant, "k1");
        repository.addKey(k1);
        repository.addKey(k2);
        repository.addKey(theirs);

        assertThat(repository.setLimits(tenant, LIMITS)).isTrue();

        assertThat(repository.findTenant(tenant)).get().extracting(Tenant::limits).isEqualTo(LIMITS);
        assertThat(repository.findByHash(k1.sha256())).contains(k1.withLimits(LIMITS));
        assertThat(repository.listKeys(tenant)).containsExactly(k1.withLimits(LIMITS), k2.withLimits(LIMITS));
        assertThat(repository.findByHash(theirs.sha256())).contains(theirs);
        assertThat(repository.findTenant(otherTenant)).get().extracting(Tenant::limits)
                .isEqualTo(LimitOverrides.NONE);

        assertThat(repository.setLimits(tenant, LimitOverrides.NONE)).isTrue();
        assertThat(repository.findTenant(tenant)).get().extracting(Tenant::limits).isEqualTo(LimitOverrides.NONE);
        assertThat(repository.findByHash(k2.sha256())).contains(k2);
    }

    @Test
    void setLimits_shouldRefuse_whenTheTenantDoesNotExist() {
        assertThat(repository.setLimits(tenant, LIMITS)).isFalse();

        assertThat(repository.findTenant(tenant)).isEmpty();
    }
}
