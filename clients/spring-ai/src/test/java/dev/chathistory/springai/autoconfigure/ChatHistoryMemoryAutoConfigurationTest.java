package dev.chathistory.springai.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chathistory.client.ChatHistoryClient;
import dev.chathistory.client.testing.FakeChatHistoryApi;
import dev.chathistory.springai.ChatHistoryChatMemoryRepository;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.chat.memory.ChatMemoryRepository;
import org.springframework.ai.chat.memory.InMemoryChatMemoryRepository;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.model.chat.memory.autoconfigure.ChatMemoryAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The auto-configuration in a context: what it provides, from which properties, and when it steps aside. */
class ChatHistoryMemoryAutoConfigurationTest {

    private static final String KEY = "chk_live_not-a-real-key-4f2a";

    // Spring AI's own memory auto-configuration beside it, as in an application.
    private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(
            AutoConfigurations.of(ChatMemoryAutoConfiguration.class, ChatHistoryMemoryAutoConfiguration.class));

    @Test
    void twoProperties_shouldGiveTheClientAndTheRepository_underSpringAisChatMemory() {
        runner.withPropertyValues("chat-history.base-url=https://chat.example.com", "chat-history.api-key=" + KEY)
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(ChatHistoryClient.class)
                            .hasSingleBean(ChatMemoryRepository.class).hasSingleBean(ChatMemory.class);
                    assertThat(context.getBean(ChatMemoryRepository.class))
                            .isInstanceOf(ChatHistoryChatMemoryRepository.class);
                    ChatHistoryMemoryProperties properties = context.getBean(ChatHistoryMemoryProperties.class);
                    assertThat(properties.getUserId()).isEqualTo("user");
                    assertThat(properties.getBotId()).isEqualTo("assistant");
                    assertThat(properties.getDirectoryUserId()).isEqualTo("spring-ai-memory");
                    assertThat(properties.toString()).doesNotContain(KEY);
                    assertThat(context.getBean(ChatHistoryClient.class).toString()).doesNotContain(KEY);
                });
    }

    @Test
    void everyProperty_shouldBeBound() {
        runner.withPropertyValues("chat-history.base-url=https://chat.example.com", "chat-history.api-key=" + KEY,
                "chat-history.user-id=alice", "chat-history.bot-id=helper", "chat-history.directory-user-id=dir")
                .run(context -> {
                    ChatHistoryMemoryProperties properties = context.getBean(ChatHistoryMemoryProperties.class);
                    assertThat(properties.getBaseUrl()).isEqualTo("https://chat.example.com");
                    assertThat(properties.getApiKey()).isEqualTo(KEY);
                    assertThat(properties.getUserId()).isEqualTo("alice");
                    assertThat(properties.getBotId()).isEqualTo("helper");
                    assertThat(properties.getDirectoryUserId()).isEqualTo("dir");
                });
    }

    @Test
    void theRepository_shouldTalkToTheConfiguredService_asTheConfiguredAuthors() throws IOException {
        try (FakeChatHistoryApi api = new FakeChatHistoryApi()) {
            runner.withPropertyValues("chat-history.base-url=" + api.baseUri(), "chat-history.api-key=test-key",
                    "chat-history.user-id=alice", "chat-history.bot-id=helper").run(context -> {
                ChatMemory memory = context.getBean(ChatMemory.class);
                memory.add("c1", List.of(new UserMessage("hi"), new AssistantMessage("hello")));

                assertThat(memory.get("c1")).containsExactly(new UserMessage("hi"),
                        new AssistantMessage("hello"));
                assertThat(context.getBean(ChatMemoryRepository.class).findConversationIds())
                        .containsExactly("c1");
                assertThat(api.client().history("c1")).extracting(m -> m.userId())
                        .containsExactly("helper", "alice");
            });
        }
    }

    @Test
    void aMissingKey_shouldFailTheStart_namingTheProperty() {
        runner.withPropertyValues("chat-history.base-url=https://chat.example.com").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("chat-history.api-key is not set");
        });
    }

    @Test
    void aMissingBaseUrl_shouldFailTheStart_namingTheProperty() {
        runner.withPropertyValues("chat-history.api-key=" + KEY).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("chat-history.base-url is not set")
                    .hasMessageNotContaining(KEY);
        });
    }

    @Test
    void theApplicationsOwnRepository_shouldWin() {
        runner.withPropertyValues("chat-history.base-url=https://chat.example.com", "chat-history.api-key=" + KEY)
                .withBean(ChatMemoryRepository.class, InMemoryChatMemoryRepository::new)
                .run(context -> assertThat(context).hasNotFailed().getBean(ChatMemoryRepository.class)
                        .isInstanceOf(InMemoryChatMemoryRepository.class));
    }

    @Test
    void theApplicationsOwnClient_shouldWin_andNeedNoProperties() {
        ChatHistoryClient own = ChatHistoryClient.builder().baseUri("https://own.example.com").apiKey(KEY).build();
        runner.withBean(ChatHistoryClient.class, () -> own).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(ChatHistoryClient.class)).isSameAs(own);
            assertThat(context.getBean(ChatMemoryRepository.class)).isInstanceOf(ChatHistoryChatMemoryRepository.class);
        });
    }
}
