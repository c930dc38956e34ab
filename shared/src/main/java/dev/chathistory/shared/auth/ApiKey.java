package dev.chathistory.shared.auth;

import dev.chathistory.shared.limits.LimitOverrides;
import java.time.Instant;
import java.util.Objects;

/**
 * What is kept of an API key: never the key itself, only its SHA-256, with the tenant it
 * acts for. {@code keyId} names the key in listings and revocations without revealing it;
 * {@code limits} are the tenant's own, copied to each of its keys.
 */
public record ApiKey(String tenantId, String keyId, String name, String sha256, Instant createdAt, boolean active,
                     LimitOverrides limits) {

    public ApiKey {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(limits, "limits");
    }

    /** A key of a tenant with the deployment's default limits. */
    public ApiKey(String tenantId, String keyId, String name, String sha256, Instant createdAt, boolean active) {
        this(tenantId, keyId, name, sha256, createdAt, active, LimitOverrides.NONE);
    }

    public ApiKey revoked() {
        return new ApiKey(tenantId, keyId, name, sha256, createdAt, false, limits);
    }

    public ApiKey withLimits(LimitOverrides newLimits) {
        return new ApiKey(tenantId, keyId, name, sha256, createdAt, active, newLimits);
    }
}
