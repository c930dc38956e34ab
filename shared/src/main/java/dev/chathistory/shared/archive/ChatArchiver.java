package dev.chathistory.shared.archive;

import com.github.f4b6a3.ulid.Ulid;
import dev.chathistory.shared.jobs.JobOutcome;
import dev.chathistory.shared.model.ChatRef;
import dev.chathistory.shared.model.Message;
import dev.chathistory.shared.repository.MessageRepository;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Moves a chat's messages older than a cutoff from the table into compressed chunks in S3,
 * oldest first, one chunk per step:
 *
 * <ol>
 *   <li>read the oldest hot messages (and the versions of edited ones) below the cutoff;
 *   <li>write them as one gzip JSON Lines object named by its content hash;
 *   <li>read the object back and check it decodes to exactly what was read;
 *   <li>in one transaction, add the manifest entry and delete the hot items, each delete
 *       conditional on the version archived.
 * </ol>
 *
 * <p>Hot items are only deleted after step 3, and only together with the manifest entry, so
 * there is no moment at which a message is in neither place, or readable in both. Running twice,
 * or twice at once, is safe: a losing commit changes nothing and the run re-reads.
 */
public final class ChatArchiver {

    /** Every chunk object's key starts with this; nothing else in the bucket does. */
    public static final String OBJECT_PREFIX = "archive/";

    private static final int MAX_MESSAGES_PER_READ = 99;
    private static final int MAX_CONFLICTS = 5;

    private final MessageRepository messages;
    private final ArchiveIndex index;
    private final ObjectStore objects;
    private final Clock clock;

    public ChatArchiver(MessageRepository messages, ArchiveIndex index, ObjectStore objects, Clock clock) {
        this.messages = messages;
        this.index = index;
        this.objects = objects;
        this.clock = clock;
    }

    /** Archives every message of {@code chat} created before {@code cutoff}. */
    public void archiveOlderThan(ChatRef chat, Instant cutoff, JobOutcome.Counts counts) {
        // Message ids are ULIDs: the smallest id of the cutoff millisecond bounds "older than".
        String bound = Ulid.min(cutoff.toEpochMilli()).toString();
        int conflicts = 0;
        while (true) {
            List<Message> oldest = messages.listOldestFirst(chat, bound, MAX_MESSAGES_PER_READ);
            if (oldest.isEmpty()) {
                return;
            }
            List<ArchivedMessage> chunk = fitOneCommit(chat, oldest);
            boolean withVersions = index.fits(chunk);
            try {
                archiveChunk(chat, chunk, withVersions);
            } catch (ArchiveConflictException e) {
                if (++conflicts > MAX_CONFLICTS) {
                    throw e;
                }
                counts.add("conflictsRetried", 1);
                continue;
            }
            if (!withVersions) {
                // A message with more versions than one transaction holds: its versions go after.
                messages.deleteVersions(chat, chunk.get(0).message().messageId());
            }
            counts.add("messagesArchived", chunk.size()).add("chunksWritten", 1);
        }
    }

    /** The longest oldest-first run of messages whose deletes fit one transaction (at least one). */
    private List<ArchivedMessage> fitOneCommit(ChatRef chat, List<Message> oldest) {
        List<ArchivedMessage> chunk = new ArrayList<>();
        for (Message message : oldest) {
            ArchivedMessage archived = new ArchivedMessage(message, message.version() > 1
                    ? messages.listAllVersions(chat, message.messageId(), message.version())
                    : List.of());
            chunk.add(archived);
            if (!index.fits(chunk)) {
                if (chunk.size() > 1) {
                    chunk.remove(chunk.size() - 1);
                }
                break;
            }
        }
        return chunk;
    }

    private void archiveChunk(ChatRef chat, List<ArchivedMessage> chunk, boolean withVersions) {
        byte[] raw = ChunkFormat.encode(chunk);
        byte[] stored = Gzip.compress(raw);
        String sha256 = sha256(stored);
        String first = chunk.get(0).message().messageId();
        String last = chunk.get(chunk.size() - 1).message().messageId();
        String key = objectKey(chat, first, sha256);
        objects.put(key, stored, "application/gzip");
        verifyReadBack(key, sha256, chunk);
        ArchiveChunk entry = new ArchiveChunk(chat.chatId(), first, last, chunk.size(), key, Gzip.NAME,
                raw.length, stored.length, sha256, clock.instant());
        try {
            index.commit(chat, entry, chunk, withVersions);
        } catch (ArchiveConflictException e) {
            // Unreferenced unless a concurrent run wrote the identical chunk and won the commit.
            boolean referenced = index.findCovering(chat, first)
                    .filter(existing -> existing.objectKey().equals(key)).isPresent();
            if (!referenced) {
                objects.delete(key);
            }
            throw e;
        }
    }

    private void verifyReadBack(String key, String sha256, List<ArchivedMessage> expected) {
        byte[] back = objects.get(key)
                .orElseThrow(() -> new IllegalStateException("archive chunk not readable after write"));
        if (!sha256(back).equals(sha256) || !ChunkFormat.decode(Gzip.decompress(back)).equals(expected)) {
            throw new IllegalStateException("archive chunk read back differs from what was written");
        }
    }

    /** Content-addressed, so a retry of the same chunk writes the same object. */
    public static String objectKey(ChatRef chat, String firstMessageId, String sha256) {
        return OBJECT_PREFIX + chat.tenantId() + "/" + chat.chatId() + "/" + firstMessageId + "-"
                + sha256.substring(0, 16) + ".jsonl.gz";
    }

    /**
     * The chat an {@link #objectKey} belongs to; empty for any other key. Tenant and chat ids
     * never contain a slash, so the two path segments after the prefix name them.
     */
    public static Optional<ChatRef> chatOf(String objectKey) {
        if (!objectKey.startsWith(OBJECT_PREFIX)) {
            return Optional.empty();
        }
        String[] parts = objectKey.substring(OBJECT_PREFIX.length()).split("/", -1);
        if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty() || !parts[2].endsWith(".jsonl.gz")) {
            return Optional.empty();
        }
        return Optional.of(new ChatRef(parts[0], parts[1]));
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

}
