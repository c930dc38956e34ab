package dev.chathistory.client.memory;

import dev.chathistory.client.ChatHistoryClient;
import dev.chathistory.client.ChatHistoryException;
import dev.chathistory.client.Message;
import dev.chathistory.client.MessageEdit;
import dev.chathistory.client.NewMessage;
import dev.chathistory.client.Page;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A framework's chat memory kept in a chat, as appends. Memories hand over the whole list of
 * messages each turn ({@link #replaceWindow}); this matches it against the window stored, appends
 * only the messages that are new (with an {@code Idempotency-Key} derived from the message's
 * position in the conversation, so a retried turn never appends twice) and records the new
 * window in the newest message's metadata. Messages a window memory evicted stay in the chat:
 * the full conversation is readable through the API, and {@link #window} serves the window.
 *
 * <p>Writes per turn: one append per new message, whatever the conversation's length. A change
 * that adds nothing (the window only shrank) costs one edit of the newest message's metadata.
 * Reads: one page of up to 100 messages per 100 messages of the window's tail, plus one read per
 * message kept apart from it (a system message).
 *
 * <p>One writer per conversation at a time: a concurrent writer that took the same position is
 * detected by its idempotency key and the turn is matched again once, never merged silently.
 */
public final class ConversationLog {

    private static final Pattern ID = Pattern.compile("^(?!\\.\\.?$)[A-Za-z0-9._:-]{1,128}$");
    private static final int PAGE_SIZE = 100;
    private static final String KEY_REUSED = "idempotency_key_reused";

    private final ChatHistoryClient client;
    private final String userId;
    private final String botId;
    private final String kind;

    /**
     * @param userId author of {@link MemoryRole#USER} messages (the person), a chat-history id
     * @param botId author of every other message
     * @param kind the framework whose JSON form {@code json} entries hold, as metadata names it
     */
    public ConversationLog(ChatHistoryClient client, String userId, String botId, String kind) {
        this.client = Objects.requireNonNull(client, "client");
        this.userId = checkId(userId, "userId");
        this.botId = checkId(botId, "botId");
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    /** The conversation's id as a chat id: 1 to 128 of {@code [A-Za-z0-9._:-]}, not {@code .} or {@code ..}. */
    public static String chatId(Object conversationId) {
        Objects.requireNonNull(conversationId, "conversation id");
        return checkId(conversationId.toString(), "conversation id");
    }

    private static String checkId(String id, String what) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException(what + " must be 1 to 128 characters of A-Z a-z 0-9 . _ : -"
                    + " (and not . or ..), got " + (id == null ? "null" : id.length() + " characters"));
        }
        return id;
    }

    /** The memory's window, oldest first; empty for a new or cleared conversation. */
    public List<MemoryEntry> window(Object conversationId) {
        return read(chatId(conversationId)).window().stream().map(StoredEntry::entry).toList();
    }

    /**
     * Stores {@code entries} as the memory's window: appends the ones not already in the stored
     * window (in order, after the ones matched), and records the window.
     */
    public void replaceWindow(Object conversationId, List<MemoryEntry> entries) {
        String chatId = chatId(conversationId);
        List<MemoryEntry> wanted = List.copyOf(entries);
        try {
            store(chatId, wanted, read(chatId));
        } catch (ChatHistoryException e) {
            if (!KEY_REUSED.equals(e.code())) {
                throw e;
            }
            // Someone else appended at the position this turn computed: look again, once.
            store(chatId, wanted, read(chatId));
        }
    }

    /**
     * Empties the window: the memory starts again, and the conversation so far stays in the chat
     * (delete its messages, or run an {@code erase} job, to remove it). One edit, or nothing.
     */
    public void clearWindow(Object conversationId) {
        String chatId = chatId(conversationId);
        Snapshot snapshot = read(chatId);
        if (!snapshot.window().isEmpty() && snapshot.carrier() != null) {
            rewriteWindow(chatId, snapshot.carrier(), WindowSpec.EMPTY);
        }
    }

    private void store(String chatId, List<MemoryEntry> wanted, Snapshot snapshot) {
        List<StoredEntry> window = new ArrayList<>(wanted.size());
        List<Integer> fresh = new ArrayList<>();
        int next = 0;
        for (MemoryEntry entry : wanted) {
            StoredEntry match = null;
            for (int i = next; i < snapshot.window().size(); i++) {
                if (snapshot.window().get(i).entry().equals(entry)) {
                    match = snapshot.window().get(i);
                    next = i + 1;
                    break;
                }
            }
            if (match == null) {
                fresh.add(window.size());
            }
            window.add(match);
        }
        if (fresh.isEmpty()) {
            List<String> before = snapshot.window().stream().map(StoredEntry::messageId).toList();
            List<String> after = window.stream().map(StoredEntry::messageId).toList();
            if (!before.equals(after) && snapshot.carrier() != null) {
                rewriteWindow(chatId, snapshot.carrier(), WindowSpec.of(window, snapshot.nextPos() - 1));
            }
            return;
        }
        long pos = snapshot.nextPos();
        int last = fresh.get(fresh.size() - 1);
        boolean lastIsNewest = last == window.size() - 1;
        StoredEntry newest = null;
        for (int index : fresh) {
            MemoryEntry entry = wanted.get(index);
            // The newest message carries the window; it can name every other message by now.
            WindowSpec spec = null;
            if (index == last && lastIsNewest) {
                window.set(index, new StoredEntry(entry, kind, null, pos, 1, false, null));
                spec = WindowSpec.of(window, pos);
            }
            Message appended = client.append(chatId, new NewMessage(author(entry), entry.role() != MemoryRole.USER,
                    entry.text(), StoredEntry.metadata(entry, pos, kind, spec)), "memory-" + pos).message();
            newest = new StoredEntry(entry, kind, appended.messageId(), pos, appended.version(), false, spec);
            window.set(index, newest);
            pos++;
        }
        if (!lastIsNewest) {
            // A new message went before older ones (a new system message): name the window after.
            rewriteWindow(chatId, newest, WindowSpec.of(window, newest.pos()));
        }
    }

    private String author(MemoryEntry entry) {
        return entry.role() == MemoryRole.USER ? userId : botId;
    }

    private void rewriteWindow(String chatId, StoredEntry carrier, WindowSpec spec) {
        client.edit(chatId, carrier.messageId(), carrier.version(), MessageEdit.metadata(carrier.metadataWith(spec)));
    }

    /**
     * Reads what the conversation holds now: the next position (deleted messages count, so a
     * cleared conversation never reuses an idempotency key), the newest live message's window
     * and the messages in it. Pages back only as far as the window's tail begins.
     */
    private Snapshot read(String chatId) {
        Long nextPos = null;
        StoredEntry carrier = null;
        Map<Long, StoredEntry> tail = new LinkedHashMap<>();
        String cursor = null;
        boolean done = false;
        while (!done) {
            Page<Message> page = client.listMessages(chatId, PAGE_SIZE, cursor, true);
            for (Message message : page.items()) {
                Optional<StoredEntry> stored = StoredEntry.from(message);
                if (stored.isEmpty()) {
                    continue;
                }
                StoredEntry entry = stored.get();
                if (nextPos == null) {
                    nextPos = entry.pos() + 1;
                }
                if (entry.deleted()) {
                    continue;
                }
                if (carrier == null) {
                    carrier = entry;
                }
                WindowSpec spec = carrier.window() == null ? WindowSpec.EVERYTHING : carrier.window();
                if (spec.from() == null || entry.pos() < spec.from()) {
                    done = true;
                    break;
                }
                tail.put(entry.pos(), entry);
            }
            cursor = page.nextCursor();
            done |= cursor == null;
        }
        if (carrier == null) {
            return new Snapshot(nextPos == null ? 0 : nextPos, null, List.of());
        }
        WindowSpec spec = carrier.window() == null ? WindowSpec.EVERYTHING : carrier.window();
        List<StoredEntry> window = new ArrayList<>();
        for (String id : spec.ids()) {
            named(chatId, id).ifPresent(window::add);
        }
        tail.values().stream().sorted(Comparator.comparingLong(StoredEntry::pos)).forEach(window::add);
        return new Snapshot(nextPos, carrier, List.copyOf(window));
    }

    private Optional<StoredEntry> named(String chatId, String messageId) {
        try {
            return StoredEntry.from(client.getMessage(chatId, messageId)).filter(entry -> !entry.deleted());
        } catch (ChatHistoryException e) {
            if (e.status() == 404 || "message_deleted".equals(e.code())) {
                // Deleted through the API, or archived away: it has left the memory.
                return Optional.empty();
            }
            throw e;
        }
    }

    /** What {@link #read} found; {@code carrier} is the newest live remembered message. */
    private record Snapshot(long nextPos, StoredEntry carrier, List<StoredEntry> window) {
    }
}
