package dev.chathistory.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chathistory.messageapi.testing.ApiEvent;
import dev.chathistory.messageapi.testing.ApiResult;
import dev.chathistory.shared.archive.Gzip;
import dev.chathistory.shared.json.Json;
import dev.chathistory.shared.model.UserRef;
import dev.chathistory.shared.repository.dynamodb.DynamoDbUserRepository;
import dev.chathistory.shared.testing.TestConfigs;
import dev.chathistory.shared.testing.MutableClock;
import dev.chathistory.userbatch.BatchConfig;
import dev.chathistory.userbatch.UserBatchHandler;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Export and erase of one user against the emulator, with part of their history archived and
 * another user sharing a chat: the export holds everything of theirs and nothing of anyone
 * else's; after the erase nothing of theirs can be read, and the other user's data is intact.
 */
class ExportEraseIT {

    private static final String USER = "user-leaving";
    private static final String OTHER = "user-staying";

    private static JobsStack stack;
    private static UserBatchHandler handler;
    private static final Map<String, JsonNode> expectedMessages = new HashMap<>();
    private static int expectedVersions;
    private static List<JsonNode> othersHistory;

    @BeforeAll
    static void createHistory() throws Exception {
        // IamStatementRemovalIT runs this class again in the same JVM: start from nothing.
        expectedMessages.clear();
        expectedVersions = 0;
        stack = new JobsStack(5);
        // Old messages in two chats (archived below), then newer ones that stay hot.
        for (String chat : List.of("chat-private", "chat-group")) {
            for (int i = 0; i < 30; i++) {
                String author = chat.equals("chat-group") && i % 2 == 0 ? OTHER : USER;
                JsonNode m = stack.append(chat, author, i % 3 == 0, chat + " old " + i);
                if (author.equals(USER) && i % 7 == 1) {
                    m = stack.edit(chat, m.path("messageId").asText(), 1, chat + " old " + i + " edited");
                    expectedVersions++;
                }
                if (author.equals(USER)) {
                    expectedMessages.put(m.path("messageId").asText(), m);
                }
            }
        }
        Thread.sleep(5);
        Instant boundary = Instant.now();
        Thread.sleep(5);
        for (int i = 0; i < 12; i++) {
            String chat = i % 2 == 0 ? "chat-private" : "chat-group";
            String author = i % 4 == 1 ? OTHER : USER;
            JsonNode m = stack.append(chat, author, false, chat + " new " + i);
            if (author.equals(USER)) {
                expectedMessages.put(m.path("messageId").asText(), m);
            }
        }
        ApiResult settings = stack.call(ApiEvent.fromFile("put-settings.json")
                .request("PUT", "/v1/users/" + USER + "/settings")
                .header("If-Match", "\"0\"")
                .jsonBody(Map.of("language", "de")));
        assertThat(settings.status()).isEqualTo(200);

        BatchConfig batch = new BatchConfig(4, Duration.ofSeconds(1), Duration.ofSeconds(2), 5, Duration.ofSeconds(1));
        // The archive runs in a container whose clock says the old messages are due; export and
        // erase in one on the real clock (an erase waits for time to pass before it settles).
        UserBatchHandler archiver = stack.batchHandler(batch,
                new MutableClock(boundary.plus(Duration.ofDays(stack.jobsConfig.archiveAfterDays()))));
        handler = stack.batchHandler(batch, Clock.systemUTC());
        String archive = stack.submitJob(USER, Map.of("type", "archive"));
        stack.drain(archiver);
        assertThat(stack.job(archive).path("counts").path("messagesArchived").asLong()).isEqualTo(60);
        othersHistory = othersMessages();
    }

    @AfterAll
    static void close() {
        stack.close();
    }

