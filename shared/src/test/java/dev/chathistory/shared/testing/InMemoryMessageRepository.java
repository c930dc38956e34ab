package dev.chathistory.shared.testing;

import dev.chathistory.shared.archive.ArchiveChunk;
import dev.chathistory.shared.branches.BranchPoint;
import dev.chathistory.shared.model.ChatRef;
import dev.chathistory.shared.model.IdempotencyRecord;
import dev.chathistory.shared.model.Message;
import dev.chathistory.shared.model.MessageVersion;
import dev.chathistory.shared.model.Page;
import dev.chathistory.shared.model.ReadConsistency;
import dev.chathistory.shared.repository.HistoryPage;
import dev.chathistory.shared.repository.IdempotencyKeyTakenException;
import dev.chathistory.shared.repository.MessageRepository;
import dev.chathistory.shared.repository.StaleVersionException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An honest fake of {@link MessageRepository}: same ordering, same conditions, same
 * all-or-nothing writes (one lock stands in for DynamoDB's per-item atomicity). Its contract with
 * the DynamoDB repository is {@code MessageRepositoryContract}.
 */
public final class InMemoryMessageRepository implements MessageRepository, HeldItems {

    private final Map<ChatRef, NavigableMap<String, Message>> messages = new HashMap<>();
    private final Map<ChatRef, Map<String, TreeMap<Long, MessageVersion>>> versions = new HashMap<>();
    private final Map<ChatRef, Map<String, IdempotencyRecord>> idempotency = new HashMap<>();
    private InMemoryArchiveIndex archive;
    private InMemoryBranchRepository branches;
    /** Each snapshot's expiry stamp, by chat/message/version; DynamoDB keeps it on the item. */
    private final Map<String, java.util.Optional<Instant>> versionExpiries = new HashMap<>();

    @Override
    public synchronized void insert(ChatRef chat, Message message) {
        // Like DynamoDB: finding exactly this message (a retried put) counts as stored.
        if (!insertIfAbsent(chat, message)) {
            throw new IllegalStateException("message id collision");
        }
    }

    @Override
    public synchronized boolean insertIfAbsent(ChatRef chat, Message message) {
        Message existing = messages.computeIfAbsent(chat, c -> new TreeMap<>()).putIfAbsent(message.messageId(), message);
        return existing == null || existing.equals(message);
    }

    @Override
    public synchronized List<String> putImported(String tenantId, String importId, List<Message> batch) {
        List<String> kept = new ArrayList<>();
        for (Message message : batch) {
            Map<String, Message> chat = messages.computeIfAbsent(new ChatRef(tenantId, message.chatId()),
                    c -> new TreeMap<>());
            Message current = chat.get(message.messageId());
            if (current == null || (importId.equals(current.importId()) && current.version() == 1)) {
                chat.put(message.messageId(), message);
            } else {
                kept.add(message.messageId());
            }
        }
        return kept;
    }

    @Override
    public synchronized void deleteMessages(ChatRef chat, List<String> messageIds) {
        messageIds.forEach(id -> deleteMessage(chat, id));
    }

    @Override
    public synchronized void claimIdempotencyKey(ChatRef chat, IdempotencyRecord record, Instant now) {
        Map<String, IdempotencyRecord> records = idempotency.computeIfAbsent(chat, c -> new TreeMap<>());
        IdempotencyRecord existing = records.get(record.key());
        if (existing != null && !existing.isExpiredAt(now) && !existing.equals(record)) {
            throw new IdempotencyKeyTakenException(existing);
        }
        records.put(record.key(), record);
    }

    @Override
    public synchronized Optional<IdempotencyRecord> findIdempotencyRecord(ChatRef chat, String key) {
        return Optional.ofNullable(idempotency.getOrDefault(chat, Map.of()).get(key));
    }

    @Override
    public synchronized Optional<Message> find(ChatRef chat, String messageId) {
        return Optional.ofNullable(messages.getOrDefault(chat, new TreeMap<>()).get(messageId));
    }

    @Override
    public synchronized HistoryPage listNewestFirst(ChatRef chat, int limit, String resumeAfter, String upTo,
                                                    boolean includeDeleted, ReadConsistency consistency) {
        NavigableMap<String, Message> chatMessages = messages.getOrDefault(chat, new TreeMap<>());
        NavigableMap<String, Message> newestFirst = resumeAfter != null
                ? chatMessages.headMap(resumeAfter, false).descendingMap()
                : upTo != null ? chatMessages.headMap(upTo, true).descendingMap() : chatMessages.descendingMap();
        // Like DynamoDB: `limit` items are read, then deleted ones are filtered out.
        List<Message> read = newestFirst.values().stream().limit(limit).toList();
        List<Message> visible = read.stream().filter(m -> includeDeleted || !m.deleted()).toList();
        if (read.size() == limit) {
            return new HistoryPage(visible, Optional.of(read.get(read.size() - 1).messageId()), List.of(), false);
        }
        // Like DynamoDB, where the manifest sorts right below the hot messages: the rest of the
        // read goes to the newest chunks.
        int room = limit - read.size();
        List<ArchiveChunk> chunks = archive == null ? List.of() : archive.listNewestFirst(chat, null, room);
        // And, where the read reaches the bottom, a branch's mark, which sorts below the manifest.
        boolean reachedEnd = chunks.size() < room;
        Optional<BranchPoint> mark = reachedEnd && branches != null ? branches.find(chat) : Optional.empty();
        return new HistoryPage(visible, Optional.empty(), chunks, chunks.size() == room, reachedEnd, mark);
    }

    /** The branches whose marks a history read reaches, as in DynamoDB's shared partition. */
    synchronized void attachBranches(InMemoryBranchRepository branches) {
        this.branches = branches;
    }

    /** The archive whose manifest a history read reaches, as in DynamoDB's shared partition. */
    synchronized void attachArchive(InMemoryArchiveIndex archive) {
        this.archive = archive;
    }

    @Override
    public synchronized void replace(ChatRef chat, Message next, long expectedVersion, MessageVersion superseded) {
        // Like the DynamoDB repository: the snapshot first and unconditionally (so a stale write
        // leaves it too), then the conditional write, which finding its own result counts as done.
        versions.computeIfAbsent(chat, c -> new HashMap<>())
                .computeIfAbsent(next.messageId(), m -> new TreeMap<>())
                .put(superseded.version(), superseded);
        versionExpiries.put(chat + "/" + next.messageId() + "/" + superseded.version(),
                java.util.Optional.ofNullable(next.expiresAt()));
        Message current = find(chat, next.messageId()).orElse(null);
        if (next.equals(current)) {
            return;
        }
        if (current == null || current.version() != expectedVersion) {
            throw new StaleVersionException(current);
        }
        messages.get(chat).put(next.messageId(), next);
    }

    @Override
    public synchronized boolean stampExpiry(ChatRef chat, String messageId, long version, Instant expiresAt) {
        versions.getOrDefault(chat, Map.of()).getOrDefault(messageId, new TreeMap<>())
                .keySet().forEach(v -> versionExpiries.put(chat + "/" + messageId + "/" + v,
                        java.util.Optional.ofNullable(expiresAt)));
        Message current = find(chat, messageId).orElse(null);
        if (current == null || current.version() != version) {
            return false;
        }
        messages.get(chat).put(messageId, current.withExpiry(expiresAt));
        return true;
    }

    /** When a version snapshot is stamped to expire: empty when kept. */
    public synchronized java.util.Optional<Instant> versionExpiry(ChatRef chat, String messageId, long version) {
        return versionExpiries.getOrDefault(chat + "/" + messageId + "/" + version, java.util.Optional.empty());
    }

    @Override
    public synchronized Page<MessageVersion> listVersionsNewestFirst(ChatRef chat, String messageId, int limit,
                                                                     long belowVersion) {
        TreeMap<Long, MessageVersion> history = versions.getOrDefault(chat, Map.of())
                .getOrDefault(messageId, new TreeMap<>());
        List<MessageVersion> items = new ArrayList<>(history.headMap(belowVersion, false)
                .descendingMap().values().stream().limit(limit).toList());
        Optional<String> next = items.size() == limit && items.get(items.size() - 1).version() > 1
                ? Optional.of(Long.toString(items.get(items.size() - 1).version()))
                : Optional.empty();
        return new Page<>(items, next);
    }

    /** Every superseded version stored for a message, oldest first (test inspection). */
    @Override
    public synchronized List<Message> listOldestFirst(ChatRef chat, String belowMessageId, int limit) {
        return messages.getOrDefault(chat, new TreeMap<>()).headMap(belowMessageId, false).values().stream()
                .limit(limit).toList();
    }

    @Override
    public synchronized List<MessageVersion> listAllVersions(ChatRef chat, String messageId, long currentVersion) {
        return List.copyOf(versions.getOrDefault(chat, Map.of())
                .getOrDefault(messageId, new TreeMap<>()).headMap(currentVersion, false).descendingMap().values());
    }

    @Override
    public void forEachMessage(ChatRef chat, String userId, java.util.function.Consumer<Message> visitor) {
        List<Message> snapshot;
        synchronized (this) {
            snapshot = List.copyOf(messages.getOrDefault(chat, new TreeMap<>()).values());
        }
        snapshot.stream().filter(m -> userId == null || m.userId().equals(userId)).forEach(visitor);
    }

    @Override
    public synchronized int deleteVersions(ChatRef chat, String messageId) {
        TreeMap<Long, MessageVersion> removed = versions.getOrDefault(chat, new HashMap<>()).remove(messageId);
        return removed == null ? 0 : removed.size();
    }

    /** Deletes one superseded version if stored, as an archive commit does for each it names. */
    synchronized void deleteVersion(ChatRef chat, String messageId, long version) {
        Map<String, TreeMap<Long, MessageVersion>> byMessage = versions.getOrDefault(chat, new HashMap<>());
        TreeMap<Long, MessageVersion> history = byMessage.get(messageId);
        if (history != null && history.remove(version) != null && history.isEmpty()) {
            byMessage.remove(messageId);
        }
    }

    @Override
    public synchronized void deleteMessage(ChatRef chat, String messageId) {
        messages.getOrDefault(chat, new TreeMap<>()).remove(messageId);
    }

    @Override
    public synchronized List<IdempotencyRecord> listIdempotencyRecords(ChatRef chat) {
        return List.copyOf(idempotency.getOrDefault(chat, Map.of()).values());
    }

    @Override
    public synchronized void deleteIdempotencyRecord(ChatRef chat, String key) {
        idempotency.getOrDefault(chat, new HashMap<>()).remove(key);
    }

    public synchronized List<MessageVersion> storedVersions(ChatRef chat, String messageId) {
        return List.copyOf(versions.getOrDefault(chat, Map.of()).getOrDefault(messageId, new TreeMap<>()).values());
    }

    public synchronized int messageCount(ChatRef chat) {
        return messages.getOrDefault(chat, new TreeMap<>()).size();
    }

    /** Current messages, version snapshots and idempotency records, each under its chat's tenant. */
    @Override
    public synchronized List<HeldItem> heldItems() {
        List<HeldItem> items = new ArrayList<>();
        messages.forEach((chat, byId) -> byId.forEach((id, message) -> items.add(HeldItem.of("messages",
                chat + "/" + id, message, chat.tenantId()))));
        versions.forEach((chat, byMessage) -> byMessage.forEach((id, byVersion) -> byVersion.forEach(
                (version, snapshot) -> items.add(HeldItem.of("versions", chat + "/" + id + "/" + version, snapshot,
                        chat.tenantId())))));
        idempotency.forEach((chat, byKey) -> byKey.forEach((key, record) -> items.add(HeldItem.of("idempotency",
                chat + "/" + key, record, chat.tenantId()))));
        return items;
    }
}
