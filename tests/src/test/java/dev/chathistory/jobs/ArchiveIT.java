package dev.chathistory.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chathistory.messageapi.testing.ApiEvent;
import dev.chathistory.messageapi.testing.ApiResult;
import dev.chathistory.shared.archive.ArchiveChunk;
import dev.chathistory.shared.archive.ChunkFormat;
import dev.chathistory.shared.archive.Gzip;
import dev.chathistory.shared.model.ChatRef;
import dev.chathistory.shared.repository.dynamodb.ArchiveKeyMigration;
import dev.chathistory.shared.repository.dynamodb.DynamoDbArchiveIndex;
import dev.chathistory.shared.testing.MutableClock;
import dev.chathistory.shared.testing.TestConfigs;
import dev.chathistory.userbatch.BatchConfig;
import dev.chathistory.userbatch.UserBatchHandler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Archiving against the emulator: history read through the API is the same before and after,
 * across the hot/archive boundary, at every page size; archived messages stay readable (with
 * their versions) and become read-only; a second run, or two at once, change nothing more.
 */
class ArchiveIT {

    private static final String CHAT = "chat-archive";
    private static final String USER = "user-archive";
    private static final int OLD = 230;
    private static final int RECENT = 40;

    private static JobsStack stack;
    private static Instant boundary;
    private static List<JsonNode> visibleBefore;
    private static List<JsonNode> allBefore;
    private static String editedId;
    private static JsonNode firstRun;

    @BeforeAll
    static void fillChat() throws InterruptedException {
        // API containers keep a chat's retention policy as long as a deployment's do by default
        // (test stacks forget in a second), so every page below is the one request it costs.
        stack = new JobsStack(Map.of("JobsMaxReceiveCount", "5", "ChatDirectoryCacheSeconds", "300"));
        for (int i = 0; i < OLD; i++) {
            JsonNode created = stack.append(CHAT, i % 3 == 0 ? "other-user" : USER, i % 2 == 1, "old message " + i);
            String id = created.path("messageId").asText();
            if (i % 17 == 5) {
                JsonNode v2 = stack.edit(CHAT, id, 1, "old message " + i + ", edited");
                stack.edit(CHAT, id, v2.path("version").asLong(), "old message " + i + ", edited twice");
                editedId = id;
            } else if (i % 23 == 7) {
                stack.delete(CHAT, id, 1);
            }
        }
        Thread.sleep(5);
        boundary = Instant.now();
        Thread.sleep(5);
        for (int i = 0; i < RECENT; i++) {
            stack.append(CHAT, USER, false, "recent message " + i);
        }
        visibleBefore = stack.history(CHAT, 100, false);
        allBefore = stack.history(CHAT, 100, true);
        assertThat(allBefore).hasSize(OLD + RECENT);

        String jobId = stack.submitJob(USER, Map.of("type", "archive", "chatId", CHAT));
        stack.drain(archiver(boundary));
        firstRun = stack.job(jobId);
    }

    @AfterAll
    static void close() {
        stack.close();
    }

    /** A batch handler whose clock puts the default retention's cutoff at {@code cutoff}. */
    private static UserBatchHandler archiver(Instant cutoff) {
        MutableClock clock = new MutableClock(cutoff.plus(Duration.ofDays(stack.jobsConfig.archiveAfterDays())));
        return stack.batchHandler(new BatchConfig(4, Duration.ofSeconds(1), Duration.ofSeconds(4), 5,
                Duration.ofSeconds(1)), clock);
    }

