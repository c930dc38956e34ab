package dev.chathistory.shared.repository;

import dev.chathistory.shared.archive.ArchiveChunk;
import dev.chathistory.shared.branches.BranchPoint;
import dev.chathistory.shared.model.Message;
import java.util.List;
import java.util.Optional;

/**
 * One read of a chat's history: hot messages newest first and, where they ran out before the
 * page was full, the newest archive chunks, found by the same request.
 *
 * @param items hot messages, newest first (deleted ones unless asked for)
 * @param resumeAfter present when more hot messages may follow: the page ended among them
 * @param archiveStart when the hot messages ran out: the newest chunks of the archive, newest
 *     first; empty when the chat has no archive
 * @param moreArchive whether older chunks than {@code archiveStart} may follow
 * @param reachedEnd whether the read reached the bottom of the chat's range (no more hot messages
 *     and no more chunks than {@code archiveStart})
 * @param branchedFrom where the chat forked, when it is a branch and the read reached the bottom
 *     (the branch's mark sorts there)
 */
public record HistoryPage(List<Message> items, Optional<String> resumeAfter, List<ArchiveChunk> archiveStart,
                          boolean moreArchive, boolean reachedEnd, Optional<BranchPoint> branchedFrom) {

    public HistoryPage {
        items = List.copyOf(items);
        archiveStart = List.copyOf(archiveStart);
    }

    /** A read that did not reach the bottom of the chat's range, or says nothing of it. */
    public HistoryPage(List<Message> items, Optional<String> resumeAfter, List<ArchiveChunk> archiveStart,
                       boolean moreArchive) {
        this(items, resumeAfter, archiveStart, moreArchive, false, Optional.empty());
    }
}