    @Test
    void exportThenErase() throws Exception {
        String exportJob = stack.submitJob(USER, Map.of("type", "export"));
        stack.drain(handler);
        JsonNode export = stack.job(exportJob);
        assertThat(export.path("status").asText()).isEqualTo("succeeded");
        assertThat(export.path("resultUrlExpiresAt").asText()).isNotEmpty();

        List<JsonNode> lines = download(export.path("resultUrl").asText());
        assertThat(lines.get(0).path("kind").asText()).isEqualTo("export");
        assertThat(lines.get(1).path("settings").path("language").asText()).isEqualTo("de");
        Map<String, JsonNode> exported = new HashMap<>();
        int versions = 0;
        int archived = 0;
        for (JsonNode line : lines) {
            if (line.path("kind").asText().equals("message")) {
                assertThat(line.path("userId").asText()).isEqualTo(USER);
                exported.put(line.path("messageId").asText(), line);
                versions += line.path("versions").size();
                archived += line.path("archived").asBoolean() ? 1 : 0;
            }
        }
        assertThat(exported.keySet()).containsExactlyInAnyOrderElementsOf(expectedMessages.keySet());
        expectedMessages.forEach((id, message) -> {
            assertThat(exported.get(id).path("text").asText()).isEqualTo(message.path("text").asText());
            assertThat(exported.get(id).path("version").asLong()).isEqualTo(message.path("version").asLong());
        });
        assertThat(versions).isEqualTo(expectedVersions);
        assertThat(archived).isEqualTo(45);
        assertThat(export.path("counts").path("messages").asLong()).isEqualTo(expectedMessages.size());

        String eraseJob = stack.submitJob(USER, Map.of("type", "erase"));
        stack.drain(handler);
        JsonNode erase = stack.job(eraseJob);
        assertThat(erase.path("status").asText()).as(erase.toString()).isEqualTo("succeeded");
        assertThat(erase.path("counts").path("verified").asLong()).isEqualTo(1);
        assertThat(erase.path("counts").path("messagesErased").asLong()
                + erase.path("counts").path("archivedMessagesErased").asLong()).isEqualTo(expectedMessages.size());

        for (String chat : List.of("chat-private", "chat-group")) {
            assertThat(stack.history(chat, 100, true)).as(chat)
                    .allSatisfy(m -> assertThat(m.path("userId").asText()).isNotEqualTo(USER));
        }
        for (String id : expectedMessages.keySet()) {
            String chat = expectedMessages.get(id).path("chatId").asText();
            ApiResult gone = stack.call(ApiEvent.fromFile("get-message.json")
                    .request("GET", "/v1/chats/" + chat + "/messages/" + id).query("includeDeleted", "true"));
            assertThat(gone.status()).as("message %s", id).isEqualTo(404);
        }
        // Read from the table: an API container may serve its cached copy until the cache TTL ends.
        DynamoDbUserRepository users = new DynamoDbUserRepository(stack.dynamoDb, stack.config.usersTable());
        UserRef leaving = new UserRef(TestConfigs.TENANT, USER);
        assertThat(users.findSettings(leaving).version()).isZero();
        assertThat(users.hasAnyData(leaving)).isFalse();
        assertThat(stack.objects.list("exports/" + TestConfigs.TENANT + "/" + USER + "/")).isEmpty();
        // 403 rather than 404, as S3 answers: the role that signed the link may not list the
        // bucket, so the link does not even tell that the export is gone.
        assertThat(download(export.path("resultUrl").asText(), 403)).isEmpty();
        for (String key : stack.objects.list("archive/")) {
            String text = new String(Gzip.decompress(stack.objects.get(key).orElseThrow()), StandardCharsets.UTF_8);
            assertThat(text).as(key).doesNotContain(USER);
        }

        assertThat(othersMessages()).as("the other user's history").isEqualTo(othersHistory);

        String again = stack.submitJob(USER, Map.of("type", "erase"));
        stack.drain(handler);
        assertThat(stack.job(again).path("status").asText()).isEqualTo("succeeded");
    }

    private static List<JsonNode> othersMessages() {
        List<JsonNode> others = new ArrayList<>();
        stack.history("chat-group", 100, true).stream()
                .filter(m -> m.path("userId").asText().equals(OTHER)).forEach(others::add);
        stack.history("chat-private", 100, true).stream()
                .filter(m -> m.path("userId").asText().equals(OTHER)).forEach(others::add);
        return others;
    }

    private static List<JsonNode> download(String url) throws Exception {
        return download(url, 200);
    }

    private static List<JsonNode> download(String url, int expectedStatus) throws Exception {
        HttpResponse<byte[]> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(expectedStatus);
        List<JsonNode> lines = new ArrayList<>();
        if (expectedStatus == 200) {
            for (String line : new String(Gzip.decompress(response.body()), StandardCharsets.UTF_8).split("\n")) {
                lines.add(Json.parseTrusted(line));
            }
        }
        return lines;
    }
}
