package dev.chathistory.springai.autoconfigure;

import dev.chathistory.client.ChatHistoryClient;
import dev.chathistory.springai.ChatHistoryChatMemoryRepository;
import org.springframework.ai.chat.memory.ChatMemoryRepository;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.util.StringUtils;

/**
 * Spring AI's chat memory kept in the chat-history service: with this module on the classpath
 * and {@code chat-history.base-url} and {@code chat-history.api-key} set, the application's
 * {@link ChatMemoryRepository} is a {@link ChatHistoryChatMemoryRepository}, and Spring AI's own
 * {@code MessageWindowChatMemory} is built on it. An application's own
 * {@link ChatHistoryClient} or {@link ChatMemoryRepository} bean wins over the one made here.
 *
 * <p>Runs before Spring AI's {@code ChatMemoryAutoConfiguration}, which would otherwise supply an
 * in-memory repository first and leave this one out.
 */
@AutoConfiguration(beforeName = "org.springframework.ai.model.chat.memory.autoconfigure.ChatMemoryAutoConfiguration")
@ConditionalOnClass({ChatMemoryRepository.class, ChatHistoryClient.class})
@EnableConfigurationProperties(ChatHistoryMemoryProperties.class)
public class ChatHistoryMemoryAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ChatHistoryClient chatHistoryClient(ChatHistoryMemoryProperties properties) {
        // Checked here rather than on the properties: with the application's own client they are not needed.
        require(properties.getBaseUrl(), "chat-history.base-url", "the API's base URL");
        require(properties.getApiKey(), "chat-history.api-key", "the bot's API key");
        return ChatHistoryClient.builder().baseUri(properties.getBaseUrl()).apiKey(properties.getApiKey()).build();
    }

    @Bean
    @ConditionalOnMissingBean
    ChatMemoryRepository chatHistoryChatMemoryRepository(ChatHistoryClient client,
                                                         ChatHistoryMemoryProperties properties) {
        return ChatHistoryChatMemoryRepository.builder().client(client).userId(properties.getUserId())
                .botId(properties.getBotId()).directoryUserId(properties.getDirectoryUserId()).build();
    }

    private static void require(String value, String property, String what) {
        if (!StringUtils.hasText(value)) {
            throw new IllegalStateException(property + " is not set: it is " + what
                    + " for the chat-history memory (or define a ChatHistoryClient bean of your own)");
        }
    }
}
