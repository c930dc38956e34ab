package dev.chathistory.springai;

import dev.chathistory.client.ChatHistoryClient;
import dev.chathistory.client.memory.ConversationLog;
import dev.chathistory.client.memory.MemoryEntry;
import java.util.List;
import java.util.Objects;
import org.springframework.ai.chat.memory.ChatMemoryRepository;
import org.springframework.ai.chat.messages.Message;

/**
 * A Spring AI {@link ChatMemoryRepository} kept in the chat-history service: the conversation id
 * is the chat id, each message one message of the chat. Spring AI's memories hand over the whole
 * window on every change; only the messages that are new are appended (one request each,
 * whatever the conversation's length, safe to retry), messages a window evicted stay in the
 * chat, and {@link #findByConversationId} serves the window.
 *
 * <p>{@link #deleteByConversationId} empties the window and takes the id off the directory, but
 * the conversation's messages stay in the chat: delete them through the API, or run an
 * {@code erase} job for the user, to remove them.
 *
 * <p>The API has no route that lists chats, so {@link #findConversationIds} reads a directory
 * kept in the settings of a user set aside for it ({@code directoryUserId}); a conversation is
 * listed on its first {@link #saveAll} (one read and one write, once per process), not on every
 * turn.
 *
 * <pre>{@code
 * ChatMemoryRepository repository = ChatHistoryChatMemoryRepository.builder().client(client).userId("alice").build();
 * ChatMemory memory = MessageWindowChatMemory.builder().chatMemoryRepository(repository).maxMessages(20).build();
 * }</pre>
 *
 * <p>Conversation ids must be chat ids: 1 to 128 of {@code [A-Za-z0-9._:-]} (Spring AI's
 * {@code "default"} and UUIDs are). One writer per conversation at a time, as for
 * {@link ConversationLog}.
 */
public final class ChatHistoryChatMemoryRepository implements ChatMemoryRepository {

    /** What {@code metadata.memory.kind} says of the messages stored in this adapter's JSON form. */
    public static final String KIND = "spring-ai";

    private final ConversationLog log;
    private final ConversationDirectory directory;

    private ChatHistoryChatMemoryRepository(ConversationLog log, ConversationDirectory directory) {
        this.log = log;
        this.directory = directory;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public List<String> findConversationIds() {
        return directory.ids();
    }

    @Override
    public List<Message> findByConversationId(String conversationId) {
        return log.window(conversationId).stream().map(MessageCodec::toMessage).toList();
    }

    @Override
    public void saveAll(String conversationId, List<Message> messages) {
        ConversationLog.chatId(conversationId);
        Objects.requireNonNull(messages, "messages");
        // Mapped before anything is written, so a message that cannot be stored changes nothing.
        List<MemoryEntry> entries = messages.stream().map(MessageCodec::toEntry).toList();
        // Listed first: an id listed without messages reads as an empty memory, while messages
        // stored without their id would be a conversation findConversationIds never shows.
        directory.add(conversationId);
        log.replaceWindow(conversationId, entries);
    }

    @Override
    public void deleteByConversationId(String conversationId) {
        // Cleared first, for the same reason: never a stored window whose id is off the list.
        log.clearWindow(conversationId);
        directory.remove(conversationId);
    }

    /** The client, who the chat's messages are from, and where the directory is kept. */
    public static final class Builder {
        private ChatHistoryClient client;
        private String userId = "user";
        private String botId = "assistant";
        private String directoryUserId = "spring-ai-memory";

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

        /**
         * The user whose settings hold the directory of conversation ids (default
         * {@code spring-ai-memory}); further pages are {@code <id>.2}, {@code <id>.3}, ...
         * Keep it apart from real users: its settings key {@code springAiConversations} is this
         * adapter's, any other keys are left as they are.
         */
        public Builder directoryUserId(String directoryUserId) {
            this.directoryUserId = directoryUserId;
            return this;
        }

        public ChatHistoryChatMemoryRepository build() {
            if (client == null) {
                throw new IllegalStateException("a ChatHistoryClient is needed: builder().client(...)");
            }
            try {
                ConversationLog.chatId(Objects.requireNonNull(directoryUserId, "directoryUserId"));
            } catch (IllegalArgumentException e) {
                // User ids follow the same rules as chat ids.
                throw new IllegalArgumentException("directoryUserId: " + e.getMessage(), e);
            }
            return new ChatHistoryChatMemoryRepository(new ConversationLog(client, userId, botId, KIND),
                    new ConversationDirectory(client, directoryUserId));
        }
    }
}
