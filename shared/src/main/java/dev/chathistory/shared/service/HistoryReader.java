package dev.chathistory.shared.service;

import dev.chathistory.shared.archive.ArchivedHistory;
import dev.chathistory.shared.branches.BranchPoint;
import dev.chathistory.shared.branches.Branches;
import dev.chathistory.shared.error.DomainException;
import dev.chathistory.shared.error.Problem;
import dev.chathistory.shared.model.ChatRef;
import dev.chathistory.shared.model.Message;
import dev.chathistory.shared.model.Page;
import dev.chathistory.shared.model.ReadConsistency;
import dev.chathistory.shared.repository.HistoryPage;
import dev.chathistory.shared.repository.MessageRepository;
import dev.chathistory.shared.retention.Retention;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

/**
 * A chat's history, newest first: its hot messages, then its archived ones, and for a branch on
 * into its parent's history up to and including the message it forked from, then the
 * grandparent's up to the parent's fork, and so on. Nothing is copied: each chat's part is read
 * from that chat's partition.
 *
 * <p>Every page is one request, as for a chat that is no branch: the hot messages and the newest
 * archive chunks in one Query, the branch's mark at the bottom of the same range. So a page ends
 * where a chat's part of the history ends (it may hold fewer than {@code limit} items while more
 * follow, as when deleted messages are hidden), and the next page starts in the parent's part.
 * Only a page that would otherwise be empty (a branch with nothing of its own to show yet) reads
 * on into the parent. Cursors keep their form: a message id (every message of a branch is newer
 * than its fork, every inherited one at most that old, so the id says whose part it is in) and
 * flags.
 */
final class HistoryReader {

    /** Deeper chains than this are refused rather than walked: a branch of a branch of ... */
    static final int MAX_DEPTH = 50;

    private final MessageRepository messages;
    private final ArchivedHistory archive;
    private final MessageLookup lookup;
    private final Retention retention;
    private final Branches branches;

    HistoryReader(MessageRepository messages, ArchivedHistory archive, MessageLookup lookup, Retention retention,
                  Branches branches) {
        this.messages = messages;
        this.archive = archive;
        this.lookup = lookup;
        this.retention = retention;
        this.branches = branches;
    }

    /** One chat's part of a branch's history: its own messages up to {@code upTo} (inclusive; null: all). */
    record Segment(ChatRef chat, String upTo, int depth) {

        Segment parent(BranchPoint mark) {
            if (depth >= MAX_DEPTH) {
                throw new IllegalStateException("branch chain deeper than " + MAX_DEPTH);
            }
            String from = mark.fromMessageId();
            String bound = upTo == null || from.compareTo(upTo) < 0 ? from : upTo;
            return new Segment(new ChatRef(chat.tenantId(), mark.parentChatId()), bound, depth + 1);
        }

        boolean includes(Message message) {
            return upTo == null || message.messageId().compareTo(upTo) <= 0;
        }
    }

    /** What one read of a segment found; {@code mark} only when the read reached the bottom. */
    private record SegmentRead(List<Message> items, Optional<Cursors.MessagesPosition> next,
                               Optional<BranchPoint> mark, boolean noMark) {
    }

    ListPage<Message> page(ChatRef chat, int limit, Cursors.MessagesPosition position, boolean includeDeleted,
                           ReadConsistency consistency) {
        Segment segment = new Segment(chat, null, 0);
        String after = position == null ? null : position.after();
        boolean inArchive = position != null && position.inArchive();
        if (position != null && position.inBranchChain()) {
            segment = locate(chat, after);
            if (position.ownPartDone()) {
                segment = segment.parent(branches.markOf(segment.chat()).orElseThrow(HistoryReader::invalidCursor));
                after = null;
                inArchive = false;
            }
        }
        List<Message> items = new ArrayList<>(limit);
        while (true) {
            SegmentRead read = read(segment, limit - items.size(), after, inArchive, includeDeleted, consistency);
            items.addAll(read.items());
            boolean chain = segment.depth() > 0;
            if (read.next().isPresent()) {
                Cursors.MessagesPosition next = read.next().get();
                return new ListPage<>(items, Optional.of(Cursors.forMessages(chat, new Cursors.MessagesPosition(
                        next.after(), next.inArchive(), chain, false))));
            }
            Optional<BranchPoint> mark = read.mark().isPresent() || read.noMark() ? read.mark()
                    : branches.markOf(segment.chat());
            branches.seen(segment.chat(), mark);
            if (mark.isEmpty()) {
                return new ListPage<>(items, Optional.empty());
            }
            if (!items.isEmpty()) {
                // This chat's part ends on this page, and so does the page: one request each. The
                // next page starts in the parent's part.
                String last = items.get(items.size() - 1).messageId();
                return new ListPage<>(items, Optional.of(Cursors.forMessages(chat,
                        new Cursors.MessagesPosition(last, false, true, true))));
            }
            segment = segment.parent(mark.get());
            after = null;
            inArchive = false;
        }
    }

