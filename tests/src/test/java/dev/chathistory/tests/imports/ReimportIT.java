package dev.chathistory.tests.imports;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chathistory.shared.json.Json;
import dev.chathistory.shared.model.UserRef;
import dev.chathistory.shared.repository.dynamodb.DynamoDbErasures;
import dev.chathistory.tests.StackClient;
import dev.chathistory.tests.imports.LegacyDatabase.Expected;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Importing the same source again, into a tenant whose bots have been at work since: the same
 * import id rewrites its own messages to the same result; a new import id writes nothing over a
 * message that is there already (a bot's edit or delete stays), brings back none of an erased
 * user's rows, and its rollback removes nothing it did not write.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReimportIT {

    /** Enough rows for every bad kind (one every 41 rows, LegacyDatabase); more would prove nothing more. */
    private static final int ROWS = 1_500;
    private static final String TENANT = "reimport";

    @TempDir
    static Path dir;

    private ImportStack stack;
    private LegacyDatabase legacy;
    private String sqlite;
    private StackClient client;
    private List<String> users;
    private Set<Map<String, AttributeValue>> afterBotsAndErase;

    @BeforeAll
    void setUp() throws Exception {
        stack = new ImportStack();
        sqlite = "jdbc:sqlite:" + dir.resolve("bot.db");
        legacy = LegacyDatabase.build(sqlite, false, ROWS, dir);
        client = stack.client(TENANT);
        users = new ArrayList<>(legacy.newestFirstByUser().keySet());
    }

    @AfterAll
    void tearDown() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @Order(1)
    void theFirstImport_shouldValidateClean() throws Exception {
        ImportStack.Run run = stack.importer(args("imp-1"));

        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(messages()).hasSize(legacy.expected.size()).allMatch(m -> m.get("i").s().equals("imp-1"));
    }

    @Test
    @Order(2)
    void rerunningTheSameImportId_shouldRewriteItsOwnMessages_toTheSameResult() throws Exception {
        Set<Map<String, AttributeValue>> before = messages();
        // As if the first run had died before its first checkpoint: every chunk is written again.
        stack.dynamoDb.updateItem(b -> b.tableName(stack.usersTable)
                .key(Map.of("pk", AttributeValue.fromS("T#" + TENANT + "#IMPORT#imp-1"),
                        "sk", AttributeValue.fromS("IMPORT")))
                .updateExpression("SET #status = :running REMOVE #position")
                .expressionAttributeNames(Map.of("#status", "status", "#position", "position"))
                .expressionAttributeValues(Map.of(":running", AttributeValue.fromS("RUNNING"))));

        ImportStack.Run run = stack.importer(args("imp-1"));

        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output()).contains("target matches source for every user").doesNotContain("left as they were");
        assertThat(summary("imp-1").path("messagesKept").asLong()).isZero();
        assertThat(messages()).isEqualTo(before);
    }

    @Test
    @Order(3)
    void aNewImportId_shouldNeitherOverwriteBotChanges_norBringBackAnErasedUsersRows() throws Exception {
        String editedUser = users.get(0);
        JsonNode edited = oldestMessage(editedUser);
        write("PATCH", editedUser, edited, "{\"text\":\"corrected by the bot\"}");
        String deletedUser = users.get(1);
        JsonNode deleted = oldestMessage(deletedUser);
        write("DELETE", deletedUser, deleted, null);
        String erasedUser = users.get(2);
        List<Expected> erasedRows = legacy.newestFirstByUser().get(erasedUser);
        assertThat(erasedRows).as("the erased user's rows").hasSizeGreaterThan(1);
        // Erased up to a row in the middle of their history (that row included): the newer rows stay.
        Expected cutoffRow = erasedRows.get(erasedRows.size() / 2);
        long erasedCount = erasedRows.stream().filter(e -> !e.createdAt().isAfter(cutoffRow.createdAt())).count();
        eraseUpTo(erasedUser, cutoffRow);
        afterBotsAndErase = messages();

        ImportStack.Run run = stack.importer(args("imp-2"));

        assertThat(messages()).as("every message as the bots and the erase left it").isEqualTo(afterBotsAndErase);
        JsonNode editedNow = message(editedUser, edited.path("messageId").asText());
        assertThat(editedNow.path("text").asText()).isEqualTo("corrected by the bot");
        assertThat(editedNow.path("version").asLong()).isEqualTo(2);
        assertThat(message(deletedUser, deleted.path("messageId").asText()).path("deleted").asBoolean()).isTrue();
        assertThat(ImportStack.page(client, erasedUser)).extracting(i -> i.path("text").asText())
                .containsExactlyElementsOf(erasedRows.stream().filter(e -> e.createdAt().isAfter(cutoffRow.createdAt()))
                        .map(Expected::text).toList());
        List<JsonNode> report = report("imp-2");
        assertThat(report).filteredOn(l -> l.path("issue").asText().equals("erased_user"))
                .hasSize((int) erasedCount)
                .allMatch(l -> l.path("userId").asText().equals(erasedUser)
                        && l.path("action").asText().equals("skipped"));
        assertThat(summary("imp-2").path("messagesKept").asLong())
                .as("every other message was there from imp-1").isEqualTo(legacy.expected.size() - erasedCount);
        // The bot's edit is the one difference the validation finds; a delete keeps the text.
        assertThat(run.exit()).as(run.output()).isEqualTo(1);
        assertThat(report).filteredOn(l -> l.path("kind").asText().equals("mismatch"))
                .extracting(l -> l.path("userId").asText()).containsExactly(editedUser);
    }

    @Test
    @Order(4)
    void rollingBackTheNewImport_shouldRemoveNothing_sinceItWroteNothing() throws Exception {
        ImportStack.Run run = stack.importer("--tenant", TENANT, "--rollback", "imp-2");

        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output()).contains("rolled back import imp-2: 0 messages and 0 attachments removed");
        assertThat(messages()).isEqualTo(afterBotsAndErase);
    }

    /** What an erase leaves: its tombstone, and none of the user's messages up to the cutoff. */
    private void eraseUpTo(String userId, Expected cutoffRow) {
        new DynamoDbErasures(stack.dynamoDb, stack.usersTable)
                .record(new UserRef(TENANT, userId), cutoffRow.createdAt(), "erase-job-1");
        stack.snapshot(TENANT, List.of(userId), item -> !isMessage(item)).stream()
                .filter(item -> !java.time.Instant.ofEpochMilli(Long.parseLong(item.get("c").n()))
                        .isAfter(cutoffRow.createdAt()))
                .forEach(item -> stack.dynamoDb.deleteItem(b -> b.tableName(stack.messagesTable)
                        .key(Map.of("pk", item.get("pk"), "sk", item.get("sk")))));
    }

    private void write(String method, String chat, JsonNode message, String body) throws Exception {
        HttpRequest.Builder request = client.authorized(stack.deployment.baseUrl()
                        .resolve("/v1/chats/" + chat + "/messages/" + message.path("messageId").asText()))
                .header("Content-Type", "application/json")
                .header("If-Match", "\"" + message.path("version").asLong() + "\"")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isBetween(200, 299);
    }

    private JsonNode oldestMessage(String chat) throws Exception {
        List<JsonNode> page = ImportStack.page(client, chat);
        return page.get(page.size() - 1);
    }

    private JsonNode message(String chat, String messageId) {
        Map<String, AttributeValue> item = stack.snapshot(TENANT, List.of(chat), i -> !isMessage(i)).stream()
                .filter(i -> i.get("sk").s().equals("M#" + messageId)).findFirst().orElseThrow();
        // The compact item format (MessageItems): t text, v version, d set only when deleted.
        return Json.object().put("text", item.get("t").s()).put("version", Long.parseLong(item.get("v").n()))
                .put("deleted", item.containsKey("d") && item.get("d").bool());
    }

    /** Every message item of the legacy users' chats, as stored. */
    private Set<Map<String, AttributeValue>> messages() {
        return stack.snapshot(TENANT, users, item -> !isMessage(item)).stream().collect(Collectors.toSet());
    }

    private static boolean isMessage(Map<String, AttributeValue> item) {
        return item.get("pk").s().contains("#C#") && item.get("sk").s().startsWith("M#");
    }

    private String[] args(String importId) {
        return new String[] {"--tenant", TENANT, "--source", sqlite, "--import-id", importId, "--attachments-dir",
                dir.toString(), "--report", dir.resolve(importId + ".jsonl").toString(), "--no-progress"};
    }

    private List<JsonNode> report(String importId) throws Exception {
        return Files.readAllLines(dir.resolve(importId + ".jsonl")).stream().map(Json::parseTrusted).toList();
    }

    private JsonNode summary(String importId) throws Exception {
        List<JsonNode> report = report(importId);
        return report.get(report.size() - 1);
    }
}
