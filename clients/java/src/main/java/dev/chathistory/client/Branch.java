package dev.chathistory.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;

/**
 * A branch of a chat, from {@link ChatHistoryClient#createBranch}: a chat of its own
 * ({@code branchId}, used like any chat id) whose history is its parent's up to and including
 * {@code fromMessageId}, then its own messages.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Branch(String branchId, String parentChatId, String fromMessageId, Instant createdAt) {
}
