package dev.chathistory.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chathistory.contract.LambdaExchanges;
import dev.chathistory.cost.CapacityMeter;
import dev.chathistory.messageapi.MessageApiHandler;
import dev.chathistory.messageapi.testing.ApiEvent;
import dev.chathistory.messageapi.testing.ApiResult;
import dev.chathistory.shared.archive.ChatArchiver;
import dev.chathistory.shared.archive.Gzip;
import dev.chathistory.shared.jobs.JobOutcome;
import dev.chathistory.shared.json.Json;
import dev.chathistory.shared.model.ChatRef;
import dev.chathistory.shared.repository.dynamodb.DynamoDbArchiveIndex;
import dev.chathistory.shared.repository.dynamodb.DynamoDbMessageRepository;
import dev.chathistory.userbatch.BatchConfig;
import dev.chathistory.userbatch.UserBatchHandler;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Branches on the stack: a branch reads as its parent's history up to the fork, then its own, at
 * every page size, with what each page costs; edits in the parent before the fork show, later
 * messages never; branches of branches; the parent archived; export and erase of a user who wrote
 * in a branch.
 */
class BranchesIT {

    private static final String TENANT = "tenant-test";

    private static JobsStack stack;
    private static UserBatchHandler batch;

    @BeforeAll
    static void start() {
        // An erase waits for API containers to forget chats they filed: a second here.
        stack = new JobsStack(Map.of("JobsMaxReceiveCount", "5", "ChatDirectoryCacheSeconds", "1",
                "EraseSettleMarginSeconds", "0"));
        batch = stack.batchHandler(new BatchConfig(4, Duration.ofSeconds(1), Duration.ofSeconds(4), 5,
                Duration.ofSeconds(1)), Clock.systemUTC());
    }

    @AfterAll
    static void close() {
        stack.close();
    }

    @Test
    void aBranch_shouldReadThroughItsParent_atEveryPageSize_withOneRequestAPage() {
        String parent = "chat-branch-costs";
        List<JsonNode> parentMessages = new ArrayList<>();
        for (int i = 1; i <= 30; i++) {
            parentMessages.add(stack.append(parent, "alice", i % 2 == 0, "parent " + i));
        }
        JsonNode fork = parentMessages.get(19);
        String branch = createBranch(parent, id(fork)).path("branchId").asText();
        for (int i = 1; i <= 15; i++) {
            stack.append(branch, "alice", i % 2 == 0, "branch " + i);
        }
        stack.append(parent, "alice", false, "parent after the branch");
        List<String> expected = new ArrayList<>();
        for (int i = 15; i >= 1; i--) {
            expected.add("branch " + i);
        }
        for (int i = 20; i >= 1; i--) {
            expected.add("parent " + i);
        }

        for (int size : new int[] {1, 7, 20, 50}) {
            assertThat(texts(stack.history(branch, size, false))).as("page size %s", size).isEqualTo(expected);
        }

        // The cost of each page of 10, beside a chat of the same 35 messages that is no branch.
        String plain = "chat-plain-costs";
        for (int i = expected.size() - 1; i >= 0; i--) {
            stack.append(plain, "alice", false, expected.get(i));
        }
        // A container that keeps policies for five minutes (this stack's API forgets them each
        // second, for the erase below), warmed by one walk of each history.
        CapacityMeter meter = new CapacityMeter(stack.dynamoDb);
        MessageApiHandler metered = stack.apiRemembering(Duration.ofMinutes(5), meter);
        pageCosts(metered, meter, branch, 10);
        pageCosts(metered, meter, plain, 10);
        List<int[]> branchPages = pageCosts(metered, meter, branch, 10);
        List<int[]> plainPages = pageCosts(metered, meter, plain, 10);
        System.out.println("pages of 10 (requests, RCU x 10): branch " + describe(branchPages) + "; plain chat "
                + describe(plainPages));
        assertThat(plainPages).allSatisfy(cost -> assertThat(cost[0]).isEqualTo(1));
        assertThat(branchPages).as("the page where the branch's own part ends, and the parent's too")
                .allSatisfy(cost -> assertThat(cost[0]).isEqualTo(1));
    }

