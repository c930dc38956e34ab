package dev.chathistory.shared.branches;

import java.time.Instant;
import java.util.Objects;

/**
 * Where a branch forked: its parent chat and the parent's message it reads through to (that
 * message and everything before it, as the parent's history shows them). A branch is a chat of
 * its own; its own messages follow the fork. Never changes once created.
 */
public record BranchPoint(String branchId, String parentChatId, String fromMessageId, Instant createdAt) {

    public BranchPoint {
        Objects.requireNonNull(branchId, "branchId");
        Objects.requireNonNull(parentChatId, "parentChatId");
        Objects.requireNonNull(fromMessageId, "fromMessageId");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
