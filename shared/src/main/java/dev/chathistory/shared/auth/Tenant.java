package dev.chathistory.shared.auth;

import java.time.Instant;
import java.util.Objects;

/** A bot (or a team's bots) whose data is kept apart from every other tenant's. */
public record Tenant(String tenantId, String name, Instant createdAt) {

    public Tenant {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
