package dev.chathistory.clients;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chathistory.client.ChatHistoryClient;
import dev.chathistory.client.Message;
import dev.chathistory.examples.bot.Bot;
import dev.chathistory.langchain4j.ChatHistoryChatMemoryStore;
import dev.chathistory.local.LocalDeployment;
import dev.chathistory.tests.TestAws;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The LangChain4j store on the real template, through the authorizer: every message type, a
 * window memory over many turns, a retried turn and a cleared memory, each exchange checked
 * against openapi.yaml like every other test's.
 */
class LangChain4jMemoryIT {

    private static LocalDeployment deployment;
    private static ChatHistoryClient client;
    private static ChatHistoryChatMemoryStore store;

    @BeforeAll
    static void deploy() throws Exception {
        deployment = TestAws.deployTemplate("lc4j");
        client = ChatHistoryClient.builder().baseUri(deployment.baseUrl())
                .apiKey(deployment.issueKey("memory-tenant", "LangChain4jMemoryIT").key()).build();
        store = ChatHistoryChatMemoryStore.builder().client(client).userId("alice").botId("helper").build();
    }

    @AfterAll
    static void stop() {
        if (deployment != null) {
            deployment.close();
        }
    }

    private static String newChat() {
        return "memory-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void everyMessageType_shouldBeStoredAndReadBackEqual() {
        ToolExecutionRequest call = ToolExecutionRequest.builder().id("call-1").name("weather")
                .arguments("{\"city\":\"Oslo\"}").build();
        List<ChatMessage> messages = List.of(
                SystemMessage.from("You are terse."),
                UserMessage.from("What's the weather?"),
                UserMessage.from("klaus", "Hi, I'm Klaus"),
                UserMessage.from(TextContent.from("What is this?"), ImageContent.from("https://example.com/cat.png")),
                AiMessage.from("Let me look.", List.of(call)),
                ToolExecutionResultMessage.from(call, "{\"temperature\":21}"),
                AiMessage.builder().text("Sunny, 21 degrees.").thinking("The tool said 21.").build(),
                CustomMessage.from(Map.of("kind", "handoff")));
        String chat = newChat();

        store.updateMessages(chat, messages);

        assertThat(store.getMessages(chat)).containsExactlyElementsOf(messages);
    }

    @Test
    void aWindowMemory_overManyTurns_shouldServeItsWindow_andKeepTheWholeConversation() {
        String chat = newChat();
        ChatMemory memory = MessageWindowChatMemory.builder().id(chat).maxMessages(6).chatMemoryStore(store).build();
        memory.add(SystemMessage.from("be brief"));
        for (int turn = 1; turn <= 12; turn++) {
            memory.add(UserMessage.from("question " + turn));
            memory.add(AiMessage.from("answer " + turn));
        }
        // The same last turn again, as a bot retrying after a timeout would send it.
        store.updateMessages(chat, memory.messages());

        ChatMemory reopened = MessageWindowChatMemory.builder().id(chat).maxMessages(6).chatMemoryStore(store).build();
        assertThat(reopened.messages()).containsExactly(SystemMessage.from("be brief"), AiMessage.from("answer 10"),
                UserMessage.from("question 11"), AiMessage.from("answer 11"), UserMessage.from("question 12"),
                AiMessage.from("answer 12"));
        List<Message> all = new ArrayList<>();
        client.history(chat, 100, true).forEach(all::add);
        assertThat(all).as("every message once, none deleted").hasSize(25).noneMatch(Message::deleted);
        assertThat(all.get(0).metadata().at("/memory/window/ids")).as("the system message, kept apart").hasSize(1);

        reopened.clear();
        assertThat(store.getMessages(chat)).isEmpty();
        memory.add(UserMessage.from("a fresh start"));
        assertThat(store.getMessages(chat)).containsExactly(UserMessage.from("a fresh start"));
    }

    @Test
    void theExampleBot_shouldRememberAcrossRuns_throughTheService() {
        String chat = newChat();

        String first = Bot.scripted(client, "example-user").answer(chat, "my name is Ada");
        String later = Bot.scripted(client, "example-user").answer(chat, "what is my name?");

        assertThat(first).contains("remember 0 earlier");
        assertThat(later).as("a new bot, the same memory").contains("remember 1 earlier")
                .contains("\"my name is Ada\"");
        List<Message> newestFirst = new ArrayList<>();
        client.history(chat, 100, false).forEach(newestFirst::add);
        assertThat(newestFirst).extracting(Message::text).containsExactly(later, "what is my name?", first,
                "my name is Ada", "You are a helpful bot. Answer in one sentence.");
        assertThat(newestFirst).extracting(Message::userId).containsExactly("example-bot", "example-user",
                "example-bot", "example-user", "example-bot");
    }
}
