package dev.chathistory.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chathistory.client.ChatHistoryClient;
import dev.chathistory.client.Message;
import dev.chathistory.client.testing.FakeChatHistoryApi;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.CustomMessage;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.memory.ChatMemory;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The store on the API: every LangChain4j message type round-trips, and a window memory works on it. */
class ChatHistoryChatMemoryStoreTest {

    private final FakeChatHistoryApi api;
    private final ChatHistoryClient client;
    private final ChatHistoryChatMemoryStore store;

    ChatHistoryChatMemoryStoreTest() throws IOException {
        api = new FakeChatHistoryApi();
        client = api.client();
        store = ChatHistoryChatMemoryStore.builder().client(client).userId("alice").botId("helper").build();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    static Stream<ChatMessage> everyMessageType() {
        ToolExecutionRequest call = ToolExecutionRequest.builder().id("call-1").name("weather")
                .arguments("{\"city\":\"Oslo\"}").build();
        return Stream.of(
                SystemMessage.from("You are terse."),
                UserMessage.from("What's the weather?"),
                UserMessage.from("klaus", "Hi, I'm Klaus"),
                UserMessage.from(TextContent.from("What is on this picture?"),
                        ImageContent.from("https://example.com/cat.png")),
                UserMessage.builder().addContent(TextContent.from("tagged")).attributes(Map.of("channel", "web")).build(),
                AiMessage.from("Sunny."),
                AiMessage.from(call),
                AiMessage.from("Let me look.", List.of(call)),
                AiMessage.builder().text("42").thinking("The answer is well known.").build(),
                AiMessage.builder().text("cited").attributes(Map.of("sources", List.of("a", "b"))).build(),
                ToolExecutionResultMessage.from(call, "{\"temperature\":21}"),
                CustomMessage.from(Map.of("kind", "handoff", "to", "human")));
    }

    @ParameterizedTest
    @MethodSource("everyMessageType")
    void everyMessageType_shouldReadBackEqual(ChatMessage message) {
        store.updateMessages("c1", List.of(message));

        assertThat(store.getMessages("c1")).containsExactly(message);
    }

    @Test
    void plainMessages_shouldReadNaturallyThroughTheApi_andOnlyRicherOnesAsJson() {
        store.updateMessages("c1", List.of(SystemMessage.from("be brief"), UserMessage.from("hi"),
                AiMessage.from("hello"), UserMessage.from("klaus", "hi again")));

        List<Message> stored = oldestFirst("c1");
        assertThat(stored).extracting(Message::text)
                .containsExactly("be brief", "hi", "hello", stored.get(3).text());
        assertThat(stored).extracting(m -> m.metadata().at("/memory/format").asText())
                .containsExactly("text", "text", "text", "json");
        assertThat(stored).extracting(m -> m.metadata().at("/memory/role").asText())
                .containsExactly("system", "user", "assistant", "user");
        assertThat(stored).extracting(Message::userId).containsExactly("helper", "alice", "helper", "alice");
        assertThat(stored.get(3).text()).contains("klaus");
    }

    @Test
    void aWindowMemory_shouldSeeItsWindow_whileTheChatKeepsEveryMessage() {
        ChatMemory memory = MessageWindowChatMemory.builder().id("c1").maxMessages(4).chatMemoryStore(store).build();
        memory.add(SystemMessage.from("be brief"));
        for (int turn = 1; turn <= 5; turn++) {
            memory.add(UserMessage.from("question " + turn));
            memory.add(AiMessage.from("answer " + turn));
        }

        assertThat(memory.messages()).containsExactly(SystemMessage.from("be brief"), AiMessage.from("answer 4"),
                UserMessage.from("question 5"), AiMessage.from("answer 5"));
        assertThat(MessageWindowChatMemory.builder().id("c1").maxMessages(4).chatMemoryStore(store).build().messages())
                .as("a new memory on the same store sees the same window").isEqualTo(memory.messages());
        assertThat(oldestFirst("c1")).hasSize(11);
    }

    @Test
    void clear_shouldEmptyTheMemory_andKeepTheChat() {
        ChatMemory memory = MessageWindowChatMemory.builder().id("c1").maxMessages(10).chatMemoryStore(store).build();
        memory.add(UserMessage.from("hi"));
        memory.add(AiMessage.from("hello"));

        memory.clear();

        assertThat(memory.messages()).isEmpty();
        assertThat(oldestFirst("c1")).hasSize(2).noneMatch(Message::deleted);
    }

    /**
     * Writes per turn with this store and with a store that replaces the whole list, both on
     * the same API: ours stay at the turn's new messages, the other's grow with the window.
     */
    @Test
    void writesPerTurn_shouldStayConstant_besideAReplaceAllStore() {
        ChatHistoryChatMemoryStore appends = store;
        ReplaceAllStore replaceAll = new ReplaceAllStore(client);
        int[] turns = {1, 10, 20, 40};
        List<String> rows = new ArrayList<>();
        List<Integer> ours = new ArrayList<>();
        ChatMemory appending = MessageWindowChatMemory.builder().id("a").maxMessages(20).chatMemoryStore(appends).build();
        ChatMemory replacing = MessageWindowChatMemory.builder().id("r").maxMessages(20).chatMemoryStore(replaceAll).build();
        int next = 0;
        for (int turn = 1; turn <= 40; turn++) {
            api.resetCounts();
            appending.add(UserMessage.from("question " + turn));
            appending.add(AiMessage.from("answer " + turn));
            int appendWrites = writes();
            api.resetCounts();
            replacing.add(UserMessage.from("question " + turn));
            replacing.add(AiMessage.from("answer " + turn));
            int replaceWrites = writes();
            ours.add(appendWrites);
            if (next < turns.length && turn == turns[next]) {
                rows.add(String.format("  turn %3d: %3d writes (appends)   %3d writes (replace all)", turn, appendWrites,
                        replaceWrites));
                next++;
            }
        }
        System.out.println("LangChain4j MessageWindowChatMemory(20), writes to the API per turn:");
        rows.forEach(System.out::println);

        assertThat(ours).containsOnly(2);
        assertThat(api.stored("a")).isEqualTo(80);
    }

    private int writes() {
        return api.requests("POST") + api.requests("PATCH") + api.requests("DELETE");
    }

    private List<Message> oldestFirst(String chatId) {
        List<Message> all = new ArrayList<>(StreamSupport.stream(client.history(chatId, 100, true).spliterator(),
                false).toList());
        Collections.reverse(all);
        return all;
    }
}
