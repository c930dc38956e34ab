package dev.chathistory.shared.auth;

import java.time.Instant;
import java.util.Objects;

/**
 * What is kept of an API key: never the key itself, only its SHA-256, with the tenant it
 * acts for. {@code keyId} names the key in listings and revocations without revealing it.
 */
public record ApiKey(String tenantId, String keyId, String name, String sha256, Instant createdAt, boolean active) {

    public ApiKey {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    public ApiKey revoked() {
        return new ApiKey(tenantId, keyId, name, sha256, createdAt, false);
    }
}
