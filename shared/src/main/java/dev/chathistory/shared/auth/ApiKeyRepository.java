package dev.chathistory.shared.auth;

import dev.chathistory.shared.limits.LimitOverrides;
import java.util.List;
import java.util.Optional;

/** Tenants and the hashes of their API keys. */
public interface ApiKeyRepository {

    /** False if the tenant exists already. */
    boolean createTenant(Tenant tenant);

    Optional<Tenant> findTenant(String tenantId);

    /** Stores a new key of an existing tenant; false if the tenant does not exist. */
    boolean addKey(ApiKey key);

    /** The key with this SHA-256, active or not. */
    Optional<ApiKey> findByHash(String sha256);

    /** Every key of the tenant, oldest first. */
    List<ApiKey> listKeys(String tenantId);

    /** Marks a key revoked; false if the tenant has no such key. Repeating it is harmless. */
    boolean revoke(String tenantId, String keyId);

    /** Sets the tenant's own limits, on the tenant and on every key it has; false if no such tenant. */
    boolean setLimits(String tenantId, LimitOverrides limits);
}
