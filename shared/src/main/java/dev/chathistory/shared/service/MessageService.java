package dev.chathistory.shared.service;

import dev.chathistory.shared.archive.ArchivedHistory;
import dev.chathistory.shared.archive.ArchivedMessage;
import dev.chathistory.shared.branches.BranchPoint;
import dev.chathistory.shared.branches.Branches;
import dev.chathistory.shared.config.ServiceConfig;
import dev.chathistory.shared.error.DomainException;
import dev.chathistory.shared.error.Problem;
import dev.chathistory.shared.error.VersionConflictException;
import dev.chathistory.shared.ids.Identifiers;
import dev.chathistory.shared.ids.MessageIdGenerator;
import dev.chathistory.shared.json.Json;
import dev.chathistory.shared.metrics.ServiceMetrics;
import dev.chathistory.shared.model.ChatRef;
import dev.chathistory.shared.model.IdempotencyRecord;
import dev.chathistory.shared.model.Message;
import dev.chathistory.shared.model.MessageVersion;
import dev.chathistory.shared.model.Page;
import dev.chathistory.shared.model.ReadConsistency;
import dev.chathistory.shared.model.Timestamps;
import dev.chathistory.shared.model.UserRef;
import dev.chathistory.shared.repository.IdempotencyKeyTakenException;
import dev.chathistory.shared.repository.MessageRepository;
import dev.chathistory.shared.repository.StaleVersionException;
import dev.chathistory.shared.repository.WriteConflictException;
import dev.chathistory.shared.retention.Retention;
import dev.chathistory.shared.retry.ConflictRetry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The rules of chat history: appends, newest-first pages, versioned edits and deletes. */
public final class MessageService {

    public static final int MAX_PAGE_SIZE = 100;
    public static final int DEFAULT_PAGE_SIZE = 50;

    private final MessageRepository messages;
    private final ActivityRecorder activity;
    private final MessageIdGenerator ids;
    private final Clock clock;
    private final InputLimits limits;
    private final Duration idempotencyTtl;
    private final ServiceMetrics metrics;
    private final ConflictRetry retry;
    private final ChatDirectory chats;
    private final ArchivedHistory archive;
    private final MessageLookup lookup;
    private final Retention retention;
    private final Branches branches;
    private final HistoryReader history;

    public MessageService(MessageRepository messages, ActivityRecorder activity, ChatDirectory chats,
                          ArchivedHistory archive, Retention retention, Branches branches, MessageIdGenerator ids,
                          Clock clock, ServiceConfig.Limits limits, Duration idempotencyTtl,
                          ServiceMetrics metrics, ConflictRetry retry) {
        this.branches = branches;
        this.messages = messages;
        this.activity = activity;
        this.chats = chats;
        this.archive = archive;
        this.retention = retention;
        this.lookup = new MessageLookup(messages, archive, retry, retention);
        this.history = new HistoryReader(messages, archive, lookup, retention, branches);
        this.ids = ids;
        this.clock = clock;
        this.limits = new InputLimits(limits);
        this.idempotencyTtl = idempotencyTtl;
        this.metrics = metrics;
        this.retry = retry;
    }

    /**
     * Appends a message. With an idempotency key, a retry of the same request returns the
     * message the first attempt created; the same key with a different request is
     * {@link Problem#IDEMPOTENCY_KEY_REUSED}.
     */
    public AppendResult append(ChatRef chat, NewMessage request, String idempotencyKey) {
        Identifiers.require("userId", request.userId());
        limits.checkText(request.text());
        limits.checkMetadata(request.metadata());
        if (idempotencyKey != null) {
            Identifiers.require("Idempotency-Key", idempotencyKey, Problem.INVALID_IDEMPOTENCY_KEY);
        }
        chats.userWroteIn(new UserRef(chat.tenantId(), request.userId()), chat, now());
        if (idempotencyKey == null) {
            Message message = newMessage(chat, request);
            store(chat, message);
            return created(chat, message);
        }
        String fingerprint = fingerprint(request);
        return retry.run(() -> appendOnce(chat, request, idempotencyKey, fingerprint));
    }

    private AppendResult appendOnce(ChatRef chat, NewMessage request, String key, String fingerprint) {
        Message message = newMessage(chat, request);
        Instant now = message.createdAt();
        IdempotencyRecord record = new IdempotencyRecord(key, fingerprint, message.messageId(), now,
                now.plus(idempotencyTtl));
        try {
            messages.claimIdempotencyKey(chat, record, now);
        } catch (IdempotencyKeyTakenException taken) {
            return replay(chat, request, key, fingerprint, taken, now);
        }
        // The key now names this message. Should this container stop before the next write, a
        // retry of the request finds the key and stores the message for it (below).
        store(chat, message);
        return created(chat, message);
    }

