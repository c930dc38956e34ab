package dev.chathistory.shared.branches;

import dev.chathistory.shared.model.ChatRef;
import dev.chathistory.shared.model.Page;
import java.util.Optional;

/**
 * Branches: a mark in the branch's own partition saying where it forked, and an entry in the
 * parent's partition that lists it. Both are written in one transaction and never change.
 */
public interface BranchRepository {

    /**
     * Records a new branch of {@code parent}; false if a chat with the branch's id already has a
     * mark (ids are fresh, so only a repeat of this very creation finds one).
     */
    boolean create(ChatRef parent, BranchPoint branch);

    /** Where the chat forked, if it is a branch. */
    Optional<BranchPoint> find(ChatRef chat);

    /** The chat's branches, oldest first, after the branch id {@code after} (exclusive; null for the first). */
    Page<BranchPoint> list(ChatRef parent, int limit, String after);
}