    @Test
    void archive_shouldKeepHistoryIdentical_acrossTheBoundary_atEveryPageSize() {
        JsonNode job = firstRun;
        assertThat(job.path("status").asText()).isEqualTo("succeeded");
        assertThat(job.path("counts").path("messagesArchived").asLong()).isEqualTo(OLD);
        List<ArchiveChunk> chunks = index().listAll(new ChatRef(TestConfigs.TENANT, CHAT));
        assertThat(chunks).hasSizeGreaterThanOrEqualTo(3);
        assertThat(chunks.stream().mapToInt(ArchiveChunk::messageCount).sum()).isEqualTo(OLD);

        for (int limit : new int[] {1, 7, 50, 100}) {
            assertThat(stack.history(CHAT, limit, false)).as("visible, page size %d", limit)
                    .containsExactlyElementsOf(visibleBefore);
            assertThat(stack.history(CHAT, limit, true)).as("all, page size %d", limit)
                    .containsExactlyElementsOf(allBefore);
        }
        // Full pages straddle the boundary: 40 hot messages, then the archive fills the page.
        stack.apiMeter.reset();
        List<List<JsonNode>> pages = stack.pages(CHAT, 50, true);
        assertThat(stack.apiMeter.charges()).as("one DynamoDB request per page, the boundary's too")
                .hasSize(pages.size())
                .allSatisfy(charge -> assertThat(charge.operation()).isEqualTo("Query"));
        assertThat(pages.get(0)).hasSize(50);
        assertThat(pages.get(0).get(39).path("text").asText()).isEqualTo("recent message 0");
        assertThat(pages.get(0).get(40).path("text").asText()).isEqualTo("old message " + (OLD - 1));
    }

    @Test
    void archivedMessages_shouldStayReadableWithTheirVersions_butReadOnly() {
        ApiResult message = stack.call(ApiEvent.fromFile("get-message.json")
                .request("GET", "/v1/chats/" + CHAT + "/messages/" + editedId));
        assertThat(message.status()).isEqualTo(200);
        assertThat(message.json().path("version").asLong()).isEqualTo(3);

        ApiResult versions = stack.call(ApiEvent.fromFile("list-versions.json")
                .request("GET", "/v1/chats/" + CHAT + "/messages/" + editedId + "/versions"));
        assertThat(versions.status()).isEqualTo(200);
        List<Long> numbers = new ArrayList<>();
        versions.json().path("items").forEach(v -> numbers.add(v.path("version").asLong()));
        assertThat(numbers).containsExactly(3L, 2L, 1L);

        ApiResult edit = stack.call(ApiEvent.fromFile("edit-message.json")
                .request("PATCH", "/v1/chats/" + CHAT + "/messages/" + editedId)
                .header("If-Match", "\"3\"")
                .jsonBody(Map.of("text", "too late")));
        assertThat(edit.status()).isEqualTo(409);
        assertThat(edit.json().path("error").path("code").asText()).isEqualTo("message_archived");
    }

    @Test
    void chunks_shouldBeGzipJsonLines_andHotItemsGone() {
        ChatRef chat = new ChatRef(TestConfigs.TENANT, CHAT);
        for (ArchiveChunk chunk : index().listAll(chat)) {
            byte[] stored = stack.objects.get(chunk.objectKey()).orElseThrow();
            assertThat(stored.length).isEqualTo(chunk.storedBytes());
            assertThat(ChunkFormat.decode(Gzip.decompress(stored))).hasSize(chunk.messageCount());
            assertThat(chunk.rawBytes()).isGreaterThan(2 * chunk.storedBytes());
        }
        assertThat(countItems(CHAT, "M#")).as("hot messages left").isEqualTo(RECENT);
        assertThat(countItems(CHAT, "V#")).as("hot versions left").isZero();
    }

    @Test
    void archivingAgain_shouldChangeNothing() {
        List<ArchiveChunk> before = index().listAll(new ChatRef(TestConfigs.TENANT, CHAT));
        String jobId = stack.submitJob(USER, Map.of("type", "archive", "chatId", CHAT));
        stack.drain(archiver(boundary));

        assertThat(stack.job(jobId).path("counts").path("messagesArchived").asLong()).isZero();
        assertThat(index().listAll(new ChatRef(TestConfigs.TENANT, CHAT))).isEqualTo(before);
        assertThat(stack.history(CHAT, 100, true)).containsExactlyElementsOf(allBefore);
    }

