package dev.chathistory.shared.archive;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.chathistory.shared.model.ChatRef;
import dev.chathistory.shared.model.Message;
import dev.chathistory.shared.model.Page;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads archived history through the manifest. Chunk objects never change once written (an erase
 * writes a new object under a new key), so decoded chunks are cached by object key for as long
 * as memory allows: paging through an archived chat reads each chunk from S3 once per container.
 */
public final class ArchiveReader implements ArchivedHistory {

    private static final int CHUNKS_PER_QUERY = 4;

    private final ArchiveIndex index;
    private final ObjectStore objects;
    private final Cache<String, List<ArchivedMessage>> chunks;

    public ArchiveReader(ArchiveIndex index, ObjectStore objects, long cacheBytes) {
        this.index = index;
        this.objects = objects;
        this.chunks = Caffeine.newBuilder()
                .maximumWeight(cacheBytes)
                .<String, List<ArchivedMessage>>weigher((key, messages) -> weight(messages))
                .build();
    }

    @Override
    public Page<Message> listNewestFirst(ChatRef chat, int limit, String belowMessageId, boolean includeDeleted) {
        List<ArchiveChunk> candidates = index.listNewestFirst(chat, belowMessageId, CHUNKS_PER_QUERY);
        return collect(chat, limit, belowMessageId, includeDeleted, candidates,
                candidates.size() == CHUNKS_PER_QUERY);
    }

    @Override
    public Page<Message> continueFrom(ChatRef chat, int limit, String belowMessageId, boolean includeDeleted,
                                      List<ArchiveChunk> newest, boolean more) {
        return collect(chat, limit, belowMessageId, includeDeleted, newest, more);
    }

    /**
     * Messages of {@code candidates} (newest chunk first) below {@code belowMessageId}, then of
     * the chunks after them while the page has room and {@code more} may follow.
     */
    private Page<Message> collect(ChatRef chat, int limit, String belowMessageId, boolean includeDeleted,
                                  List<ArchiveChunk> candidates, boolean more) {
        List<Message> items = new ArrayList<>(limit);
        String below = belowMessageId;
        String lastReturned = null;
        while (true) {
            for (ArchiveChunk chunk : candidates) {
                if (below != null && chunk.firstMessageId().compareTo(below) >= 0) {
                    continue;
                }
                List<ArchivedMessage> messages = read(chat, chunk);
                for (int i = messages.size() - 1; i >= 0; i--) {
                    Message message = messages.get(i).message();
                    if (below != null && message.messageId().compareTo(below) >= 0) {
                        continue;
                    }
                    if (items.size() == limit) {
                        // Something older is left: the page ends here and the cursor says where.
                        return new Page<>(items, Optional.of(lastReturned));
                    }
                    lastReturned = message.messageId();
                    if (includeDeleted || !message.deleted()) {
                        items.add(message);
                    }
                }
                below = chunk.firstMessageId();
            }
            if (!more) {
                return new Page<>(items, Optional.empty());
            }
            candidates = index.listNewestFirst(chat, below, CHUNKS_PER_QUERY);
            more = candidates.size() == CHUNKS_PER_QUERY;
        }
    }

    @Override
    public Optional<ArchivedMessage> find(ChatRef chat, String messageId) {
        return index.findCovering(chat, messageId)
                .flatMap(chunk -> read(chat, chunk).stream()
                        .filter(m -> m.message().messageId().equals(messageId))
                        .findFirst());
    }

    /** The chunk's messages, oldest first. */
    public List<ArchivedMessage> read(ChatRef chat, ArchiveChunk chunk) {
        return chunks.get(chunk.objectKey(), key -> load(chat, chunk));
    }

    private List<ArchivedMessage> load(ChatRef chat, ArchiveChunk chunk) {
        byte[] stored = objects.get(chunk.objectKey()).orElseThrow(() -> new MissingChunkException(chat, chunk));
        return ChunkFormat.decode(Gzip.decompress(stored));
    }

    private static int weight(List<ArchivedMessage> messages) {
        long bytes = 0;
        for (ArchivedMessage m : messages) {
            bytes += 256 + 2L * m.message().text().length();
            for (var v : m.versions()) {
                bytes += 128 + 2L * v.text().length();
            }
        }
        return (int) Math.min(Integer.MAX_VALUE, bytes);
    }

    /**
     * The manifest names an object that is not there. An erase replaces a chunk's object and then
     * deletes the old one, so a reader that fetched the manifest just before may see this; a
     * retry reads the new manifest.
     */
    public static final class MissingChunkException extends RuntimeException {
        MissingChunkException(ChatRef chat, ArchiveChunk chunk) {
            super("archive chunk object missing for manifest entry " + chunk.firstMessageId());
        }
    }
}
