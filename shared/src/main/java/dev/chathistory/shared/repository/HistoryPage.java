package dev.chathistory.shared.repository;

import dev.chathistory.shared.archive.ArchiveChunk;
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
 */
public record HistoryPage(List<Message> items, Optional<String> resumeAfter, List<ArchiveChunk> archiveStart,
                          boolean moreArchive) {

    public HistoryPage {
        items = List.copyOf(items);
        archiveStart = List.copyOf(archiveStart);
    }
}
