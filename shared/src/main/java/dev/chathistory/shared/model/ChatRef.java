package dev.chathistory.shared.model;

import java.util.Objects;

/** A chat inside a tenant: the unit of history, and of a DynamoDB partition. */
public record ChatRef(String tenantId, String chatId) {
    public ChatRef {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(chatId, "chatId");
    }
}
