package dev.chathistory.messageapi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chathistory.cost.CapacityMeter;
import dev.chathistory.cost.LangChainStore;
import dev.chathistory.cost.LangChainStore.Turn;
import dev.chathistory.messageapi.testing.ApiEvent;
import dev.chathistory.messageapi.testing.ApiResult;
import dev.chathistory.shared.ids.MessageIdGenerator;
import dev.chathistory.shared.model.ChatRef;
import dev.chathistory.shared.model.Message;
import dev.chathistory.shared.repository.dynamodb.DynamoDbMessageRepository;
import dev.chathistory.shared.testing.RecordingMetrics;
import dev.chathistory.shared.testing.TestConfigs;
import dev.chathistory.tests.TestStack;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The newest page of 50, read eventually consistent, beside LangChain's DynamoDB store reading
 * the same conversation (one item holding all of it, {@link LangChainStore}): never more read
 * units, at every history size from 10 to 1,000, and always one request. Capacity is metered
 * from item sizes ({@link CapacityMeter}); the figures go to docs/cost.md.
 */
class HistoryCostIT {

    private static final String[] WORDS = ("the a to of and in is it you that for on with as are this be at have "
            + "order refund delivery tomorrow account password reset invoice thanks please could would help "
            + "weather meeting schedule ticket update support status price plan question answer").split(" ");

    private static TestStack stack;
    private static CapacityMeter meter;
    private static ItHandlers.Container api;

    @BeforeAll
    static void start() {
        // Retention policies kept as long as a deployment keeps them by default (test stacks forget
        // in a second).
        stack = TestStack.create("history-cost", Map.of("ChatDirectoryCacheSeconds", "300"));
        meter = new CapacityMeter(stack.adminDynamoDb());
        api = ItHandlers.container(stack, new RecordingMetrics(), List.of(meter));
    }

    @AfterAll
    static void stop() {
        api.close();
        stack.close();
    }

    @ParameterizedTest(name = "{0} messages")
    @ValueSource(ints = {10, 25, 50, 100, 250, 500, 1000})
    void newestPage_readEventually_costsNoMoreThanLangChainsStore(int historySize) {
        String chat = "chat-" + UUID.randomUUID();
        List<Turn> conversation = conversation(historySize, historySize);
        store(chat, conversation);

        ApiEvent newestPage = ApiEvent.fromFile("list-messages.json").withoutQuery()
                .request("GET", "/v1/chats/" + chat + "/messages")
                .query("limit", "50")
                .query("consistency", "eventual");
        // The container's first page of a chat also reads the chat's and tenant's retention
        // policies, then keeps them for ChatDirectoryCacheSeconds; measured is every page after.
        api.invoke(newestPage);
        meter.reset();
        ApiResult page = api.invoke(newestPage);

        double ours = meter.readUnits();
        double theirs = LangChainStore.readUnits(chat, conversation);
        double[] theirAppend = LangChainStore.appendUnits(chat, conversation, conversation.get(0));
        System.out.printf("history of %4d messages: page of 50 %.1f RCU in %d request(s); LangChain's store %.1f RCU"
                + " (its next append: %.1f RCU + %.0f WCU)%n",
                historySize, ours, meter.requests(), theirs, theirAppend[0], theirAppend[1]);
        assertThat(page.json().path("items")).hasSize(Math.min(50, historySize));
        assertThat(meter.requests()).isEqualTo(1);
        assertThat(ours).isLessThanOrEqualTo(theirs);
    }

    /** A support-bot conversation: short user turns, longer bot answers, the same for the same seed. */
    static List<Turn> conversation(int size, long seed) {
        Random random = new Random(seed);
        List<Turn> turns = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            boolean bot = i % 2 == 1;
            int length = bot ? 120 + random.nextInt(480) : 20 + random.nextInt(160);
            StringBuilder text = new StringBuilder();
            while (text.length() < length) {
                text.append(WORDS[random.nextInt(WORDS.length)]).append(' ');
            }
            turns.add(new Turn(bot, text.toString().trim()));
        }
        return turns;
    }

    private static void store(String chatId, List<Turn> conversation) {
        ChatRef chat = new ChatRef(TestConfigs.TENANT, chatId);
        DynamoDbMessageRepository messages = new DynamoDbMessageRepository(stack.adminDynamoDb(),
                stack.table("MessagesTable"));
        MessageIdGenerator ids = MessageIdGenerator.ulid();
        Instant at = Instant.parse("2026-11-01T09:00:00Z");
        for (Turn turn : conversation) {
            at = at.plusSeconds(7);
            messages.insert(chat, Message.first(chatId, ids.nextId(), turn.bot() ? "support-bot" : "user-4711",
                    turn.bot(), turn.text(), null, at));
        }
    }
}
