package dev.chathistory.shared.testing;

import dev.chathistory.shared.archive.ArchiveChunk;
import dev.chathistory.shared.archive.ArchiveConflictException;
import dev.chathistory.shared.archive.ArchiveIndex;
import dev.chathistory.shared.archive.ArchivedMessage;
import dev.chathistory.shared.model.ChatRef;
import dev.chathistory.shared.model.Message;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An honest fake of {@link ArchiveIndex} over an {@link InMemoryMessageRepository}: a commit
 * checks every version, then adds the entry and deletes the hot items, under one lock. A hook
 * runs just before each commit, so tests can make a concurrent edit land in the gap.
 */
public final class InMemoryArchiveIndex implements ArchiveIndex {

    private static final int MAX_DELETES = 99;

    private final InMemoryMessageRepository messages;
    private final Map<ChatRef, TreeMap<String, ArchiveChunk>> chunks = new HashMap<>();
    private Runnable beforeCommit = () -> { };

    public InMemoryArchiveIndex(InMemoryMessageRepository messages) {
        this.messages = messages;
        messages.attachArchive(this);
    }

    public void beforeCommit(Runnable hook) {
        this.beforeCommit = hook;
    }

    @Override
    public synchronized List<ArchiveChunk> listNewestFirst(ChatRef chat, String belowMessageId, int limit) {
        TreeMap<String, ArchiveChunk> all = chunks.getOrDefault(chat, new TreeMap<>());
        var below = belowMessageId == null ? all.descendingMap() : all.headMap(belowMessageId, false).descendingMap();
        return below.values().stream().limit(limit).toList();
    }

    @Override
    public synchronized Optional<ArchiveChunk> findCovering(ChatRef chat, String messageId) {
        var floor = chunks.getOrDefault(chat, new TreeMap<>()).floorEntry(messageId);
        return Optional.ofNullable(floor).map(Map.Entry::getValue).filter(c -> c.covers(messageId));
    }

    @Override
    public boolean fits(List<ArchivedMessage> archived) {
        return archived.size() + archived.stream().mapToInt(m -> m.versions().size()).sum() <= MAX_DELETES;
    }

    @Override
    public void commit(ChatRef chat, ArchiveChunk chunk, List<ArchivedMessage> archived, boolean withVersions) {
        beforeCommit.run();
        synchronized (messages) {
            synchronized (this) {
                TreeMap<String, ArchiveChunk> chatChunks = chunks.computeIfAbsent(chat, c -> new TreeMap<>());
                List<String> stale = new ArrayList<>();
                for (ArchivedMessage m : archived) {
                    Message current = messages.find(chat, m.message().messageId()).orElse(null);
                    if (current == null || current.version() != m.message().version()) {
                        stale.add(m.message().messageId());
                    }
                }
                if (chatChunks.containsKey(chunk.firstMessageId()) || !stale.isEmpty()) {
                    throw new ArchiveConflictException("changed: " + stale, null);
                }
                chatChunks.put(chunk.firstMessageId(), chunk);
                for (ArchivedMessage m : archived) {
                    messages.deleteMessage(chat, m.message().messageId());
                    if (withVersions) {
                        messages.deleteVersions(chat, m.message().messageId());
                    }
                }
            }
        }
    }

    @Override
    public synchronized boolean replace(ChatRef chat, ArchiveChunk current, ArchiveChunk replacement) {
        TreeMap<String, ArchiveChunk> chatChunks = chunks.getOrDefault(chat, new TreeMap<>());
        if (!current.equals(chatChunks.get(current.firstMessageId()))) {
            return false;
        }
        chatChunks.put(current.firstMessageId(), replacement);
        return true;
    }

    @Override
    public synchronized boolean remove(ChatRef chat, ArchiveChunk current) {
        return chunks.getOrDefault(chat, new TreeMap<>()).remove(current.firstMessageId(), current);
    }
}
