package dev.chathistory.shared.auth;

import dev.chathistory.shared.limits.LimitOverrides;
import java.time.Instant;
import java.util.Objects;

/** A bot (or a team's bots) whose data is kept apart from every other tenant's. */
public record Tenant(String tenantId, String name, Instant createdAt, LimitOverrides limits) {

    public Tenant {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(limits, "limits");
    }

    /** A tenant with the deployment's default limits. */
    public Tenant(String tenantId, String name, Instant createdAt) {
        this(tenantId, name, createdAt, LimitOverrides.NONE);
    }
}
