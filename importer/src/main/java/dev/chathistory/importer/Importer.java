package dev.chathistory.importer;

import dev.chathistory.shared.model.ChatRef;
import dev.chathistory.shared.model.Message;
import dev.chathistory.shared.model.UserRef;
import dev.chathistory.shared.repository.MessageRepository;
import dev.chathistory.shared.repository.UserRepository;
import dev.chathistory.shared.retention.Retention;
import dev.chathistory.shared.service.ChatDirectory;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The write pass: chunk by chunk in source id order, files every chat the chunk writes to (in the
 * ledger and in each author's chat directory, before any message there), writes the messages,
 * hands attachment files to the pipeline, then records the chunk's last id as the checkpoint.
 * Every message is written on condition that its item is absent or is this import's own,
 * unchanged: so a run killed at any point resumes after the checkpoint and lands on the same
 * items (ids derive from the rows: no duplicates, no gaps), while a message a bot wrote, edited
 * or deleted, or another import wrote, is never overwritten.
 */
final class Importer {

    /** An import is one process: each chat is filed once in the run (the directory's cache may forget some). */
    private static final Duration ONE_RUN = Duration.ofDays(1);

    private final SourceDatabase source;
    private final ChunkPlanner planner;
    private final MessageRepository messages;
    private final ChatDirectory chats;
    private final ImportLedger ledger;
    private final AttachmentUploads uploads;
    private final Clock clock;
    private final int chunkSize;
    private final Progress progress;
    private final Retention retention;

    Importer(SourceDatabase source, ChunkPlanner planner, MessageRepository messages, UserRepository users,
             ImportLedger ledger, AttachmentUploads uploads, Clock clock, int chunkSize, Progress progress,
             Retention retention) {
        this.retention = retention;
        this.source = source;
        this.planner = planner;
        this.messages = messages;
        this.chats = new ChatDirectory(users, ONE_RUN);
        this.ledger = ledger;
        this.uploads = uploads;
        this.clock = clock;
        this.chunkSize = chunkSize;
        this.progress = progress;
    }

    /**
     * What a write pass did: rows read, and messages left as they were because another writer's
     * item already had their id.
     */
    record Written(long rowsRead, long messagesKept) {
    }

    /** Writes everything from the checkpoint on. */
    Written write(String tenantId, String importId, String sourceName) throws SQLException {
        ImportLedger.State state = ledger.start(tenantId, importId, sourceName, clock.instant());
        if (state.status() == ImportLedger.Status.ROLLED_BACK) {
            throw new IllegalStateException("import " + importId + " was rolled back; start a new one with another "
                    + "--import-id");
        }
        Long position = state.position();
        long total = source.countMessages();
        progress.start("import", total, position == null ? 0 : source.countUpTo(position));
        Set<String> chatsFiled = new HashSet<>();
        long read = 0;
        long kept = 0;
        while (true) {
            SourceDatabase.Chunk chunk = source.nextChunk(position, chunkSize);
            ChunkPlanner.Plan plan = planner.plan(chunk.rows());
            for (Message m : plan.messages()) {
                if (chatsFiled.add(m.chatId())) {
                    ledger.addChat(tenantId, importId, m.chatId());
                }
                chats.importWroteIn(new UserRef(tenantId, m.userId()), m.chatId(), m.createdAt(), importId);
            }
            // Stamped like appended messages, so DynamoDB's TTL removes them when the tenant's (or
            // the chat's) retention has passed; one past it already is written and expires at once.
            List<Message> stamped = plan.messages().stream()
                    .map(m -> m.withExpiry(retention.expiryFor(new ChatRef(tenantId, m.chatId()), m.userId(),
                            m.createdAt())))
                    .toList();
            Set<String> keptIds = new HashSet<>(messages.putImported(tenantId, importId, stamped));
            kept += keptIds.size();
            if (uploads != null) {
                // A message left to its other writer keeps its attachments as that writer left them.
                plan.uploads().stream().filter(u -> !keptIds.contains(u.message().messageId()))
                        .forEach(uploads::store);
            }
            Long last = chunk.rows().stream().map(SourceRow::id).filter(Objects::nonNull).max(Long::compare)
                    .orElse(null);
            if (last != null) {
                position = last;
                ledger.checkpoint(tenantId, importId, position, clock.instant());
            }
            read += chunk.rows().size();
            progress.advance(chunk.rows().size());
            if (chunk.last()) {
                break;
            }
        }
        progress.close();
        return new Written(read, kept);
    }
}
