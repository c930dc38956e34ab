package dev.chathistory.shared.testing;

import dev.chathistory.shared.auth.ApiKey;
import dev.chathistory.shared.auth.ApiKeyRepository;
import dev.chathistory.shared.auth.Tenant;
import dev.chathistory.shared.limits.LimitOverrides;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An honest fake of {@link ApiKeyRepository}: the same conditions, under one lock. Its contract
 * with the DynamoDB repository is {@code ApiKeyRepositoryContract}.
 */
public final class InMemoryApiKeyRepository implements ApiKeyRepository {

    private final Map<String, Tenant> tenants = new HashMap<>();
    private final Map<String, ApiKey> keysByHash = new HashMap<>();

    @Override
    public synchronized boolean createTenant(Tenant tenant) {
        // Like DynamoDB: the tenant starts with the default limits (only setLimits sets others),
        // and a retried put that finds exactly its own item created it.
        Tenant stored = new Tenant(tenant.tenantId(), tenant.name(), tenant.createdAt());
        Tenant existing = tenants.putIfAbsent(tenant.tenantId(), stored);
        return existing == null || existing.equals(stored);
    }

    @Override
    public synchronized Optional<Tenant> findTenant(String tenantId) {
        return Optional.ofNullable(tenants.get(tenantId));
    }

    @Override
    public synchronized boolean addKey(ApiKey key) {
        if (!tenants.containsKey(key.tenantId()) || keysByHash.containsKey(key.sha256())) {
            return false;
        }
        keysByHash.put(key.sha256(), key);
        return true;
    }

    @Override
    public synchronized Optional<ApiKey> findByHash(String sha256) {
        return Optional.ofNullable(keysByHash.get(sha256));
    }

    @Override
    public synchronized List<ApiKey> listKeys(String tenantId) {
        return keysByHash.values().stream().filter(k -> k.tenantId().equals(tenantId))
                .sorted(Comparator.comparing(ApiKey::keyId)).toList();
    }

    @Override
    public synchronized boolean setLimits(String tenantId, LimitOverrides limits) {
        Tenant tenant = tenants.get(tenantId);
        if (tenant == null) {
            return false;
        }
        tenants.put(tenantId, new Tenant(tenantId, tenant.name(), tenant.createdAt(), limits));
        keysByHash.replaceAll((hash, key) -> key.tenantId().equals(tenantId) ? key.withLimits(limits) : key);
        return true;
    }

    @Override
    public synchronized boolean revoke(String tenantId, String keyId) {
        Optional<ApiKey> key = keysByHash.values().stream()
                .filter(k -> k.tenantId().equals(tenantId) && k.keyId().equals(keyId)).findFirst();
        key.ifPresent(k -> keysByHash.put(k.sha256(), k.revoked()));
        return key.isPresent();
    }
}