    private AppendResult replay(ChatRef chat, NewMessage request, String key, String fingerprint,
                                IdempotencyKeyTakenException taken, Instant now) {
        IdempotencyRecord existing = taken.existing()
                .or(() -> messages.findIdempotencyRecord(chat, key))
                .filter(r -> !r.isExpiredAt(now))
                // The holder expired or vanished between our write and read: try again.
                .orElseThrow(() -> new WriteConflictException("idempotency record changed", taken));
        if (!existing.requestHash().equals(fingerprint)) {
            throw new DomainException(Problem.IDEMPOTENCY_KEY_REUSED,
                    "Idempotency-Key was already used with a different request");
        }
        metrics.idempotentReplay();
        Optional<Message> original = findAnywhere(chat, existing.messageId());
        if (original.isPresent()) {
            return new AppendResult(original.get(), true);
        }
        // The first attempt claimed the key and stopped before storing its message (or is about
        // to store it). Same key, same request: this attempt stores the very same message, with
        // the id and time the record holds, and both attempts then find it in place.
        Message completed = Message.first(chat.chatId(), existing.messageId(), request.userId(), request.bot(),
                request.text(), request.metadata(), existing.createdAt())
                .withExpiry(retention.expiryFor(chat, request.userId(), existing.createdAt()));
        store(chat, completed);
        created(chat, completed);
        return new AppendResult(completed, true);
    }

    private void store(ChatRef chat, Message message) {
        if (!messages.insertIfAbsent(chat, message)) {
            // Another item holds this id: a ULID collision, or a record naming a message that was
            // since replaced, which a fresh id and key never do.
            throw new IllegalStateException("message id already holds another message");
        }
    }

    /** Stamped with its expiry under the policy in force, so DynamoDB's TTL removes it for free. */
    private Message newMessage(ChatRef chat, NewMessage request) {
        Instant createdAt = now();
        return Message.first(chat.chatId(), ids.nextId(), request.userId(), request.bot(), request.text(),
                request.metadata(), createdAt)
                .withExpiry(retention.expiryFor(chat, request.userId(), createdAt));
    }

    private AppendResult created(ChatRef chat, Message message) {
        metrics.messageAppended();
        activity.messageAppended(new UserRef(chat.tenantId(), message.userId()), message.createdAt());
        return new AppendResult(message, false);
    }

    /**
     * Newest first across the archive boundary: hot messages until there are no more, then the
     * archived ones, which are all older. The cursor is a message id either way, so a client
     * cannot tell where the boundary is, and an archive run between two pages moves nothing past
     * the cursor.
     */
    public ListPage<Message> list(ChatRef chat, int limit, String cursor, boolean includeDeleted) {
        return list(chat, limit, cursor, includeDeleted, ReadConsistency.STRONG);
    }

    /**
     * As {@link #list(ChatRef, int, String, boolean)}; with {@link ReadConsistency#EVENTUAL} the
     * hot messages are read at half the cost and may lag the newest writes by about a second.
     */
    public ListPage<Message> list(ChatRef chat, int limit, String cursor, boolean includeDeleted,
                                  ReadConsistency consistency) {
        requirePageSize(limit);
        Cursors.MessagesPosition position = cursor == null ? null : Cursors.messagesPosition(chat, cursor);
        return history.page(chat, limit, position, includeDeleted, consistency);
    }

    /**
     * The current version. Deleted messages are not found unless asked for. In a branch, a message
     * it inherits (its parent's, up to the fork) is found too, read from the parent.
     */
    public Message get(ChatRef chat, String messageId, boolean includeDeleted) {
        ChatRef where = chat;
        for (int depth = 0; depth < HistoryReader.MAX_DEPTH; depth++) {
            try {
                return lookup.readable(where, messageId, includeDeleted);
            } catch (DomainException notHere) {
                Optional<BranchPoint> mark = notHere.problem() == Problem.MESSAGE_NOT_FOUND
                        ? branches.markOf(where) : Optional.empty();
                if (mark.isEmpty() || messageId.compareTo(mark.get().fromMessageId()) > 0) {
                    throw notHere;
                }
                where = new ChatRef(chat.tenantId(), mark.get().parentChatId());
            }
        }
        throw MessageLookup.notFound(messageId);
    }

    /**
     * Creates a branch of the chat at one of the messages its history shows (its own or one it
     * inherits): a new chat whose history is the parent's up to and including that message, then
     * its own. Nothing is copied.
     */
    public BranchPoint branch(ChatRef parent, String fromMessageId) {
        Identifiers.require("fromMessageId", fromMessageId);
        // Must exist, not deleted, not past retention, as the parent's history shows it.
        get(parent, fromMessageId, false);
        BranchPoint branch = new BranchPoint(ids.nextId(), parent.chatId(), fromMessageId, now());
        if (!branches.repository().create(parent, branch)) {
            throw new IllegalStateException("branch id collision");
        }
        branches.seen(new ChatRef(parent.tenantId(), branch.branchId()), Optional.of(branch));
        return branch;
    }

