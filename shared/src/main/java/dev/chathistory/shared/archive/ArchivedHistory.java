package dev.chathistory.shared.archive;

import dev.chathistory.shared.model.ChatRef;
import dev.chathistory.shared.model.Message;
import dev.chathistory.shared.model.Page;
import java.util.List;
import java.util.Optional;

/** Read access to a chat's archived messages, for the history API. */
public interface ArchivedHistory {

    /**
     * Archived messages newest first, strictly older than {@code belowMessageId} (from the newest
     * archived one when null). {@code resumeAfter} is present while more may follow.
     */
    Page<Message> listNewestFirst(ChatRef chat, int limit, String belowMessageId, boolean includeDeleted);

    /**
     * As {@link #listNewestFirst}, starting from chunks the caller already read, newest first
     * (the history Query reads them along with the hot messages); {@code more} says whether older
     * chunks may follow them.
     */
    Page<Message> continueFrom(ChatRef chat, int limit, String belowMessageId, boolean includeDeleted,
                               List<ArchiveChunk> newest, boolean more);

    Optional<ArchivedMessage> find(ChatRef chat, String messageId);

    /** For a deployment, or a test, without an archive. */
    static ArchivedHistory none() {
        return new ArchivedHistory() {
            @Override
            public Page<Message> listNewestFirst(ChatRef chat, int limit, String below, boolean includeDeleted) {
                return new Page<>(List.of(), Optional.empty());
            }

            @Override
            public Page<Message> continueFrom(ChatRef chat, int limit, String below, boolean includeDeleted,
                                              List<ArchiveChunk> newest, boolean more) {
                return new Page<>(List.of(), Optional.empty());
            }

            @Override
            public Optional<ArchivedMessage> find(ChatRef chat, String messageId) {
                return Optional.empty();
            }
        };
    }
}
