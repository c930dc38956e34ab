package dev.chathistory.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chathistory.shared.archive.ArchiveChunk;
import dev.chathistory.shared.archive.ArchivedMessage;
import dev.chathistory.shared.archive.ChatArchiver;
import dev.chathistory.shared.model.ChatRef;
import dev.chathistory.shared.model.Message;
import dev.chathistory.shared.repository.dynamodb.DynamoDbArchiveIndex;
import dev.chathistory.shared.repository.dynamodb.DynamoDbMessageRepository;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The scheduled sweep of archive chunks no manifest names, as the maintenance function runs it
 * (its role, its calls through the local IAM check). S3 stamps each object with the real time it
 * was written, so the sweep's clock is set from those stamps: the grace period has passed for the
 * chunks written first and not for the one written last.
 */
class MaintenanceOrphanedChunksIT {

    private static final ChatRef CHAT = new ChatRef("t-orphans", "chat-1");

    private MaintenanceStack stack;

    @AfterEach
    void close() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void sweep_shouldDeleteOnlyOldChunksNoManifestNames() throws Exception {
        stack = new MaintenanceStack(Instant.now(), 2, Duration.ofHours(1));
        DynamoDbArchiveIndex index = new DynamoDbArchiveIndex(stack.dynamoDb, stack.service.messagesTable());
        // (a) written, never indexed: the job died between upload and commit.
        String neverIndexed = put(chunk("01J0000000000000000000000A", "a"));
        // (b) indexed, then replaced in the manifest by an erase's rewrite.
        ArchiveChunk original = chunk("01J0000000000000000000000B", "b");
        put(original);
        commit(index, original);
        ArchiveChunk rewritten = chunk("01J0000000000000000000000B", "b without the erased user");
        put(rewritten);
        assertThat(index.replace(CHAT, original, rewritten)).isTrue();
        // (c) indexed.
        ArchiveChunk indexed = chunk("01J0000000000000000000000C", "c");
        put(indexed);
        commit(index, indexed);
        Instant lastOld = Stream.of(neverIndexed, original.objectKey(), rewritten.objectKey(), indexed.objectKey())
                .map(this::lastModified).max(Instant::compareTo).orElseThrow();
        // (d) never indexed, but young: its job may still be about to commit it. S3 stamps whole
        // seconds at best, so it is written in a later second than the others.
        Thread.sleep(1100);
        String young = put(chunk("01J0000000000000000000000D", "d"));
        Instant youngWritten = lastModified(young);
        assertThat(youngWritten).as("the young chunk is written after the others").isAfter(lastOld);
        // The grace period has just not passed for (d), and has for everything before it.
        stack.clock.advance(Duration.between(stack.clock.instant(),
                youngWritten.plus(MaintenanceStack.ARCHIVE_GRACE).minusMillis(1)));

        Map<String, Object> summary = stack.sweep();

        assertThat(keys()).containsExactlyInAnyOrder(rewritten.objectKey(), indexed.objectKey(), young);
        assertThat(summary).containsEntry("orphanedChunksDeleted", 2);
        assertThat(stack.metrics.value("OrphanedChunksDeleted")).isEqualTo(2L);
    }

    /** As the archiver commits a chunk: its manifest entry in, its hot message out, in one transaction. */
    private void commit(DynamoDbArchiveIndex index, ArchiveChunk chunk) {
        Message message = Message.first(CHAT.chatId(), chunk.firstMessageId(), "u1", false, "archived", null,
                Instant.parse("2026-01-01T00:00:00Z"));
        new DynamoDbMessageRepository(stack.dynamoDb, stack.service.messagesTable()).insert(CHAT, message);
        index.commit(CHAT, chunk, List.of(new ArchivedMessage(message, List.of())), true);
    }

    private ArchiveChunk chunk(String firstMessageId, String content) {
        String sha256 = ChatArchiver.sha256(content.getBytes(StandardCharsets.UTF_8));
        return new ArchiveChunk(CHAT.chatId(), firstMessageId, firstMessageId, 1,
                ChatArchiver.objectKey(CHAT, firstMessageId, sha256), "gzip", content.length(), content.length(),
                sha256, Instant.now());
    }

    private String put(ArchiveChunk chunk) {
        return put(chunk.objectKey());
    }

    private String put(String key) {
        s3().putObject(b -> b.bucket(stack.dataBucket).key(key), RequestBody.fromString("chunk"));
        return key;
    }

    private Instant lastModified(String key) {
        return s3().headObject(b -> b.bucket(stack.dataBucket).key(key)).lastModified();
    }

    private List<String> keys() {
        return s3().listObjectsV2(b -> b.bucket(stack.dataBucket).prefix("archive/")).contents().stream()
                .map(S3Object::key).toList();
    }

    private S3Client s3() {
        return stack.stack.adminS3();
    }
}
