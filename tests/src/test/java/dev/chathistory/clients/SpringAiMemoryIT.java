package dev.chathistory.clients;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chathistory.client.ChatHistoryClient;
import dev.chathistory.client.Message;
import dev.chathistory.local.LocalDeployment;
import dev.chathistory.springai.ChatHistoryChatMemoryRepository;
import dev.chathistory.tests.TestAws;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.memory.MessageWindowChatMemory;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.messages.UserMessage;

/**
 * The Spring AI repository on the real template, through the authorizer: tool calls and their
 * responses round-trip, a window memory keeps the whole chat, and the directory of conversations
 * (a user's settings) lists and unlists them; each exchange checked against openapi.yaml.
 */
class SpringAiMemoryIT {

    private static LocalDeployment deployment;
    private static ChatHistoryClient client;
    private static ChatHistoryChatMemoryRepository repository;

    @BeforeAll
    static void deploy() throws Exception {
        deployment = TestAws.deployTemplate("sai");
        client = ChatHistoryClient.builder().baseUri(deployment.baseUrl())
                .apiKey(deployment.issueKey("spring-tenant", "SpringAiMemoryIT").key()).build();
        repository = ChatHistoryChatMemoryRepository.builder().client(client).userId("alice").botId("helper")
                .directoryUserId("spring-directory").build();
    }

    @AfterAll
    static void stop() {
        if (deployment != null) {
            deployment.close();
        }
    }

    private static String newChat() {
        return "spring-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void toolCallsAndResponses_shouldReadBackEqual_andTheConversationBeListedUntilDeleted() {
        String chat = newChat();
        AssistantMessage.ToolCall call = new AssistantMessage.ToolCall("call-1", "function", "weather",
                "{\"city\":\"Oslo\"}");
        var messages = List.of(
                new SystemMessage("You are terse."),
                new UserMessage("What's the weather in Oslo?"),
                AssistantMessage.builder().content("Let me look.").toolCalls(List.of(call)).build(),
                ToolResponseMessage.builder().responses(List.of(
                        new ToolResponseMessage.ToolResponse("call-1", "weather", "{\"temperature\":21}"))).build(),
                new AssistantMessage("Sunny, 21 degrees."));

        repository.saveAll(chat, List.copyOf(messages));

        assertThat(repository.findByConversationId(chat)).usingRecursiveFieldByFieldElementComparator()
                .containsExactlyElementsOf(messages);
        assertThat(repository.findConversationIds()).contains(chat);
        repository.deleteByConversationId(chat);
        assertThat(repository.findConversationIds()).doesNotContain(chat);
        assertThat(repository.findByConversationId(chat)).isEmpty();
        List<Message> kept = new ArrayList<>();
        client.history(chat, 100, false).forEach(kept::add);
        assertThat(kept).as("the chat keeps the conversation").hasSize(5);
    }

    @Test
    void aWindowMemory_overManyTurns_shouldServeItsWindow_andKeepTheWholeConversation() {
        String chat = newChat();
        ChatMemory memory = MessageWindowChatMemory.builder().chatMemoryRepository(repository).maxMessages(4).build();
        memory.add(chat, new SystemMessage("be brief"));
        for (int turn = 1; turn <= 8; turn++) {
            memory.add(chat, new UserMessage("question " + turn));
            memory.add(chat, new AssistantMessage("answer " + turn));
        }

        assertThat(memory.get(chat)).extracting(org.springframework.ai.chat.messages.Message::getText)
                .containsExactly("be brief", "answer 7", "question 8", "answer 8");
        List<Message> all = new ArrayList<>();
        client.history(chat, 100, true).forEach(all::add);
        assertThat(all).as("every message once, none deleted").hasSize(17).noneMatch(Message::deleted);
    }
}
