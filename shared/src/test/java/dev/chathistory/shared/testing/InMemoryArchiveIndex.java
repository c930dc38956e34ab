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
        return deletes(archived, true) <= MAX_DELETES;
    }

    private static int deletes(List<ArchivedMessage> archived, boolean withVersions) {
        return archived.size() + (withVersions ? archived.stream().mapToInt(m -> m.versions().size()).sum() : 0);
    }

    @Override
    public void commit(ChatRef chat, ArchiveChunk chunk, List<ArchivedMessage> archived, boolean withVersions) {
        // Like DynamoDB, which refuses these before writing: one transaction holds 100 actions.
        if (archived.isEmpty() || deletes(archived, withVersions) > MAX_DELETES) {
            throw new IllegalArgumentException("a chunk commits 1 to " + MAX_DELETES + " items");
        }
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
                        // Like DynamoDB: exactly the versions named, not whatever else is stored.
                        m.versions().forEach(v -> messages.deleteVersion(chat, m.message().messageId(), v.version()));
                    }
                }
            }
        }
    }

    @Override
    public synchronized boolean replace(ChatRef chat, ArchiveChunk current, ArchiveChunk replacement) {
        if (!current.firstMessageId().equals(replacement.firstMessageId())) {
            throw new IllegalArgumentException("a replacement chunk keeps the first message id");
        }
        if (!namesObjectOf(chat, current)) {
            return false;
        }
        chunks.get(chat).put(current.firstMessageId(), replacement);
        return true;
    }

    @Override
    public synchronized boolean remove(ChatRef chat, ArchiveChunk current) {
        if (!namesObjectOf(chat, current)) {
            return false;
        }
        chunks.get(chat).remove(current.firstMessageId());
        return true;
    }

    /** DynamoDB's condition: the entry at {@code current}'s first id names the same object. */
    private boolean namesObjectOf(ChatRef chat, ArchiveChunk current) {
        ArchiveChunk stored = chunks.getOrDefault(chat, new TreeMap<>()).get(current.firstMessageId());
        return stored != null && stored.objectKey().equals(current.objectKey());
    }
}