    @Test
    void theParentsEditsUpToTheFork_shouldShowInTheBranch_andItsLaterMessagesNever_nor_aBranchOfABranchs() {
        String parent = "chat-branch-edits";
        JsonNode p1 = stack.append(parent, "alice", false, "p1");
        JsonNode p2 = stack.append(parent, "bot", true, "p2");
        JsonNode p3 = stack.append(parent, "alice", false, "p3");
        String branch = createBranch(parent, id(p2)).path("branchId").asText();
        JsonNode b1 = stack.append(branch, "alice", false, "b1");
        String nested = createBranch(branch, id(b1)).path("branchId").asText();
        stack.append(nested, "alice", false, "c1");
        String fromInherited = createBranch(branch, id(p1)).path("branchId").asText();

        stack.edit(parent, id(p1), 1, "p1 edited");
        stack.edit(parent, id(p3), 1, "p3 edited");
        stack.delete(parent, id(p2), 1);

        assertThat(texts(stack.history(branch, 2, false))).containsExactly("b1", "p1 edited");
        assertThat(texts(stack.history(nested, 2, false))).containsExactly("c1", "b1", "p1 edited");
        assertThat(texts(stack.history(fromInherited, 2, false))).containsExactly("p1 edited");
        ApiResult listed = stack.call(ApiEvent.fromFile("list-messages.json").withoutQuery()
                .request("GET", "/v1/chats/" + branch + "/branches"));
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.json().path("items").findValuesAsText("branchId")).containsExactly(nested, fromInherited);
        ApiResult unknown = stack.call(ApiEvent.fromFile("create-branch.json")
                .request("POST", "/v1/chats/" + parent + "/branches").jsonBody(Map.of("fromMessageId", "01JNOPE")));
        assertThat(unknown.status()).isEqualTo(404);
    }

    @Test
    void archivingTheParent_shouldKeepTheBranchReadable() {
        String parent = "chat-branch-archive";
        List<JsonNode> old = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            old.add(stack.append(parent, "alice", false, "old " + i));
        }
        String branch = createBranch(parent, id(old.get(7))).path("branchId").asText();
        stack.append(branch, "alice", false, "own");
        List<String> before = texts(stack.history(branch, 3, false));

        String table = stack.config.messagesTable();
        new ChatArchiver(new DynamoDbMessageRepository(stack.dynamoDb, table),
                new DynamoDbArchiveIndex(stack.dynamoDb, table), stack.objects, Clock.systemUTC())
                .archiveOlderThan(new ChatRef(TENANT, parent), Instant.now().plusSeconds(1), new JobOutcome.Counts());

        assertThat(stack.objects.list("archive/" + TENANT + "/" + parent + "/")).isNotEmpty();
        assertThat(before).hasSize(9);
        for (int size : new int[] {1, 4, 50}) {
            assertThat(texts(stack.history(branch, size, false))).as("page size %s", size).isEqualTo(before);
        }
    }

    @Test
    void exportAndErase_shouldCoverWhatAUserWroteInABranch() {
        String parent = "chat-branch-erase";
        JsonNode p1 = stack.append(parent, "carol", false, "carol in the parent");
        String branch = createBranch(parent, id(p1)).path("branchId").asText();
        stack.append(branch, "carol", false, "carol in the branch");
        stack.append(branch, "bot", true, "the bot in the branch");

        stack.submitJob("carol", Map.of("type", "export"));
        stack.drain(batch);
        List<String> exported = new ArrayList<>();
        for (String key : stack.objects.list("exports/" + TENANT + "/carol/")) {
            String text = new String(Gzip.decompress(stack.objects.get(key).orElseThrow()), StandardCharsets.UTF_8);
            text.lines().map(Json::parseTrusted).filter(line -> line.has("text"))
                    .forEach(line -> exported.add(line.path("chatId").asText() + ": " + line.path("text").asText()));
        }
        assertThat(exported).contains(parent + ": carol in the parent", branch + ": carol in the branch");

        stack.submitJob("carol", Map.of("type", "erase"));
        stack.drain(batch);

        assertThat(texts(stack.history(branch, 10, false))).containsExactly("the bot in the branch");
        assertThat(texts(stack.history(parent, 10, false))).isEmpty();
    }

    private static JsonNode createBranch(String parent, String fromMessageId) {
        ApiResult created = stack.call(ApiEvent.fromFile("create-branch.json")
                .request("POST", "/v1/chats/" + parent + "/branches")
                .jsonBody(Map.of("fromMessageId", fromMessageId)));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json();
    }

    /** Each page's requests and read units (times ten, rounded), walking the whole history. */
    private static List<int[]> pageCosts(MessageApiHandler api, CapacityMeter meter, String chat, int size) {
        List<int[]> costs = new ArrayList<>();
        String cursor = null;
        do {
            ApiEvent request = ApiEvent.fromFile("list-messages.json").withoutQuery()
                    .request("GET", "/v1/chats/" + chat + "/messages").query("limit", Integer.toString(size));
            if (cursor != null) {
                request.query("cursor", cursor);
            }
            meter.reset();
            ApiResult page = ApiResult.of(LambdaExchanges.invokeChecked(api, request.toEvent()));
            costs.add(new int[] {meter.requests(), (int) Math.round(meter.readUnits() * 10)});
            cursor = page.json().path("nextCursor").isNull() ? null : page.json().path("nextCursor").asText();
        } while (cursor != null);
        return costs;
    }

    private static String describe(List<int[]> costs) {
        StringBuilder text = new StringBuilder();
        for (int[] cost : costs) {
            text.append(text.isEmpty() ? "" : ", ").append(cost[0]).append("/").append(cost[1] / 10.0);
        }
        return text.toString();
    }

    private static String id(JsonNode message) {
        return message.path("messageId").asText();
    }

    private static List<String> texts(List<JsonNode> messages) {
        return messages.stream().map(m -> m.path("text").asText()).toList();
    }
}
