package dev.chathistory.springai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chathistory.client.ChatHistoryClient;
import dev.chathistory.client.Message;
import dev.chathistory.client.testing.FakeChatHistoryApi;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.UserMessage;

/** The repository on the fake API: what is stored, the directory of ids, and delete. */
class ChatHistoryChatMemoryRepositoryTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final FakeChatHistoryApi api = newApi();
    private final ChatHistoryClient client = api.client();
    private final ChatHistoryChatMemoryRepository repository = repository();

    static FakeChatHistoryApi newApi() {
        try {
            return new FakeChatHistoryApi();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ChatHistoryChatMemoryRepository repository() {
        return ChatHistoryChatMemoryRepository.builder().client(client).userId("alice").botId("bot")
                .directoryUserId("dir").build();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private List<Message> chat(String chatId) {
        List<Message> all = new ArrayList<>(StreamSupport.stream(client.history(chatId, 100, true).spliterator(),
                false).toList());
        Collections.reverse(all);
        return all;
    }

    @Test
    void saveAll_shouldStoreATextOnlyMessageAsItsText_andTheRestAsJson() {
        AssistantMessage toolCall = AssistantMessage.builder().content("")
                .toolCalls(List.of(new AssistantMessage.ToolCall("call-1", "function", "weather",
                        "{\"city\":\"Oslo\"}")))
                .build();

        repository.saveAll("c1", List.of(new SystemMessage("be brief"), new UserMessage("hi"), toolCall));

        List<Message> stored = chat("c1");
        assertThat(stored).extracting(Message::text).containsExactly("be brief", "hi",
                "{\"text\":\"\",\"toolCalls\":[{\"id\":\"call-1\",\"type\":\"function\",\"name\":\"weather\","
                        + "\"arguments\":\"{\\\"city\\\":\\\"Oslo\\\"}\"}]}");
        assertThat(stored).extracting(m -> m.metadata().at("/memory/format").asText())
                .containsExactly("text", "text", "json");
        assertThat(stored).extracting(m -> m.metadata().at("/memory/kind").asText()).containsOnly("spring-ai");
        assertThat(stored).extracting(Message::userId).containsExactly("bot", "alice", "bot");
    }

    @Test
    void findByConversationId_shouldBeEmpty_forAConversationNeverSaved() {
        assertThat(repository.findByConversationId("never")).isEmpty();
        assertThat(repository.findConversationIds()).isEmpty();
    }

    @Test
    void saveAll_shouldListEachConversationOnce_andKeepTheDirectoryUsersOtherSettings() {
        client.putSettings("dir", JSON.createObjectNode().put("theme", "dark"), 0);

        repository.saveAll("c1", List.of(new UserMessage("one")));
        api.resetCounts();
        repository.saveAll("c1", List.of(new UserMessage("one"), new AssistantMessage("two")));
        int directoryRequestsOnASecondTurn = api.requests("PUT");
        repository.saveAll("c2", List.of(new UserMessage("three")));

        assertThat(directoryRequestsOnASecondTurn).isZero();
        assertThat(repository.findConversationIds()).containsExactly("c1", "c2");
        assertThat(api.settings("dir").path("theme").asText()).isEqualTo("dark");
    }

    @Test
    void anotherProcess_shouldFindTheIdListed_andNotListItTwice() {
        repository.saveAll("c1", List.of(new UserMessage("one")));
        ChatHistoryChatMemoryRepository restarted = repository();
        api.resetCounts();

        restarted.saveAll("c1", List.of(new UserMessage("one"), new AssistantMessage("two")));

        assertThat(api.requests("PUT")).isZero();
        assertThat(restarted.findConversationIds()).containsExactly("c1");
        assertThat(restarted.findByConversationId("c1")).containsExactly(new UserMessage("one"),
                new AssistantMessage("two"));
    }

    @Test
    void aDirectoryWriteThatLosesARace_shouldReadAgain_andKeepTheOtherWritersIds() {
        repository.saveAll("c1", List.of(new UserMessage("one")));
        ObjectNode theirs = JSON.createObjectNode();
        theirs.putArray(ConversationDirectory.KEY).add("c1").add("theirs");
        api.changeSettingsBeforeNextPut("dir", theirs);

        repository.saveAll("c2", List.of(new UserMessage("two")));

        assertThat(repository.findConversationIds()).containsExactly("c1", "theirs", "c2");
    }

    @Test
    void aFullDirectoryPage_shouldContinueOnTheNext() {
        api.settingsLimitBytes(120);

        for (int i = 0; i < 20; i++) {
            repository.saveAll("conversation-" + i, List.of(new UserMessage("hi")));
        }

        assertThat(repository.findConversationIds()).hasSize(20).startsWith("conversation-0")
                .endsWith("conversation-19").doesNotHaveDuplicates();
        assertThat(api.settings("dir.2")).isNotNull();
    }

    @Test
    void deleteByConversationId_shouldEmptyTheMemory_unlistIt_andKeepTheChat() {
        repository.saveAll("c1", List.of(new UserMessage("one"), new AssistantMessage("two")));
        repository.saveAll("c2", List.of(new UserMessage("three")));

        repository.deleteByConversationId("c1");

        assertThat(repository.findByConversationId("c1")).isEmpty();
        assertThat(repository.findConversationIds()).containsExactly("c2");
        assertThat(chat("c1")).as("the history stays in the chat").hasSize(2).noneMatch(Message::deleted);
        // And it can start again, listed again.
        repository.saveAll("c1", List.of(new UserMessage("again")));
        assertThat(repository.findByConversationId("c1")).containsExactly(new UserMessage("again"));
        assertThat(repository.findConversationIds()).containsExactly("c2", "c1");
    }

    @Test
    void saveAll_shouldRefuseAnIdThatIsNoChatId_beforeWritingAnything() {
        assertThatThrownBy(() -> repository.saveAll("no spaces", List.of(new UserMessage("hi"))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(api.requests("PUT") + api.requests("POST")).isZero();
    }

    @Test
    void metadataThatIsNotJson_shouldBeRefused_beforeWritingAnything() {
        UserMessage odd = UserMessage.builder().text("hi").metadata(Map.of("stream", new Object())).build();

        assertThatThrownBy(() -> repository.saveAll("c1", List.of(odd))).isInstanceOf(IllegalArgumentException.class);
        assertThat(api.requests("PUT") + api.requests("POST")).isZero();
    }
}
