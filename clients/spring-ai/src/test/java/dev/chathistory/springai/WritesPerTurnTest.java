package dev.chathistory.springai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chathistory.client.ChatHistoryClient;
import dev.chathistory.client.testing.FakeChatHistoryApi;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.memory.ChatMemoryRepository;
import org.springframework.ai.chat.memory.MessageWindowChatMemory;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.UserMessage;

/**
 * What a conversation costs in writes, turn by turn, under Spring AI's MessageWindowChatMemory
 * (20 messages): this repository appends what is new; replacing the whole list on every save,
 * as a table-backed repository does, rewrites the window twice a turn.
 */
class WritesPerTurnTest {

    private static final int TURNS = 40;
    private static final int WINDOW = 20;

    private final FakeChatHistoryApi api = ChatHistoryChatMemoryRepositoryTest.newApi();
    private final ChatHistoryClient client = api.client();

    @AfterEach
    void stop() {
        api.close();
    }

    /** One turn's requests by kind. */
    private record Turn(int appends, int edits, int deletes, int settingsWrites, int reads) {
        int writes() {
            return appends + edits + deletes + settingsWrites;
        }
    }

    /** A turn as MessageChatMemoryAdvisor makes it: the question added, then the answer. */
    private List<Turn> converse(ChatMemoryRepository repository, String conversationId) {
        ChatMemory memory = MessageWindowChatMemory.builder().chatMemoryRepository(repository).maxMessages(WINDOW)
                .build();
        List<Turn> turns = new ArrayList<>();
        for (int turn = 1; turn <= TURNS; turn++) {
            api.resetCounts();
            memory.add(conversationId, new UserMessage("question " + turn));
            memory.add(conversationId, new AssistantMessage("answer " + turn));
            turns.add(new Turn(api.requests("POST"), api.requests("PATCH"), api.requests("DELETE"),
                    api.requests("PUT"), api.requests("GET")));
        }
        assertThat(memory.get(conversationId)).hasSize(WINDOW).last()
                .isEqualTo(new AssistantMessage("answer " + TURNS));
        return turns;
    }

    @Test
    void aWindowMemory_shouldCostTwoAppendsATurn_whereReplacingAllGrowsWithTheWindow() {
        List<Turn> appends = converse(ChatHistoryChatMemoryRepository.builder().client(client).build(), "appends");
        List<Turn> replaceAll = converse(new ReplaceAllRepository(client), "replace-all");

        System.out.println("Writes per turn, MessageWindowChatMemory(maxMessages " + WINDOW + "), " + TURNS
                + " turns (POST+PATCH+DELETE+PUT; reads beside)");
        System.out.println("turn | ChatHistoryChatMemoryRepository | replace-all");
        for (int turn : new int[] {1, 2, 5, 10, 11, 20, TURNS}) {
            Turn ours = appends.get(turn - 1);
            Turn naive = replaceAll.get(turn - 1);
            System.out.printf("%4d | %2d writes (%d POST, %d PUT), %2d GET | %2d writes (%d POST, %d DELETE), %d GET%n",
                    turn, ours.writes(), ours.appends(), ours.settingsWrites(), ours.reads(), naive.writes(),
                    naive.appends(), naive.deletes(), naive.reads());
        }
        System.out.printf("total | %d writes | %d writes%n", appends.stream().mapToInt(Turn::writes).sum(),
                replaceAll.stream().mapToInt(Turn::writes).sum());

        assertThat(appends).extracting(Turn::appends).containsOnly(2);
        assertThat(appends).extracting(t -> t.edits() + t.deletes()).containsOnly(0);
        assertThat(appends.get(0).settingsWrites()).as("the directory, once").isEqualTo(1);
        assertThat(appends.subList(1, TURNS)).extracting(Turn::settingsWrites).containsOnly(0);
        assertThat(api.stored("appends")).as("the whole conversation stays").isEqualTo(2 * TURNS);

        // Replace-all rewrites the window twice a turn: its writes climb until the window is full.
        assertThat(replaceAll.get(0).writes()).isEqualTo(4);
        assertThat(replaceAll.get(4).writes()).isGreaterThan(replaceAll.get(1).writes());
        assertThat(replaceAll.subList(WINDOW / 2, TURNS)).extracting(Turn::writes).containsOnly(4 * WINDOW);
    }
}
