package dev.chathistory.shared.model;

import java.util.Objects;

/** A bot's end user inside a tenant. */
public record UserRef(String tenantId, String userId) {
    public UserRef {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(userId, "userId");
    }
}