    @Test
    void twoArchiveRunsAtOnce_shouldLeaveTheSameStateAsOne() {
        String chat = "chat-raced";
        for (int i = 0; i < 150; i++) {
            stack.append(chat, USER, i % 2 == 0, "raced message " + i);
        }
        List<JsonNode> before = stack.history(chat, 100, true);
        Instant after = Instant.now().plusSeconds(1);
        stack.submitJob(USER, Map.of("type", "archive", "chatId", chat));
        stack.submitJob(USER, Map.of("type", "archive", "chatId", chat));
        List<software.amazon.awssdk.services.sqs.model.Message> both = new ArrayList<>();
        while (both.size() < 2) {
            both.addAll(stack.receive(stack.queueUrl, 1));
        }
        UserBatchHandler first = archiver(after);
        UserBatchHandler second = archiver(after);
        CompletableFuture<List<String>> a = CompletableFuture.supplyAsync(
                () -> stack.deliverOnce(first, List.of(both.get(0))));
        CompletableFuture<List<String>> b = CompletableFuture.supplyAsync(
                () -> stack.deliverOnce(second, List.of(both.get(1))));
        assertThat(a.join()).isEmpty();
        assertThat(b.join()).isEmpty();

        List<ArchiveChunk> chunks = index().listAll(new ChatRef(TestConfigs.TENANT, chat));
        assertThat(chunks.stream().mapToInt(ArchiveChunk::messageCount).sum()).isEqualTo(150);
        assertThat(countItems(chat, "M#")).isZero();
        assertThat(stack.history(chat, 100, true)).containsExactlyElementsOf(before);
        long objects = stack.s3.listObjectsV2(r -> r.bucket(stack.bucket)
                .prefix("archive/" + TestConfigs.TENANT + "/" + chat + "/")).keyCount();
        assertThat(objects).as("no orphaned chunk objects").isEqualTo(chunks.size());
    }

    @Test
    void manifestEntriesOfAnOlderVersion_areMovedNextToTheMessages_byTheMigration() {
        String chat = "chat-legacy-manifest";
        for (int i = 0; i < 30; i++) {
            stack.append(chat, USER, i % 2 == 0, "legacy message " + i);
        }
        Instant after = Instant.now().plusSeconds(1);
        stack.submitJob(USER, Map.of("type", "archive", "chatId", chat));
        stack.drain(archiver(after));
        List<JsonNode> before = stack.history(chat, 100, true);
        assertThat(before).hasSize(30);
        int entries = countItems(chat, "M!");
        assertThat(entries).isPositive();
        // As versions before 0.2 stored them: under A#, away from the messages.
        String pk = "T#" + TestConfigs.TENANT + "#C#" + chat;
        for (Map<String, AttributeValue> entry : stack.dynamoDb.query(b -> b.tableName(stack.config.messagesTable())
                .keyConditionExpression("pk = :pk AND begins_with(sk, :prefix)")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk),
                        ":prefix", AttributeValue.fromS("M!")))).items()) {
            Map<String, AttributeValue> legacy = new java.util.HashMap<>(entry);
            legacy.put("sk", AttributeValue.fromS("A#" + entry.get("sk").s().substring(2)));
            stack.dynamoDb.putItem(b -> b.tableName(stack.config.messagesTable()).item(legacy));
            stack.dynamoDb.deleteItem(b -> b.tableName(stack.config.messagesTable())
                    .key(Map.of("pk", entry.get("pk"), "sk", entry.get("sk"))));
        }
        assertThat(stack.history(chat, 100, true)).as("not found before the migration").isEmpty();

        ArchiveKeyMigration migration = new ArchiveKeyMigration(stack.dynamoDb, stack.config.messagesTable());

        assertThat(migration.run()).isEqualTo(entries);
        assertThat(stack.history(chat, 100, true)).containsExactlyElementsOf(before);
        assertThat(countItems(chat, "A#")).isZero();
        assertThat(migration.run()).as("a second run").isZero();
    }

    private static int countItems(String chat, String prefix) {
        return stack.dynamoDb.query(b -> b.tableName(stack.config.messagesTable())
                .keyConditionExpression("pk = :pk AND begins_with(sk, :prefix)")
                .expressionAttributeValues(Map.of(
                        ":pk", AttributeValue.fromS("T#" + TestConfigs.TENANT + "#C#" + chat),
                        ":prefix", AttributeValue.fromS(prefix)))).count();
    }

    private static DynamoDbArchiveIndex index() {
        return new DynamoDbArchiveIndex(stack.dynamoDb, stack.config.messagesTable());
    }
}