    /** The segment a message id is in: every message of a chat is newer than the chat's fork. */
    private Segment locate(ChatRef chat, String messageId) {
        Segment segment = new Segment(chat, null, 0);
        while (true) {
            Optional<BranchPoint> mark = branches.markOf(segment.chat());
            if (mark.isEmpty() || messageId.compareTo(mark.get().fromMessageId()) > 0) {
                return segment;
            }
            segment = segment.parent(mark.get());
        }
    }

    private SegmentRead read(Segment segment, int room, String after, boolean inArchive, boolean includeDeleted,
                             ReadConsistency consistency) {
        ChatRef chat = segment.chat();
        // Past retention (by each chat's own policy) is gone for readers, whether or not TTL has
        // removed it yet; such items still count towards the read, like hidden deleted ones.
        Predicate<Message> visible = retention.readableIn(chat).and(segment::includes);
        if (inArchive) {
            // Every hot message of this chat was on earlier pages: straight to the archive, one request.
            Page<Message> archived = lookup.readArchive(() ->
                    archive.listNewestFirst(chat, room, after, includeDeleted));
            return new SegmentRead(only(visible, archived.items()), archivedPosition(archived), Optional.empty(),
                    false);
        }
        HistoryPage hot = messages.listNewestFirst(chat, room, after, after == null ? segment.upTo() : null,
                includeDeleted, consistency);
        if (hot.resumeAfter().isPresent()) {
            return new SegmentRead(only(visible, hot.items()),
                    hot.resumeAfter().map(id -> new Cursors.MessagesPosition(id, false)), Optional.empty(), false);
        }
        boolean noMark = hot.reachedEnd() && hot.branchedFrom().isEmpty();
        if (hot.archiveStart().isEmpty()) {
            return new SegmentRead(only(visible, hot.items()), Optional.empty(), hot.branchedFrom(), noMark);
        }
        // No hot message is left below the position; the same read found where the archive starts.
        String below = !hot.items().isEmpty() ? hot.items().get(hot.items().size() - 1).messageId()
                : after != null ? after
                : segment.upTo() != null ? justAbove(segment.upTo()) : null;
        int left = room - hot.items().size();
        AtomicBoolean firstAttempt = new AtomicBoolean(true);
        // A retry (a chunk swapped by an erase meanwhile) reads the manifest again rather than
        // the entries this read found.
        Page<Message> archived = lookup.readArchive(() -> firstAttempt.getAndSet(false)
                ? archive.continueFrom(chat, left, below, includeDeleted, hot.archiveStart(), hot.moreArchive())
                : archive.listNewestFirst(chat, left, below, includeDeleted));
        List<Message> items = new ArrayList<>(hot.items());
        items.addAll(archived.items());
        return new SegmentRead(only(visible, items), archivedPosition(archived),
                archived.resumeAfter().isEmpty() ? hot.branchedFrom() : Optional.empty(),
                archived.resumeAfter().isEmpty() && noMark);
    }

    /** A bound just above {@code messageId} for the archive's exclusive one ('~' sorts after every id character). */
    private static String justAbove(String messageId) {
        return messageId + "~";
    }

    private static Optional<Cursors.MessagesPosition> archivedPosition(Page<Message> archived) {
        return archived.resumeAfter().map(id -> new Cursors.MessagesPosition(id, true));
    }

    private static List<Message> only(Predicate<Message> visible, List<Message> items) {
        return items.stream().filter(visible).toList();
    }

    private static DomainException invalidCursor() {
        return new DomainException(Problem.INVALID_CURSOR, "cursor is not one this API issued");
    }
}
