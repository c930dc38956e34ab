package dev.chathistory.shared.archive;

import dev.chathistory.shared.model.ChatRef;
import java.util.List;
import java.util.Optional;

/**
 * A chat's archive manifest: which chunk objects hold which of its archived messages. It lives
 * beside the hot messages, so moving messages into a chunk is one transaction: the manifest
 * entry appears and the hot items go, or neither happens.
 */
public interface ArchiveIndex {

    /**
     * Up to {@code limit} chunks, newest first, that hold messages older than
     * {@code belowMessageId} (all chunks when null).
     */
    List<ArchiveChunk> listNewestFirst(ChatRef chat, String belowMessageId, int limit);

    /** The chunk whose id range covers {@code messageId}, if it was archived. */
    Optional<ArchiveChunk> findCovering(ChatRef chat, String messageId);

    /**
     * Adds {@code chunk} to the manifest and deletes the hot copies of {@code archived} (each only
     * if it is still at the version that went into the chunk) and of their superseded versions,
     * in one transaction. A message whose versions do not fit ({@link #fits}) must be committed
     * alone with {@code withVersions} false, and its versions deleted afterwards.
     *
     * @throws ArchiveConflictException if a message changed or another run archived first;
     *     nothing was written
     */
    void commit(ChatRef chat, ArchiveChunk chunk, List<ArchivedMessage> archived, boolean withVersions);

    /** Whether these messages and their versions fit in one commit. */
    boolean fits(List<ArchivedMessage> archived);

    /** Swaps {@code current} for {@code replacement} (same first id) if nobody else did. */
    boolean replace(ChatRef chat, ArchiveChunk current, ArchiveChunk replacement);

    /** Removes {@code current} from the manifest if it is unchanged. */
    boolean remove(ChatRef chat, ArchiveChunk current);

    /** Every chunk of the chat, newest first. */
    default List<ArchiveChunk> listAll(ChatRef chat) {
        List<ArchiveChunk> all = new java.util.ArrayList<>();
        String below = null;
        while (true) {
            List<ArchiveChunk> page = listNewestFirst(chat, below, 100);
            all.addAll(page);
            if (page.size() < 100) {
                return all;
            }
            below = page.get(page.size() - 1).firstMessageId();
        }
    }
}