    /** The chat's branches, oldest first. */
    public ListPage<BranchPoint> branches(ChatRef parent, int limit, String cursor) {
        requirePageSize(limit);
        String after = cursor == null ? null : Cursors.branchesPosition(parent, cursor);
        Page<BranchPoint> page = branches.repository().list(parent, limit, after);
        return new ListPage<>(page.items(), page.resumeAfter().map(id -> Cursors.forBranches(parent, id)));
    }


    public Message edit(ChatRef chat, String messageId, long expectedVersion, MessageEdit edit) {
        if (edit.isEmpty()) {
            throw new DomainException(Problem.VALIDATION_FAILED, "give text and/or metadata to change");
        }
        if (edit.text() != null) {
            limits.checkText(edit.text());
        }
        if (edit.replaceMetadata()) {
            limits.checkMetadata(edit.metadata());
        }
        return writeNextVersion(chat, messageId, expectedVersion, current -> current.nextVersion(
                edit.text() != null ? edit.text() : current.text(),
                edit.replaceMetadata() ? edit.metadata() : current.metadata(),
                false, now()));
    }

    /** A soft delete: a new version marked deleted; every earlier version stays readable. */
    public Message delete(ChatRef chat, String messageId, long expectedVersion) {
        return writeNextVersion(chat, messageId, expectedVersion,
                current -> current.nextVersion(current.text(), current.metadata(), true, now()));
    }

    private Message writeNextVersion(ChatRef chat, String messageId, long expectedVersion,
                                     java.util.function.UnaryOperator<Message> change) {
        return retry.run(() -> {
            Message current = lookup.hot(chat, messageId);
            if (current.version() != expectedVersion) {
                throw conflict(expectedVersion, current.version());
            }
            if (current.deleted()) {
                throw new DomainException(Problem.MESSAGE_DELETED, "message " + messageId + " is deleted",
                        Map.of("currentVersion", current.version()));
            }
            Message next = change.apply(current)
                    .withExpiry(retention.expiryFor(chat, current.userId(), current.createdAt()));
            try {
                messages.replace(chat, next, expectedVersion, current.toVersion());
                return next;
            } catch (StaleVersionException stale) {
                Message winner = stale.current().orElseThrow(() -> MessageLookup.notFound(messageId));
                throw conflict(expectedVersion, winner.version());
            }
        });
    }

    /** Every version of a message, newest first: the current one, then superseded ones. */
    public ListPage<MessageVersion> versions(ChatRef chat, String messageId, int limit, String cursor) {
        requirePageSize(limit);
        Identifiers.require("messageId", messageId);
        Optional<Message> hot = messages.find(chat, messageId);
        Optional<ArchivedMessage> archived = hot.isPresent()
                ? Optional.empty()
                : lookup.archived(chat, messageId);
        Message current = hot.or(() -> archived.map(ArchivedMessage::message))
                .filter(retention.readableIn(chat))
                .orElseThrow(() -> MessageLookup.notFound(messageId));
        List<MessageVersion> items = new ArrayList<>(limit);
        long below;
        if (cursor == null) {
            items.add(current.toVersion());
            below = current.version();
        } else {
            below = Cursors.versionsPosition(chat, messageId, cursor);
            if (below > current.version()) {
                throw new DomainException(Problem.INVALID_CURSOR, "cursor is not one this API issued");
            }
        }
        int remaining = limit - items.size();
        if (remaining > 0) {
            long from = below;
            items.addAll(archived.isPresent()
                    ? archived.get().versions().stream().filter(v -> v.version() < from).limit(remaining).toList()
                    : messages.listVersionsNewestFirst(chat, messageId, remaining, below).items());
        }
        Optional<String> next = Optional.empty();
        if (items.size() == limit) {
            long lowest = items.get(items.size() - 1).version();
            if (lowest > 1) {
                next = Optional.of(Cursors.forVersions(chat, messageId, lowest));
            }
        }
        return new ListPage<>(items, next);
    }

    private Optional<Message> findAnywhere(ChatRef chat, String messageId) {
        return messages.find(chat, messageId).or(() -> lookup.archived(chat, messageId).map(ArchivedMessage::message));
    }

    private VersionConflictException conflict(long expected, long current) {
        metrics.versionConflict();
        return new VersionConflictException("message", expected, current);
    }

    private static void requirePageSize(int limit) {
        if (limit < 1 || limit > MAX_PAGE_SIZE) {
            throw new DomainException(Problem.INVALID_PARAMETER, "limit must be between 1 and " + MAX_PAGE_SIZE);
        }
    }

    private Instant now() {
        return Timestamps.truncate(clock.instant());
    }

    /** SHA-256 of the request in canonical JSON, so key order and whitespace do not matter. */
    static String fingerprint(NewMessage request) {
        var canonical = Json.object()
                .put("userId", request.userId())
                .put("isBot", request.bot())
                .put("text", request.text());
        canonical.set("metadata", request.metadata());
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            byte[] digest = sha256.digest(Json.canonical(canonical).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
