package dev.chathistory.importer;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The ledger in memory, for the importer's unit tests. */
final class InMemoryImportLedger implements ImportLedger {

    private final Map<String, State> states = new HashMap<>();
    private final Map<String, Set<String>> chats = new HashMap<>();

    @Override
    public Optional<State> find(String tenantId, String importId) {
        return Optional.ofNullable(states.get(tenantId + "/" + importId));
    }

    @Override
    public State start(String tenantId, String importId, String source, Instant now) {
        return states.computeIfAbsent(tenantId + "/" + importId,
                k -> new State(tenantId, importId, source, Status.RUNNING, null, 0, now, now));
    }

    @Override
    public void checkpoint(String tenantId, String importId, long position, Instant now) {
        State s = states.get(tenantId + "/" + importId);
        states.put(tenantId + "/" + importId, new State(tenantId, importId, s.source(), s.status(), position,
                s.messagesImported(), s.startedAt(), now));
    }

    @Override
    public void finish(String tenantId, String importId, Status status, long messagesImported, Instant now) {
        State s = states.get(tenantId + "/" + importId);
        states.put(tenantId + "/" + importId, new State(tenantId, importId, s.source(), status, s.position(),
                messagesImported, s.startedAt(), now));
    }

    @Override
    public void addChat(String tenantId, String importId, String chatId) {
        chats.computeIfAbsent(tenantId + "/" + importId, k -> new LinkedHashSet<>()).add(chatId);
    }

    @Override
    public List<String> chats(String tenantId, String importId) {
        return new ArrayList<>(chats.getOrDefault(tenantId + "/" + importId, Set.of()));
    }

    @Override
    public void removeChat(String tenantId, String importId, String chatId) {
        chats.getOrDefault(tenantId + "/" + importId, new LinkedHashSet<>()).remove(chatId);
    }

    /** Forgets the import's position, as if its run had died before the first checkpoint. */
    void forgetPosition(String tenantId, String importId) {
        State s = states.get(tenantId + "/" + importId);
        states.put(tenantId + "/" + importId, new State(tenantId, importId, s.source(), Status.RUNNING, null,
                s.messagesImported(), s.startedAt(), s.updatedAt()));
    }
}
