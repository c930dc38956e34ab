package dev.chathistory.springai.autoconfigure;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code chat-history.*}: where the service is, the key, and who the remembered messages are
 * from. {@code base-url} and {@code api-key} are required unless the application defines its
 * own {@code ChatHistoryClient}. The key never appears in {@link #toString()}.
 */
@ConfigurationProperties(prefix = "chat-history")
public class ChatHistoryMemoryProperties {

    /** The API's base URL, e.g. {@code https://abc123.execute-api.eu-west-1.amazonaws.com}. */
    private String baseUrl;

    /** The bot's API key (sent as {@code Authorization: Bearer}). Keep it out of source control. */
    private String apiKey;

    /** The author of user messages: the person the bot talks to. */
    private String userId = "user";

    /** The author of every other message (assistant, system, tool). */
    private String botId = "assistant";

    /** The user whose settings hold the list of conversation ids (findConversationIds). */
    private String directoryUserId = "spring-ai-memory";

    public String getBaseUrl() {
        return baseUrl;
    }

    public void setBaseUrl(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    public String getApiKey() {
        return apiKey;
    }

    public void setApiKey(String apiKey) {
        this.apiKey = apiKey;
    }

    public String getUserId() {
        return userId;
    }

    public void setUserId(String userId) {
        this.userId = userId;
    }

    public String getBotId() {
        return botId;
    }

    public void setBotId(String botId) {
        this.botId = botId;
    }

    public String getDirectoryUserId() {
        return directoryUserId;
    }

    public void setDirectoryUserId(String directoryUserId) {
        this.directoryUserId = directoryUserId;
    }

    /** Says whether a key is set, never the key: this ends up in logs and failure reports. */
    @Override
    public String toString() {
        return "ChatHistoryMemoryProperties[baseUrl=" + baseUrl + ", apiKey=" + (apiKey == null ? "unset" : "***")
                + ", userId=" + userId + ", botId=" + botId + ", directoryUserId=" + directoryUserId + "]";
    }
}
