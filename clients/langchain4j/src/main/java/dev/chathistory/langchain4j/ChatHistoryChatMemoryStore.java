package dev.chathistory.langchain4j;

import dev.chathistory.client.ChatHistoryClient;
import dev.chathistory.client.memory.ConversationLog;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.store.memory.chat.ChatMemoryStore;
import java.util.List;

/**
 * A LangChain4j {@link ChatMemoryStore} kept in the chat-history service: the memory id is the
 * chat id, each message one message of the chat. LangChain4j hands over the whole window on every
 * change; only the messages that are new are appended (one request each, whatever the
 * conversation's length, safe to retry), messages a window evicted stay in the chat, and
 * {@link #getMessages} serves the window. {@link #deleteMessages} empties the window and keeps
 * the chat; delete the chat's messages through the API, or run an {@code erase} job, to remove it.
 *
 * <pre>{@code
 * ChatMemoryStore store = ChatHistoryChatMemoryStore.builder().client(client).userId("alice").build();
 * ChatMemory memory = MessageWindowChatMemory.builder().id("chat-42").maxMessages(20).chatMemoryStore(store).build();
 * }</pre>
 */
public final class ChatHistoryChatMemoryStore implements ChatMemoryStore {

    /** What {@code metadata.memory.kind} says of the messages stored in LangChain4j's JSON form. */
    public static final String KIND = "langchain4j";

    private final ConversationLog log;

    private ChatHistoryChatMemoryStore(ConversationLog log) {
        this.log = log;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public List<ChatMessage> getMessages(Object memoryId) {
        return log.window(memoryId).stream().map(MessageMapping::fromEntry).toList();
    }

    @Override
    public void updateMessages(Object memoryId, List<ChatMessage> messages) {
        log.replaceWindow(memoryId, messages.stream().map(MessageMapping::toEntry).toList());
    }

    @Override
    public void deleteMessages(Object memoryId) {
        log.clearWindow(memoryId);
    }

    /** The client, and who the chat's messages are from. */
    public static final class Builder {
        private ChatHistoryClient client;
        private String userId = "user";
        private String botId = "assistant";

        private Builder() {
        }

        public Builder client(ChatHistoryClient client) {
            this.client = client;
            return this;
        }

        /** The author of user messages (default {@code user}): the person, for per-user export and erase. */
        public Builder userId(String userId) {
            this.userId = userId;
            return this;
        }

        /** The author of every other message (default {@code assistant}). */
        public Builder botId(String botId) {
            this.botId = botId;
            return this;
        }

        public ChatHistoryChatMemoryStore build() {
            if (client == null) {
                throw new IllegalStateException("a ChatHistoryClient is needed: builder().client(...)");
            }
            return new ChatHistoryChatMemoryStore(new ConversationLog(client, userId, botId, KIND));
        }
    }
}
