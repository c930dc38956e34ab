package dev.chathistory.shared.branches;

import dev.chathistory.shared.cache.MeteredCache;
import dev.chathistory.shared.metrics.ServiceMetrics;
import dev.chathistory.shared.model.ChatRef;
import java.time.Duration;
import java.util.Optional;

/**
 * Branch marks through a per-container cache. A mark never changes once written, and a chat that
 * is not a branch never becomes one (branches get fresh ids), so a mark read once is good for
 * as long as the container lives; the cache only bounds memory.
 */
public final class Branches {

    private static final long CACHE_SIZE = 20_000;

    private final BranchRepository repository;
    private final MeteredCache<ChatRef, Optional<BranchPoint>> marks;

    public Branches(BranchRepository repository, ServiceMetrics metrics) {
        this.repository = repository;
        this.marks = new MeteredCache<>("BranchMarks", Duration.ofDays(1), CACHE_SIZE, metrics);
    }

    /** Where the chat forked, if it is a branch: from the cache, else one read. */
    public Optional<BranchPoint> markOf(ChatRef chat) {
        return marks.get(chat, repository::find);
    }

    /** What a history read found at the bottom of the chat's range: the mark, or that there is none. */
    public void seen(ChatRef chat, Optional<BranchPoint> mark) {
        marks.put(chat, mark);
    }

    public BranchRepository repository() {
        return repository;
    }
}
