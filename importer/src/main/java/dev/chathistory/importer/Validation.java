package dev.chathistory.importer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chathistory.shared.model.ChatRef;
import dev.chathistory.shared.model.Message;
import dev.chathistory.shared.model.Timestamps;
import dev.chathistory.shared.repository.MessageRepository;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The check at the end, source against target, per user: how many messages, and a checksum of
 * their content (ids, chat, author, flag, time and text). The source side is planned afresh from
 * the source, exactly as the writer planned it; the target side reads back every message carrying
 * the import's id in every chat the ledger lists, and every message there made from a source row
 * by another import, which this one left as it was. Checksums are sums of per-message hashes, so
 * they do not depend on reading order. Every row issue goes to the report on the way.
 */
final class Validation {

    /** Per user: messages, their checksum, and the newest message time. */
    record Totals(long count, long checksum, Instant newest) {
        static final Totals NONE = new Totals(0, 0, Instant.EPOCH);

        Totals plus(Message m) {
            return new Totals(count + 1, checksum + digest(m),
                    m.createdAt().isAfter(newest) ? m.createdAt() : newest);
        }

        boolean sameContent(Totals other) {
            return count == other.count && checksum == other.checksum;
        }
    }

    record Mismatch(String userId, Totals expected, Totals actual) {
    }

    /**
     * @param messagesOwned target messages carrying the import's id: what a rollback of it removes
     *                      (none counted when the target was not checked)
     */
    record Outcome(long rowsInSource, long rowsRead, Map<String, Totals> expected, Map<RowIssue.Kind, Long> issues,
                   List<Mismatch> mismatches, boolean targetChecked, long messagesOwned) {

        long messagesExpected() {
            return expected.values().stream().mapToLong(Totals::count).sum();
        }

        boolean allRowsRead() {
            return rowsRead == rowsInSource;
        }

        boolean clean() {
            return mismatches.isEmpty() && allRowsRead();
        }
    }

    private final SourceDatabase source;
    private final ChunkPlanner planner;
    private final MessageRepository messages;
    private final ImportLedger ledger;
    private final int chunkSize;
    private final Progress progress;

    Validation(SourceDatabase source, ChunkPlanner planner, MessageRepository messages, ImportLedger ledger,
               int chunkSize, Progress progress) {
        this.source = source;
        this.planner = planner;
        this.messages = messages;
        this.ledger = ledger;
        this.chunkSize = chunkSize;
        this.progress = progress;
    }

    /** Plans the whole source again; compares with the target unless {@code targetChecked} is false (dry run). */
    Outcome run(String tenantId, String importId, Report report, boolean checkTarget) throws SQLException {
        long total = source.countMessages();
        progress.start(checkTarget ? "validate" : "dry run", total, 0);
        Map<String, Totals> expected = new TreeMap<>();
        Map<RowIssue.Kind, Long> issueCounts = new EnumMap<>(RowIssue.Kind.class);
        List<SourceRow> withoutId = source.rowsWithoutId();
        long read = withoutId.size();
        record(planner.plan(withoutId), expected, issueCounts, report);
        Long position = null;
        while (true) {
            SourceDatabase.Chunk chunk = source.nextChunk(position, chunkSize);
            record(planner.plan(chunk.rows()), expected, issueCounts, report);
            read += chunk.rows().size();
            progress.advance(chunk.rows().size());
            position = chunk.rows().stream().map(SourceRow::id).filter(java.util.Objects::nonNull)
                    .max(Long::compare).orElse(position);
            if (chunk.last()) {
                break;
            }
        }
        progress.close();
        List<Mismatch> mismatches = new ArrayList<>();
        Target target = checkTarget ? readTarget(tenantId, importId) : Target.UNREAD;
        if (checkTarget) {
            Map<String, Totals> actual = target.perUser();
            for (String userId : new TreeSet<>(union(expected, actual))) {
                Totals want = expected.getOrDefault(userId, Totals.NONE);
                Totals got = actual.getOrDefault(userId, Totals.NONE);
                if (!want.sameContent(got)) {
                    mismatches.add(new Mismatch(userId, want, got));
                    report.mismatch(userId, want, got);
                }
            }
        }
        return new Outcome(total, read, expected, issueCounts, mismatches, checkTarget, target.owned());
    }

    /** Per user, the target's messages made from source rows; and how many of them carry the import's id. */
    private record Target(Map<String, Totals> perUser, long owned) {
        static final Target UNREAD = new Target(Map.of(), 0);
    }

    private Target readTarget(String tenantId, String importId) {
        Map<String, Totals> actual = new TreeMap<>();
        long[] owned = {0};
        for (String chatId : ledger.chats(tenantId, importId)) {
            messages.forEachMessage(new ChatRef(tenantId, chatId), null, m -> {
                boolean own = importId.equals(m.importId());
                if (own) {
                    owned[0]++;
                }
                if (own || madeFromALegacyRow(m)) {
                    actual.merge(m.userId(), Totals.NONE.plus(m), (a, b) -> a.plus(m));
                }
            });
        }
        return new Target(actual, owned[0]);
    }

    /**
     * Whether an import made the message from a legacy row: its id is the one {@link LegacyIds}
     * derives from the row named in its metadata. A bot's own message never has such an id.
     */
    static boolean madeFromALegacyRow(Message m) {
        JsonNode legacy = m.metadata() == null ? null : m.metadata().get("legacy");
        if (legacy == null || !legacy.path("id").canConvertToLong()) {
            return false;
        }
        try {
            return LegacyIds.messageId(m.createdAt(), legacy.get("id").asLong(), legacy.path("occurrence").asInt(0))
                    .equals(m.messageId());
        } catch (IllegalArgumentException notDerivable) {
            return false;
        }
    }

    private static void record(ChunkPlanner.Plan plan, Map<String, Totals> expected,
                               Map<RowIssue.Kind, Long> issueCounts, Report report) {
        for (Message m : plan.messages()) {
            expected.merge(m.userId(), Totals.NONE.plus(m), (a, b) -> a.plus(m));
        }
        for (RowIssue issue : plan.issues()) {
            issueCounts.merge(issue.kind(), 1L, Long::sum);
            report.issue(issue);
        }
    }

    private static java.util.Set<String> union(Map<String, Totals> a, Map<String, Totals> b) {
        java.util.Set<String> all = new TreeSet<>(a.keySet());
        all.addAll(b.keySet());
        return all;
    }

    /** The first 8 bytes of a SHA-256 of what the message says, as a number to add up. */
    static long digest(Message m) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String part : new String[] {m.messageId(), m.chatId(), m.userId(), Boolean.toString(m.bot()),
                    Timestamps.format(m.createdAt()), m.text()}) {
                sha.update(part.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            return ByteBuffer.wrap(sha.digest()).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
